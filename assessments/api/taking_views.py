"""Taking assessments over the API: attempts and submissions (SPEC §6-§8).

Thin viewsets: resolve the assessment for the caller, parse the body, call one service, serialize.
Starting, saving and submitting are for learners (`permissions.assessment_for_taking`); reading
uses `permissions.assessment_for_user` (learners see their own records, staff who can see the
assessment see everyone's). Submitting is one call, `taking.submission_submit`, which the
learner pages make too: idempotency, access, validation and grading all happen below the view.
"""

from typing import Any

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api.requests import AuthenticatedRequest
from accounts.models import User
from assessments import idempotency, selectors, taking
from assessments.api.taking_filters import AttemptFilter, SubmissionFilter
from assessments.api.taking_serializers import (
    AnswerSerializer,
    AnswersSaveSerializer,
    AttemptSerializer,
    AttemptSummarySerializer,
    SubmissionCreateSerializer,
    SubmissionResultSerializer,
)
from assessments.models import Assessment, Attempt, Submission
from assessments.permissions import assessment_for_taking, assessment_for_user
from common.api.exceptions import validation_details
from common.api.pagination import paginated_response
from common.api.renderers import envelope_json
from common.api.schema import ERROR_RESPONSE, filter_parameters
from common.errors import ValidationFailed
from common.validation import Issues

IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    idempotency.HEADER,
    {"type": "string", "minLength": 1, "maxLength": idempotency.MAX_KEY_LENGTH},
    OpenApiParameter.HEADER,
    required=False,
    description="Up to 255 characters. A retry with the same key and body within 24 hours "
    "replays the first answer instead of submitting again.",
)


def parse_answers(
    serializer_class: type[AnswersSaveSerializer], data: Any, assessment: Assessment
) -> dict[str, Any]:
    """The validated body, or a `422` that lists every problem at once: the body's shape and
    whether each well-shaped answer fits the assessment."""
    body = serializer_class(data=data)
    if body.is_valid():
        return dict(body.validated_data)
    issues: Issues = list(validation_details(body.errors))
    raw_answers = data.get("answers") if isinstance(data, dict) else None
    if isinstance(raw_answers, list):
        shaped = [AnswerSerializer(data=item) for item in raw_answers]
        well_shaped = [item.validated_data if item.is_valid() else None for item in shaped]
        issues += taking.answer_issues(assessment=assessment, answers=well_shaped)
    raise ValidationFailed(details=issues)


def parse_submission(data: Any, assessment: Assessment) -> taking.SubmissionInput:
    body = parse_answers(SubmissionCreateSerializer, data, assessment)
    return taking.SubmissionInput(answers=body["answers"], attempt_id=body.get("attempt_id"))


def render_submission(submission: Submission, user: User) -> idempotency.StoredResponse:
    """A new submission's `201` as the API sends it, to be stored for retries as it is."""
    body = SubmissionResultSerializer(submission, context={"user": user}).data
    return idempotency.StoredResponse(201, envelope_json(body), _location(submission))


def stored_response(sent: idempotency.StoredResponse) -> HttpResponse:
    response = HttpResponse(sent.content, status=sent.status, content_type="application/json")
    if sent.location:
        response["Location"] = sent.location
    return response


def _attempt_body(attempt: Attempt, assessment: Assessment) -> dict[str, Any]:
    questions = selectors.questions_for_taking(assessment=assessment)
    return dict(AttemptSerializer(attempt, context={"questions": questions}).data)


def _location(obj: Attempt | Submission) -> str:
    kind = "attempts" if isinstance(obj, Attempt) else "submissions"
    return f"/api/v1/assessments/{obj.assessment_id}/{kind}/{obj.pk}"


class AttemptViewSet(viewsets.ViewSet):
    """`/assessments/:assessment_id/attempts[/:attempt_id[/answers]]`."""

    @extend_schema(
        parameters=filter_parameters(AttemptFilter),
        responses={200: AttemptSummarySerializer(many=True)},
        tags=["attempts"],
        summary="List attempts (a learner's own; staff: everyone's)",
    )
    def list(self, request: AuthenticatedRequest, assessment_id: str) -> Response:
        assessment = assessment_for_user(user=request.user, assessment_id=assessment_id)
        attempts = taking.attempt_list(user=request.user, assessment=assessment)
        return paginated_response(
            request, attempts, AttemptSummarySerializer, filterset_class=AttemptFilter
        )

    @extend_schema(
        request=None,
        responses={
            201: OpenApiResponse(AttemptSerializer, description="A new attempt was started."),
            200: OpenApiResponse(
                AttemptSerializer, description="The attempt already in progress, unchanged."
            ),
            403: ERROR_RESPONSE,
            422: ERROR_RESPONSE,
        },
        tags=["attempts"],
        summary="Start an attempt",
    )
    def create(self, request: AuthenticatedRequest, assessment_id: str) -> Response:
        assessment = assessment_for_taking(user=request.user, assessment_id=assessment_id)
        attempt, created = taking.attempt_start(user=request.user, assessment=assessment)
        body = _attempt_body(attempt, assessment)
        if not created:
            return Response(body)
        return Response(body, status.HTTP_201_CREATED, headers={"Location": _location(attempt)})

    @extend_schema(responses={200: AttemptSerializer}, tags=["attempts"], summary="Get an attempt")
    def retrieve(
        self, request: AuthenticatedRequest, assessment_id: str, attempt_id: str
    ) -> Response:
        assessment = assessment_for_user(user=request.user, assessment_id=assessment_id)
        attempt = taking.attempt_get(
            user=request.user, assessment=assessment, attempt_id=attempt_id
        )
        return Response(_attempt_body(attempt, assessment))

    @extend_schema(
        request=AnswersSaveSerializer,
        responses={200: AttemptSerializer, 403: ERROR_RESPONSE, 409: ERROR_RESPONSE},
        tags=["attempts"],
        summary="Save the answers of an attempt in progress",
        description="Replaces the saved set with `answers` (a partial set is fine).",
    )
    @action(detail=True, methods=["put"])
    def answers(
        self, request: AuthenticatedRequest, assessment_id: str, attempt_id: str
    ) -> Response:
        return self._save(request, assessment_id, attempt_id, replace=True)

    @extend_schema(
        # The same body as PUT (`answers` required), not the partial body PATCH implies.
        request={"application/json": {"$ref": "#/components/schemas/AnswersSaveRequest"}},
        responses={200: AttemptSerializer, 403: ERROR_RESPONSE, 409: ERROR_RESPONSE},
        tags=["attempts"],
        summary="Save some answers of an attempt in progress",
        description="Replaces the saved answers of the questions named in `answers` and "
        "keeps the others.",
    )
    @action(detail=True, methods=["patch"], url_path="answers")
    def partial_answers(
        self, request: AuthenticatedRequest, assessment_id: str, attempt_id: str
    ) -> Response:
        return self._save(request, assessment_id, attempt_id, replace=False)

    def _save(
        self, request: AuthenticatedRequest, assessment_id: str, attempt_id: str, *, replace: bool
    ) -> Response:
        assessment = assessment_for_taking(user=request.user, assessment_id=assessment_id)
        body = parse_answers(AnswersSaveSerializer, request.data, assessment)
        attempt = taking.attempt_answers_save(
            user=request.user,
            assessment=assessment,
            attempt_id=attempt_id,
            answers=body["answers"],
            replace=replace,
        )
        return Response(_attempt_body(attempt, assessment))


class SubmissionViewSet(viewsets.ViewSet):
    """`/assessments/:assessment_id/submissions[/:submission_id]`."""

    @extend_schema(
        parameters=filter_parameters(SubmissionFilter),
        responses={200: SubmissionResultSerializer(many=True)},
        tags=["submissions"],
        summary="List submissions (a learner's own; staff: everyone's)",
    )
    def list(self, request: AuthenticatedRequest, assessment_id: str) -> Response:
        assessment = assessment_for_user(user=request.user, assessment_id=assessment_id)
        submissions = taking.submission_list(user=request.user, assessment=assessment)
        return paginated_response(
            request,
            submissions,
            SubmissionResultSerializer,
            filterset_class=SubmissionFilter,
            context={"user": request.user},
        )

    @extend_schema(
        request=SubmissionCreateSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={
            201: SubmissionResultSerializer,
            403: ERROR_RESPONSE,
            409: ERROR_RESPONSE,
            422: ERROR_RESPONSE,
        },
        tags=["submissions"],
        summary="Submit answers for scoring",
    )
    def create(self, request: AuthenticatedRequest, assessment_id: str) -> HttpResponse:
        sent = taking.submission_submit(
            user=request.user,
            assessment_id=assessment_id,
            payload=request.data,
            parse=lambda assessment: parse_submission(request.data, assessment),
            render=lambda submission: render_submission(submission, request.user),
            idempotency_key=request.headers.get(idempotency.HEADER),
            scope=f"POST {request.path}",
        )
        return stored_response(sent)

    @extend_schema(
        responses={200: SubmissionResultSerializer},
        tags=["submissions"],
        summary="Get a submission's result",
    )
    def retrieve(
        self, request: AuthenticatedRequest, assessment_id: str, submission_id: str
    ) -> Response:
        assessment = assessment_for_user(user=request.user, assessment_id=assessment_id)
        submission = selectors.submission_get(
            user=request.user, assessment=assessment, submission_id=submission_id
        )
        return Response(SubmissionResultSerializer(submission, context={"user": request.user}).data)
