from accounts.api import views
from common.api.routers import ApiRouter

router = ApiRouter()
router.register("auth", views.AuthViewSet, basename="auth")
router.register("users", views.UserViewSet, basename="user")

urlpatterns = router.urls
