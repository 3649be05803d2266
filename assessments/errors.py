"""Errors of taking assessments: attempts, submissions and idempotent retries (SPEC §2, §6-§8)."""

from common.errors import ApplicationError, Conflict, Forbidden


class LearnersOnly(Forbidden):
    message = "Only learners take assessments."


class NotEnrolled(Forbidden):
    code = "NOT_ENROLLED"
    message = "You must be actively enrolled in this course to take its assessments."


class AttemptLimitReached(Forbidden):
    # The seed's exact wording; clients may compare it.
    code = "ATTEMPT_LIMIT_REACHED"
    message = "You have reached the maximum number of attempts for this assessment."


class TimeLimitExceeded(Forbidden):
    code = "TIME_LIMIT_EXCEEDED"
    message = (
        "The time limit of this attempt has passed. The attempt was closed and graded from "
        "the answers saved in time; its result is in this assessment's submissions."
    )


class DeadlinePassed(TimeLimitExceeded):
    """Saving answers after the deadline: the grace period is for submitting only."""

    message = (
        "The deadline of this attempt has passed: answers can no longer be saved. Submit the "
        "attempt now; once the grace period is over it is graded from the answers saved by "
        "the deadline."
    )


class AttemptRequired(Conflict):
    code = "ATTEMPT_REQUIRED"
    message = "This assessment is timed: start an attempt before submitting."


class AttemptClosed(Conflict):
    code = "ATTEMPT_CLOSED"
    message = "This attempt has already been submitted or has expired."


class AssessmentNotReady(ApplicationError):
    code = "ASSESSMENT_NOT_READY"
    status = 422
    message = "This assessment has no questions yet and cannot be taken."


class IdempotencyKeyInUse(Conflict):
    code = "IDEMPOTENCY_KEY_IN_USE"
    message = "A request with this Idempotency-Key is still being processed; retry shortly."


class IdempotencyKeyReused(ApplicationError):
    code = "IDEMPOTENCY_KEY_REUSED"
    status = 422
    message = "This Idempotency-Key was already used for a different request."
