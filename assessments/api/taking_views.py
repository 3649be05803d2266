"""Taking assessments over the API: attempts and submissions (SPEC §6-§8).

Thin views: resolve the assessment for the caller, parse the body, call one service, serialize.
Starting, saving and submitting use `services.assessment_for_taking` (learners only); reading
uses `assessments.permissions.assessment_for_user` (learners see their own records, staff who
can see the assessment see everyone's).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments import idempotency, services
from assessments.api.taking_filters import AttemptFilter, SubmissionFilter
from assessments.api.taking_serializers import (
    AnswerSerializer,
    AnswersSaveSerializer,
    AttemptSerializer,
    AttemptSummarySerializer,
    SubmissionCreateSerializer,
    SubmissionResultSerializer,
)
from assessments.models import Assessment, Attempt
from assessments.permissions import assessment_for_user
from common.api.exceptions import validation_details
from common.api.pagination import paginated_response
from common.api.schema import ERROR_RESPONSE, filter_parameters
from common.errors import ValidationFailed

IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    idempotency.HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="Up to 255 characters. A retry with the same key and body within 24 hours "
    "replays the first answer instead of submitting again.",
)


def _validated_body(
    serializer_class: type[AnswersSaveSerializer],
    request: Request,
    assessment: Assessment,
    extra_issues: list[dict[str, str]],
) -> dict:
    """The validated body, or a `422` that lists every problem at once: the body's shape, the
    extra issues (headers), and whether each well-shaped answer fits the assessment."""
    body = serializer_class(data=request.data)
    if body.is_valid() and not extra_issues:
        return body.validated_data
    issues = list(validation_details(body.errors))
    raw_answers = request.data.get("answers")
    if isinstance(raw_answers, list):
        shaped = [AnswerSerializer(data=item) for item in raw_answers]
        well_shaped = [item.validated_data if item.is_valid() else None for item in shaped]
        issues += services.answer_issues(assessment=assessment, answers=well_shaped)
    raise ValidationFailed(details=[*issues, *extra_issues])


def _attempt_body(attempt: Attempt, assessment: Assessment) -> dict:
    questions = services.questions_for_taking(assessment=assessment)
    return AttemptSerializer(attempt, context={"questions": questions}).data


def _attempt_location(attempt: Attempt) -> str:
    return f"/api/v1/assessments/{attempt.assessment_id}/attempts/{attempt.pk}"


class AttemptListView(APIView):
    @extend_schema(
        parameters=filter_parameters(AttemptFilter),
        responses={200: AttemptSummarySerializer(many=True)},
        tags=["attempts"],
        summary="List attempts (a learner's own; staff: everyone's)",
    )
    def get(self, request: Request, assessment_id: str) -> Response:
        assessment = assessment_for_user(user=request.user, assessment_id=assessment_id)
        attempts = services.attempt_list(user=request.user, assessment=assessment)
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
    def post(self, request: Request, assessment_id: str) -> Response:
        assessment = services.assessment_for_taking(user=request.user, assessment_id=assessment_id)
        attempt, created = services.attempt_start(user=request.user, assessment=assessment)
        body = _attempt_body(attempt, assessment)
        if not created:
            return Response(body)
        return Response(
            body, status=status.HTTP_201_CREATED, headers={"Location": _attempt_location(attempt)}
        )


class AttemptDetailView(APIView):
    @extend_schema(responses={200: AttemptSerializer}, tags=["attempts"], summary="Get an attempt")
    def get(self, request: Request, assessment_id: str, attempt_id: str) -> Response:
        assessment = assessment_for_user(user=request.user, assessment_id=assessment_id)
        attempt = services.attempt_get(
            user=request.user, assessment=assessment, attempt_id=attempt_id
        )
        return Response(_attempt_body(attempt, assessment))


class AttemptAnswersView(APIView):
    @extend_schema(
        request=AnswersSaveSerializer,
        responses={200: AttemptSerializer, 403: ERROR_RESPONSE, 409: ERROR_RESPONSE},
        tags=["attempts"],
        summary="Save the answers of an attempt in progress",
    )
    def put(self, request: Request, assessment_id: str, attempt_id: str) -> Response:
        assessment = services.assessment_for_taking(user=request.user, assessment_id=assessment_id)
        body = _validated_body(AnswersSaveSerializer, request, assessment, [])
        attempt = services.attempt_answers_save(
            user=request.user, assessment=assessment, attempt_id=attempt_id, answers=body["answers"]
        )
        return Response(_attempt_body(attempt, assessment))


class SubmissionListView(APIView):
    @extend_schema(
        parameters=filter_parameters(SubmissionFilter),
        responses={200: SubmissionResultSerializer(many=True)},
        tags=["submissions"],
        summary="List submissions (a learner's own; staff: everyone's)",
    )
    def get(self, request: Request, assessment_id: str) -> Response:
        assessment = assessment_for_user(user=request.user, assessment_id=assessment_id)
        submissions = services.submission_list(user=request.user, assessment=assessment)
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
    def post(self, request: Request, assessment_id: str) -> Response:
        key = request.headers.get(idempotency.HEADER)
        scope = f"POST {request.path}"
        # A retry of a finished request is answered before any check: it is the learner's own
        # result, which they keep even after losing access to the assessment (but without the
        # review fields then: see `services.submission_replayed`).
        outcome = None
        if key is not None:
            outcome = idempotency.stored_outcome(
                user=request.user, key=key, scope=scope, payload=request.data
            )
        if outcome is None:
            outcome = self._submit(request, assessment_id, key, scope)
        submission, may_review = outcome.result, True
        if submission is None:
            submission, may_review = services.submission_replayed(
                user=request.user, submission_id=outcome.body["submission_id"]
            )
        context = {"user": request.user, "may_review": may_review}
        result = SubmissionResultSerializer(submission, context=context).data
        location = f"/api/v1/assessments/{submission.assessment_id}/submissions/{submission.pk}"
        return Response(result, status=outcome.status, headers={"Location": location})

    def _submit(
        self, request: Request, assessment_id: str, key: str | None, scope: str
    ) -> idempotency.Outcome:
        assessment = services.assessment_for_taking(user=request.user, assessment_id=assessment_id)
        body = _validated_body(
            SubmissionCreateSerializer, request, assessment, idempotency.key_issues(key)
        )

        def submit() -> idempotency.Outcome:
            submission = services.submission_create(
                user=request.user,
                assessment=assessment,
                answers=body["answers"],
                attempt_id=body.get("attempt_id"),
            )
            # Stored for a retry: which submission, to show it again as it is shown then.
            return idempotency.Outcome(
                status.HTTP_201_CREATED, {"submission_id": submission.pk}, result=submission
            )

        return idempotency.run_once(
            user=request.user, key=key, scope=scope, payload=request.data, run=submit
        )


class SubmissionDetailView(APIView):
    @extend_schema(
        responses={200: SubmissionResultSerializer},
        tags=["submissions"],
        summary="Get a submission's result",
    )
    def get(self, request: Request, assessment_id: str, submission_id: str) -> Response:
        assessment = assessment_for_user(user=request.user, assessment_id=assessment_id)
        submission = services.submission_get(
            user=request.user, assessment=assessment, submission_id=submission_id
        )
        return Response(SubmissionResultSerializer(submission, context={"user": request.user}).data)
