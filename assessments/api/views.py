"""Authoring routes: assessments and their questions (SPEC §5).

Reads go through `assessments.selectors`, writes through `assessments.authoring`, access through
`assessments.permissions`. Learners get the learner shapes, which hold no answer key.
"""

from functools import partial as partial_function
from typing import Any, Unpack

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import status, viewsets
from rest_framework.response import Response

from accounts.api.requests import AuthenticatedRequest
from accounts.models import User
from assessments import authoring, selectors, taking
from assessments.api.filters import AssessmentFilter
from assessments.api.serializers import (
    AssessmentCreateSerializer,
    AssessmentDetailSerializer,
    AssessmentSerializer,
    AssessmentWriteSerializer,
    LearnerAssessmentDetailSerializer,
    LearnerAssessmentSerializer,
    QuestionSerializer,
    QuestionWriteSerializer,
)
from assessments.permissions import assessment_for_staff, course_for_author, require_author
from common.api.bodies import parse_body
from common.api.pagination import paginated_response
from common.api.schema import ERROR_RESPONSE, filter_parameters
from common.validation import Issues

TAGS = ["assessments"]
QUESTION_TAGS = ["questions"]

ASSESSMENT_LIST = PolymorphicProxySerializer(
    component_name="AssessmentListItem",
    serializers=[AssessmentSerializer, LearnerAssessmentSerializer],
    resource_type_field_name=None,
    many=True,
)
ASSESSMENT_DETAIL = PolymorphicProxySerializer(
    component_name="AssessmentDetailResponse",
    serializers=[AssessmentDetailSerializer, LearnerAssessmentDetailSerializer],
    resource_type_field_name=None,
)


def _create_issues(
    *, course_id: str | None = None, **fields: Unpack[authoring.AssessmentChanges]
) -> Issues:
    """The rules a new assessment's fields break; the course is checked on its own, after."""
    return authoring.assessment_issues(**fields)


def _detail_body(user: User, assessment_id: str) -> dict[str, Any]:
    assessment = selectors.assessment_detail(user=user, assessment_id=assessment_id)
    serializer = AssessmentDetailSerializer if user.is_staff else LearnerAssessmentDetailSerializer
    return serializer(assessment).data


class AssessmentViewSet(viewsets.ViewSet):
    lookup_url_kwarg = "assessment_id"
    lookup_value_converter = "id"

    @extend_schema(
        parameters=filter_parameters(AssessmentFilter),
        responses={200: ASSESSMENT_LIST},
        tags=TAGS,
        description="Assessments the caller may see, oldest first, without their questions. "
        "A learner's items also carry `attempts_used` and `attempts_remaining`.",
    )
    def list(self, request: AuthenticatedRequest) -> Response:
        user = request.user
        taking.learner_overdue_close(user=user)
        serializer = AssessmentSerializer if user.is_staff else LearnerAssessmentSerializer
        return paginated_response(
            request,
            selectors.assessment_list(user=user),
            serializer,
            filterset_class=AssessmentFilter,
        )

    @extend_schema(
        request=AssessmentCreateSerializer,
        responses={201: AssessmentDetailSerializer, 403: ERROR_RESPONSE},
        tags=TAGS,
        description="Admins, or the instructor who owns the course. An instructor naming a "
        "course that is not theirs gets 404; an admin naming no course gets 422 on course_id.",
    )
    def create(self, request: AuthenticatedRequest) -> Response:
        require_author(request.user)
        fields = parse_body(AssessmentCreateSerializer(data=request.data), _create_issues)
        course = course_for_author(user=request.user, course_id=fields.pop("course_id"))
        assessment = authoring.assessment_create(course=course, **fields)
        return Response(
            _detail_body(request.user, assessment.pk),
            status=status.HTTP_201_CREATED,
            headers={"Location": f"/api/v1/assessments/{assessment.pk}"},
        )

    @extend_schema(
        responses={200: ASSESSMENT_DETAIL},
        tags=TAGS,
        description="With `questions` in position order: with answer keys for staff, without "
        "for learners; `questions` is null for a learner when the assessment is timed.",
    )
    def retrieve(self, request: AuthenticatedRequest, assessment_id: str) -> Response:
        taking.learner_overdue_close(user=request.user, assessment_id=assessment_id)
        return Response(_detail_body(request.user, assessment_id))

    def _update(
        self, request: AuthenticatedRequest, assessment_id: str, *, partial: bool
    ) -> Response:
        assessment = assessment_for_staff(user=request.user, assessment_id=assessment_id)
        fields = parse_body(
            AssessmentWriteSerializer(data=request.data, partial=partial),
            partial_function(authoring.assessment_update_issues, assessment=assessment),
        )
        authoring.assessment_update(assessment=assessment, **fields)
        return Response(_detail_body(request.user, assessment.pk))

    @extend_schema(
        request=AssessmentWriteSerializer,
        responses={200: AssessmentDetailSerializer, 403: ERROR_RESPONSE},
        tags=TAGS,
        description="Replaces the assessment's fields; omitted optional fields take their "
        "defaults. `course_id` may be sent but must be the current course.",
    )
    def update(self, request: AuthenticatedRequest, assessment_id: str) -> Response:
        return self._update(request, assessment_id, partial=False)

    @extend_schema(
        request=AssessmentWriteSerializer,
        responses={200: AssessmentDetailSerializer, 403: ERROR_RESPONSE},
        tags=TAGS,
        description="Changes the given fields only.",
    )
    def partial_update(self, request: AuthenticatedRequest, assessment_id: str) -> Response:
        return self._update(request, assessment_id, partial=True)

    @extend_schema(
        responses={204: None, 403: ERROR_RESPONSE, 409: ERROR_RESPONSE},
        tags=TAGS,
        description="Deletes the assessment and its questions. One with submissions is kept: "
        "409 RESOURCE_IN_USE.",
    )
    def destroy(self, request: AuthenticatedRequest, assessment_id: str) -> Response:
        assessment = assessment_for_staff(user=request.user, assessment_id=assessment_id)
        authoring.assessment_delete(assessment=assessment)
        return Response(status=status.HTTP_204_NO_CONTENT)


class QuestionViewSet(viewsets.ViewSet):
    # Registered under `assessments/<id:assessment_id>/questions`.
    lookup_url_kwarg = "question_id"
    lookup_value_converter = "id"

    @extend_schema(
        responses={200: QuestionSerializer(many=True), 403: ERROR_RESPONSE},
        tags=QUESTION_TAGS,
        description="Staff only. The assessment's questions with their answer keys, in "
        "position order.",
    )
    def list(self, request: AuthenticatedRequest, assessment_id: str) -> Response:
        assessment = assessment_for_staff(user=request.user, assessment_id=assessment_id)
        return paginated_response(
            request, selectors.question_list(assessment=assessment), QuestionSerializer
        )

    @extend_schema(
        request=QuestionWriteSerializer,
        responses={201: QuestionSerializer, 403: ERROR_RESPONSE},
        tags=QUESTION_TAGS,
        description="Adds a question with its options. Without `position` it goes last; with "
        "one, it is put there and the following questions move down.",
    )
    def create(self, request: AuthenticatedRequest, assessment_id: str) -> Response:
        assessment = assessment_for_staff(user=request.user, assessment_id=assessment_id)
        fields = parse_body(
            QuestionWriteSerializer(data=request.data),
            partial_function(authoring.question_create_issues, assessment=assessment),
        )
        question = authoring.question_create(assessment=assessment, **fields)
        question = selectors.question_get(assessment=assessment, question_id=question.pk)
        return Response(
            QuestionSerializer(question).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": f"/api/v1/assessments/{assessment.pk}/questions/{question.pk}"},
        )

    @extend_schema(responses={200: QuestionSerializer, 403: ERROR_RESPONSE}, tags=QUESTION_TAGS)
    def retrieve(
        self, request: AuthenticatedRequest, assessment_id: str, question_id: str
    ) -> Response:
        assessment = assessment_for_staff(user=request.user, assessment_id=assessment_id)
        question = selectors.question_get(assessment=assessment, question_id=question_id)
        return Response(QuestionSerializer(question).data)

    def _update(
        self, request: AuthenticatedRequest, assessment_id: str, question_id: str, *, partial: bool
    ) -> Response:
        assessment = assessment_for_staff(user=request.user, assessment_id=assessment_id)
        question = selectors.question_get(assessment=assessment, question_id=question_id)
        fields = parse_body(
            QuestionWriteSerializer(data=request.data, partial=partial),
            partial_function(authoring.question_update_issues, question=question),
        )
        authoring.question_update(question=question, **fields)
        question = selectors.question_get(assessment=assessment, question_id=question_id)
        return Response(QuestionSerializer(question).data)

    @extend_schema(
        request=QuestionWriteSerializer,
        responses={200: QuestionSerializer, 403: ERROR_RESPONSE},
        tags=QUESTION_TAGS,
        description="Replaces the question and its options: options sent with the `id` of a "
        "current option keep it, the others are new, missing ones are deleted. Omitted "
        "`points` and `explanation` take their defaults; omitted `position` is kept.",
    )
    def update(
        self, request: AuthenticatedRequest, assessment_id: str, question_id: str
    ) -> Response:
        return self._update(request, assessment_id, question_id, partial=False)

    @extend_schema(
        request=QuestionWriteSerializer,
        responses={200: QuestionSerializer, 403: ERROR_RESPONSE},
        tags=QUESTION_TAGS,
        description="Changes the given fields; `options`, when given, replaces the set as PUT "
        "does.",
    )
    def partial_update(
        self, request: AuthenticatedRequest, assessment_id: str, question_id: str
    ) -> Response:
        return self._update(request, assessment_id, question_id, partial=True)

    @extend_schema(responses={204: None, 403: ERROR_RESPONSE}, tags=QUESTION_TAGS)
    def destroy(
        self, request: AuthenticatedRequest, assessment_id: str, question_id: str
    ) -> Response:
        assessment = assessment_for_staff(user=request.user, assessment_id=assessment_id)
        question = selectors.question_get(assessment=assessment, question_id=question_id)
        authoring.question_delete(question=question)
        return Response(status=status.HTTP_204_NO_CONTENT)
