from common.errors import ApplicationError


class Unauthorized(ApplicationError):
    code = "UNAUTHORIZED"
    status = 401
    message = "Authentication credentials were missing or invalid."


class InvalidCredentials(Unauthorized):
    message = "The email or password is incorrect, or the account is deactivated."


class InvalidRefreshToken(Unauthorized):
    message = "The refresh token is invalid, expired or revoked."
