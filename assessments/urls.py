from django.urls import path

from assessments import views

urlpatterns = [
    path("courses/<str:course_id>/", views.course, name="course"),
    path("assessments/<str:assessment_id>/", views.assessment, name="assessment"),
    path("assessments/<str:assessment_id>/start", views.start, name="start"),
    path("assessments/<str:assessment_id>/attempts/", views.history, name="history"),
    path("assessments/<str:assessment_id>/attempts/<str:attempt_id>/", views.quiz, name="quiz"),
    path(
        "assessments/<str:assessment_id>/attempts/<str:attempt_id>/autosave",
        views.autosave,
        name="autosave",
    ),
    path(
        "assessments/<str:assessment_id>/results/<str:submission_id>/",
        views.result,
        name="result",
    ),
    path("assessments/<str:assessment_id>/preview/", views.preview, name="preview"),
]
