from django.urls import path

from assessments.api import views

urlpatterns = [
    path("assessments", views.AssessmentListView.as_view(), name="assessment-list"),
    path(
        "assessments/<str:assessment_id>",
        views.AssessmentDetailView.as_view(),
        name="assessment-detail",
    ),
    path(
        "assessments/<str:assessment_id>/questions",
        views.QuestionListView.as_view(),
        name="question-list",
    ),
    path(
        "assessments/<str:assessment_id>/questions/<str:question_id>",
        views.QuestionDetailView.as_view(),
        name="question-detail",
    ),
]
