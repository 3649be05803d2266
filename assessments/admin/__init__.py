"""The assessments app in the Django admin (SPEC §10): authoring (assessments, questions and
their options) and results (read-only submissions and attempts, exports, item statistics)."""

from assessments.admin import authoring, results

__all__ = ["authoring", "results"]
