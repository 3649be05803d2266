from common.api.routers import ApiRouter
from courses.api import views

router = ApiRouter()
router.register("courses", views.CourseViewSet, basename="course")

urlpatterns = router.urls
