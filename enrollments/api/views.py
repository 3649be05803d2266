from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.response import Response

from accounts.api.requests import AuthenticatedRequest
from common.api.pagination import paginated_response
from common.api.schema import ERROR_RESPONSE, filter_parameters
from courses.permissions import course_for_user
from enrollments import selectors, services
from enrollments.api.filters import EnrollmentFilter
from enrollments.api.serializers import (
    EnrollmentCreateSerializer,
    EnrollmentSerializer,
    EnrollmentUpdateSerializer,
)
from enrollments.permissions import enrollment_for_manager, enrollment_for_user


class EnrollmentViewSet(viewsets.ViewSet):
    lookup_url_kwarg = "enrollment_id"
    lookup_value_converter = "id"

    @extend_schema(
        parameters=filter_parameters(EnrollmentFilter),
        responses={200: EnrollmentSerializer(many=True)},
        tags=["enrollments"],
    )
    def list(self, request: AuthenticatedRequest) -> Response:
        return paginated_response(
            request,
            selectors.enrollment_list(user=request.user),
            EnrollmentSerializer,
            filterset_class=EnrollmentFilter,
        )

    @extend_schema(
        request=EnrollmentCreateSerializer,
        responses={201: EnrollmentSerializer, 403: ERROR_RESPONSE, 409: ERROR_RESPONSE},
        tags=["enrollments"],
    )
    def create(self, request: AuthenticatedRequest) -> Response:
        body = EnrollmentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        course = course_for_user(user=request.user, course_id=body.validated_data["course_id"])
        user = services.enrollment_learner_resolve(
            actor=request.user, user_id=body.validated_data.get("user_id")
        )
        enrollment = services.enrollment_create(actor=request.user, course=course, user=user)
        return Response(
            EnrollmentSerializer(enrollment).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": f"/api/v1/enrollments/{enrollment.pk}"},
        )

    @extend_schema(responses={200: EnrollmentSerializer}, tags=["enrollments"])
    def retrieve(self, request: AuthenticatedRequest, enrollment_id: str) -> Response:
        enrollment = enrollment_for_user(user=request.user, enrollment_id=enrollment_id)
        return Response(EnrollmentSerializer(enrollment).data)

    def _update(
        self, request: AuthenticatedRequest, enrollment_id: str, *, partial: bool
    ) -> Response:
        enrollment = enrollment_for_user(user=request.user, enrollment_id=enrollment_id)
        body = EnrollmentUpdateSerializer(data=request.data, partial=partial)
        body.is_valid(raise_exception=True)
        if "status" in body.validated_data:
            enrollment = services.enrollment_update(
                actor=request.user, enrollment=enrollment, status=body.validated_data["status"]
            )
        return Response(EnrollmentSerializer(enrollment).data)

    @extend_schema(
        request=EnrollmentUpdateSerializer,
        responses={200: EnrollmentSerializer, 403: ERROR_RESPONSE, 409: ERROR_RESPONSE},
        tags=["enrollments"],
    )
    def update(self, request: AuthenticatedRequest, enrollment_id: str) -> Response:
        return self._update(request, enrollment_id, partial=False)

    @extend_schema(
        request=EnrollmentUpdateSerializer,
        responses={200: EnrollmentSerializer, 403: ERROR_RESPONSE, 409: ERROR_RESPONSE},
        tags=["enrollments"],
    )
    def partial_update(self, request: AuthenticatedRequest, enrollment_id: str) -> Response:
        return self._update(request, enrollment_id, partial=True)

    @extend_schema(
        responses={204: None, 403: ERROR_RESPONSE, 409: ERROR_RESPONSE}, tags=["enrollments"]
    )
    def destroy(self, request: AuthenticatedRequest, enrollment_id: str) -> Response:
        enrollment = enrollment_for_manager(user=request.user, enrollment_id=enrollment_id)
        services.enrollment_delete(enrollment=enrollment)
        return Response(status=status.HTTP_204_NO_CONTENT)
