from django.urls import path

from enrollments import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("courses/", views.catalogue, name="catalogue"),
    path("courses/<str:course_id>/enrol", views.enrol, name="enrol"),
]
