from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.response import Response

from accounts.api.requests import AuthenticatedRequest
from common.api.bodies import parse_body
from common.api.pagination import paginated_response
from common.api.schema import ERROR_RESPONSE, filter_parameters
from courses import selectors, services
from courses.api.filters import CourseFilter
from courses.api.serializers import CourseSerializer, CourseWriteSerializer
from courses.permissions import course_for_manager, require_course_author


class CourseViewSet(viewsets.ViewSet):
    lookup_url_kwarg = "course_id"
    lookup_value_converter = "id"

    @extend_schema(
        parameters=filter_parameters(CourseFilter),
        responses={200: CourseSerializer(many=True)},
        tags=["courses"],
    )
    def list(self, request: AuthenticatedRequest) -> Response:
        return paginated_response(
            request,
            selectors.course_list(user=request.user),
            CourseSerializer,
            filterset_class=CourseFilter,
        )

    @extend_schema(
        request=CourseWriteSerializer,
        responses={201: CourseSerializer, 403: ERROR_RESPONSE},
        tags=["courses"],
    )
    def create(self, request: AuthenticatedRequest) -> Response:
        require_course_author(request.user)
        fields = parse_body(CourseWriteSerializer(data=request.data), services.course_field_issues)
        course = services.course_create(actor=request.user, **fields)
        course = selectors.course_get(user=request.user, course_id=course.pk)
        return Response(
            CourseSerializer(course).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": f"/api/v1/courses/{course.pk}"},
        )

    @extend_schema(responses={200: CourseSerializer}, tags=["courses"])
    def retrieve(self, request: AuthenticatedRequest, course_id: str) -> Response:
        course = selectors.course_get(user=request.user, course_id=course_id)
        return Response(CourseSerializer(course).data)

    def _update(self, request: AuthenticatedRequest, course_id: str, *, partial: bool) -> Response:
        course = course_for_manager(user=request.user, course_id=course_id)
        body = CourseWriteSerializer(data=request.data, partial=partial)
        changes = parse_body(body, services.course_field_issues)
        services.course_update(actor=request.user, course=course, **changes)
        course = selectors.course_get(user=request.user, course_id=course.pk)
        return Response(CourseSerializer(course).data)

    @extend_schema(
        request=CourseWriteSerializer,
        responses={200: CourseSerializer, 403: ERROR_RESPONSE},
        tags=["courses"],
    )
    def update(self, request: AuthenticatedRequest, course_id: str) -> Response:
        return self._update(request, course_id, partial=False)

    @extend_schema(
        request=CourseWriteSerializer,
        responses={200: CourseSerializer, 403: ERROR_RESPONSE},
        tags=["courses"],
    )
    def partial_update(self, request: AuthenticatedRequest, course_id: str) -> Response:
        return self._update(request, course_id, partial=True)

    @extend_schema(
        responses={204: None, 403: ERROR_RESPONSE, 409: ERROR_RESPONSE}, tags=["courses"]
    )
    def destroy(self, request: AuthenticatedRequest, course_id: str) -> Response:
        course = course_for_manager(user=request.user, course_id=course_id)
        services.course_delete(course=course)
        return Response(status=status.HTTP_204_NO_CONTENT)
