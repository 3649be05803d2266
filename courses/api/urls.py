from django.urls import path

from courses.api import views

urlpatterns = [
    path("courses", views.CourseListView.as_view(), name="course-list"),
    path("courses/<id:course_id>", views.CourseDetailView.as_view(), name="course-detail"),
]
