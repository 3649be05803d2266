from common.errors import Conflict, ResourceInUse


class AlreadyEnrolled(Conflict):
    code = "ALREADY_ENROLLED"
    message = "This learner already has an active or completed enrolment in this course."


class EnrollmentInUse(ResourceInUse):
    message = (
        "The learner has submissions in this course, so the enrolment cannot be deleted; "
        "drop it instead (status: dropped)."
    )
