"""Authoring routes: assessments, and their questions nested under each one (no trailing
slash). Attempts and submissions are in `taking_urls`."""

from assessments.api import views
from common.api.routers import ApiRouter

router = ApiRouter()
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register(
    "assessments/<id:assessment_id>/questions", views.QuestionViewSet, basename="question"
)

urlpatterns = router.urls
