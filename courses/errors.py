from common.errors import ResourceInUse


class CourseInUse(ResourceInUse):
    message = (
        "This course has assessments with submissions and cannot be deleted; "
        "unpublish it instead (status: draft)."
    )
