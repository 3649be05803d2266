"""Routes for taking assessments: attempts and submissions (no trailing slash)."""

from django.urls import path

from assessments.api import taking_views

urlpatterns = [
    path(
        "assessments/<id:assessment_id>/attempts",
        taking_views.AttemptListView.as_view(),
        name="assessment-attempts",
    ),
    path(
        "assessments/<id:assessment_id>/attempts/<id:attempt_id>",
        taking_views.AttemptDetailView.as_view(),
        name="assessment-attempt-detail",
    ),
    path(
        "assessments/<id:assessment_id>/attempts/<id:attempt_id>/answers",
        taking_views.AttemptAnswersView.as_view(),
        name="assessment-attempt-answers",
    ),
    path(
        "assessments/<id:assessment_id>/submissions",
        taking_views.SubmissionListView.as_view(),
        name="assessment-submissions",
    ),
    path(
        "assessments/<id:assessment_id>/submissions/<id:submission_id>",
        taking_views.SubmissionDetailView.as_view(),
        name="assessment-submission-detail",
    ),
]
