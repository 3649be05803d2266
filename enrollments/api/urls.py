from django.urls import path

from enrollments.api import views

urlpatterns = [
    path("enrollments", views.EnrollmentListView.as_view(), name="enrollment-list"),
    path(
        "enrollments/<id:enrollment_id>",
        views.EnrollmentDetailView.as_view(),
        name="enrollment-detail",
    ),
]
