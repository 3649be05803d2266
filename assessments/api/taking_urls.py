"""Routes for taking assessments: attempts and submissions, nested under an assessment (no
trailing slash). The viewsets' actions are mapped explicitly, so that the nested path parameters
keep their names (`assessment_id`, `attempt_id`, `submission_id`) and the `id` converter."""

from django.urls import path

from assessments.api.taking_views import AttemptViewSet, SubmissionViewSet

urlpatterns = [
    path(
        "assessments/<id:assessment_id>/attempts",
        AttemptViewSet.as_view({"get": "list", "post": "create"}),
        name="assessment-attempts",
    ),
    path(
        "assessments/<id:assessment_id>/attempts/<id:attempt_id>",
        AttemptViewSet.as_view({"get": "retrieve"}),
        name="assessment-attempt-detail",
    ),
    path(
        "assessments/<id:assessment_id>/attempts/<id:attempt_id>/answers",
        AttemptViewSet.as_view({"put": "answers", "patch": "partial_answers"}),
        name="assessment-attempt-answers",
    ),
    path(
        "assessments/<id:assessment_id>/submissions",
        SubmissionViewSet.as_view({"get": "list", "post": "create"}),
        name="assessment-submissions",
    ),
    path(
        "assessments/<id:assessment_id>/submissions/<id:submission_id>",
        SubmissionViewSet.as_view({"get": "retrieve"}),
        name="assessment-submission-detail",
    ),
]
