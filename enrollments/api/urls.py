from common.api.routers import ApiRouter
from enrollments.api import views

router = ApiRouter()
router.register("enrollments", views.EnrollmentViewSet, basename="enrollment")

urlpatterns = router.urls
