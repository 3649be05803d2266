from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models

from common.ids import prefixed_id_field
from common.validation import TrimmedLength


def fold_category(category: str) -> str:
    """The key the `category` filter compares: the category case-folded in Python, so letter
    case is ignored for every alphabet on every database (SQLite's `LIKE` and `lower()` fold
    ASCII letters only)."""
    return category.strip().casefold()


class Course(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    id = prefixed_id_field("crs")
    # Title and category are stored trimmed, and their rules apply to the trimmed text.
    title = models.CharField(max_length=200, validators=[TrimmedLength(3, 200)])
    description = models.TextField(blank=True, default="")
    category = models.CharField(
        max_length=100,
        blank=True,
        default="",
        validators=[MaxLengthValidator(100, message="At most %(limit_value)d characters.")],
    )
    # `fold_category(category)`, for the case-insensitive `category` filter; set by
    # `courses.services` (case folding may make a string up to three times longer).
    category_key = models.CharField(
        max_length=300, blank=True, default="", editable=False, db_index=True
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="courses_taught"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.title
