"""Typed application errors. Services raise them; the API's exception handler renders each
one as the error envelope, and pages show its message.

Each app declares its own subclasses in `<app>/errors.py`; this module holds the ones every app
shares.
"""

from collections.abc import Sequence

from common.validation import Issue


class ApplicationError(Exception):
    code = "INTERNAL_ERROR"
    status = 500
    message = "An unexpected error occurred."

    def __init__(
        self,
        message: str | None = None,
        *,
        details: Sequence[Issue] | None = None,
        code: str | None = None,
        status: int | None = None,
    ) -> None:
        self.message = message or self.message
        self.details: list[Issue] = list(details or [])
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        super().__init__(self.message)


class NotFound(ApplicationError):
    code = "NOT_FOUND"
    status = 404
    message = "The requested resource was not found."


class Forbidden(ApplicationError):
    code = "FORBIDDEN"
    status = 403
    message = "You do not have permission to perform this action."


class ValidationFailed(ApplicationError):
    """Field rules broken. `details` is a list of `{"field": ..., "issue": ...}`."""

    code = "VALIDATION_ERROR"
    status = 422
    message = "The request has invalid fields."

    @classmethod
    def for_field(cls, field: str, issue: str) -> "ValidationFailed":
        return cls(details=[{"field": field, "issue": issue}])


class Conflict(ApplicationError):
    code = "CONFLICT"
    status = 409
    message = "The request conflicts with the current state of the resource."


class ResourceInUse(Conflict):
    code = "RESOURCE_IN_USE"
    message = "The resource is in use and cannot be deleted."
