from django.urls import path

from assessments.api import views

urlpatterns = [
    path("assessments", views.AssessmentListView.as_view(), name="assessment-list"),
    path(
        "assessments/<id:assessment_id>",
        views.AssessmentDetailView.as_view(),
        name="assessment-detail",
    ),
    path(
        "assessments/<id:assessment_id>/questions",
        views.QuestionListView.as_view(),
        name="question-list",
    ),
    path(
        "assessments/<id:assessment_id>/questions/<id:question_id>",
        views.QuestionDetailView.as_view(),
        name="question-detail",
    ),
]
