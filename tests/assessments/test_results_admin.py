"""Results in the Django admin (SPEC §10): read-only submissions and attempts, the CSV export and
per-assessment item statistics. Instructors see only the results of their own courses'
assessments; admins see all; learners have no admin at all."""

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from assessments import authoring, results
from assessments.models import Assessment, Attempt, Question, Submission
from assessments.taking import attempt_start, submission_create
from courses.models import Course
from tests.accounts.factories import LearnerFactory
from tests.assessments.builders import answer, frozen_clock, options_of
from tests.assessments.factories import (
    MULTIPLE,
    SINGLE,
    AssessmentFactory,
    QuestionFactory,
    enroll,
    make_question,
    published_course,
)
from tests.common.admin import admin_urls, browser, changelist_rows

pytestmark = pytest.mark.django_db

START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


url = admin_urls("assessments")


def statistics_url(assessment: Assessment) -> str:
    return url("submission_statistics", assessment.pk)


def export_url(assessment: Assessment) -> str:
    return url("submission_export", assessment.pk)


def csv_text(response: Any) -> str:
    return b"".join(response.streaming_content).decode()


def texts(question: Question) -> dict[str, str]:
    """Option id by option text."""
    return {option.text: option.pk for option in options_of(question)}


def submit(user: User, assessment: Assessment, picks: dict[Question, list[str]]) -> Submission:
    """Submits through the real service: `picks` maps each question to the texts of the options
    chosen (an empty list leaves it unanswered)."""
    return submission_create(
        user=user,
        assessment=assessment,
        answers=[
            answer(question, [texts(question)[text] for text in chosen])
            for question, chosen in picks.items()
        ],
    )


# --- data ----------------------------------------------------------------------------------------


@pytest.fixture
def course(instructor) -> Course:
    return published_course(instructor, title="Ivan's course")


@pytest.fixture
def quiz(course) -> Assessment:
    """Two questions: Q1 single choice (A right; 1 point), Q2 multiple choice (X and Y right;
    3 points). Pass mark 70."""
    assessment = AssessmentFactory(course=course, title="Ivan's quiz", passing_score=70)
    QuestionFactory(
        assessment=assessment,
        type=SINGLE,
        text="Q1: pick A",
        points=1,
        options=[("A", True), ("B", False), ("C", False)],
    )
    QuestionFactory(
        assessment=assessment,
        type=MULTIPLE,
        text="Q2: pick X and Y",
        points=3,
        options=[("X", True), ("Y", True), ("Z", False)],
    )
    return assessment


def questions(assessment: Assessment) -> list[Question]:
    return list(assessment.questions.order_by("position"))


@pytest.fixture
def third_learner(db) -> User:
    return LearnerFactory(name="Tom Third", email="tom@example.com")


@pytest.fixture
def graded(quiz, learner, other_learner, third_learner) -> list[Submission]:
    """Three submissions, a minute apart:

    - Lena: Q1 A (right), Q2 X+Y (right): 4/4 = 100.00, passed
    - Oscar: Q1 B (wrong), Q2 X+Y (right): 3/4 = 75.00, passed
    - Tom: Q1 unanswered, Q2 X+Z (wrong): 0/4 = 0.00, failed
    """
    q1, q2 = questions(quiz)
    made = []
    with frozen_clock(START) as clock:
        for user, picks in [
            (learner, {q1: ["A"], q2: ["X", "Y"]}),
            (other_learner, {q1: ["B"], q2: ["X", "Y"]}),
            (third_learner, {q1: [], q2: ["X", "Z"]}),
        ]:
            enroll(user, quiz.course)
            made.append(submit(user, quiz, picks))
            clock.advance(minutes=1)
    return made


@pytest.fixture
def foreign(other_instructor, other_learner) -> Submission:
    """A submission to another instructor's assessment."""
    course = published_course(other_instructor, title="Olga's course")
    assessment = AssessmentFactory(course=course, title="Olga's quiz", questions=2)
    enroll(other_learner, course)
    (q1, q2) = questions(assessment)
    return submission_create(
        user=other_learner,
        assessment=assessment,
        answers=[answer(q1, [options_of(q1)[0].pk]), answer(q2, [options_of(q2)[0].pk])],
    )


# --- who sees what -------------------------------------------------------------------------------


def test_admin_submission_list_shows_every_submission(admin, graded, foreign):
    response = browser(admin).get(url("submission_changelist"))

    assert response.status_code == 200
    assert set(changelist_rows(response)) == {*graded, foreign}


def test_instructor_submission_list_shows_only_their_assessments(instructor, graded, foreign):
    response = browser(instructor).get(url("submission_changelist"))

    assert response.status_code == 200
    assert set(changelist_rows(response)) == set(graded)
    assert "Olga" not in response.text


def test_instructor_attempt_list_shows_only_their_assessments(instructor, graded, foreign):
    response = browser(instructor).get(url("attempt_changelist"))

    assert response.status_code == 200
    assert set(changelist_rows(response)) == {s.attempt for s in graded}


def test_admin_attempt_list_shows_every_attempt(admin, graded, foreign):
    response = browser(admin).get(url("attempt_changelist"))

    assert set(changelist_rows(response)) == set(Attempt.objects.all())
    assert Attempt.objects.count() == 4


def test_instructor_filter_choices_name_only_their_assessments_and_courses(
    instructor, learner, graded, foreign
):
    second_course = published_course(instructor, title="Ivan's second course")
    second = AssessmentFactory(course=second_course, title="Ivan's second quiz", questions=1)
    enroll(learner, second_course)
    submission_create(user=learner, assessment=second, answers=[])

    response = browser(instructor).get(url("submission_changelist"))

    choices = [
        label
        for spec in response.context["cl"].filter_specs
        for _pk, label in getattr(spec, "lookup_choices", [])
    ]
    assert {"Ivan's quiz", "Ivan's second quiz", "Ivan's course", "Ivan's second course"} <= set(
        choices
    )
    assert "Olga's quiz" not in choices and "Olga's course" not in choices


@pytest.mark.parametrize("view", ["change", "history"])
def test_instructor_cannot_open_another_instructors_submission(instructor, foreign, view):
    response = browser(instructor).get(url(f"submission_{view}", foreign.pk))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


@pytest.mark.parametrize("view", ["change", "history"])
def test_instructor_cannot_open_another_instructors_attempt(instructor, foreign, view):
    response = browser(instructor).get(url(f"attempt_{view}", foreign.attempt_id))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_instructor_opens_their_own_submission_and_attempt(instructor, graded):
    client = browser(instructor)

    assert client.get(url("submission_change", graded[0].pk)).status_code == 200
    assert client.get(url("attempt_change", graded[0].attempt_id)).status_code == 200


@pytest.mark.parametrize("page", [statistics_url, export_url])
def test_instructor_gets_404_for_another_instructors_results(instructor, foreign, page):
    response = browser(instructor).get(page(foreign.assessment))

    assert response.status_code == 404


@pytest.mark.parametrize("page", [statistics_url, export_url])
def test_staff_without_the_right_to_read_results_get_403(instructor, quiz, page):
    instructor.groups.clear()  # staff still, but no longer holding the Instructors' rights

    response = browser(instructor).get(page(quiz))

    assert response.status_code == 403


@pytest.mark.parametrize("page", [statistics_url, export_url])
def test_results_of_an_unknown_assessment_are_404(admin, page):
    response = browser(admin).get(page(Assessment(pk="asmnt_doesnotexist")))

    assert response.status_code == 404


@pytest.mark.parametrize("page", [statistics_url, export_url])
def test_admin_reads_any_assessments_results(admin, foreign, page):
    response = browser(admin).get(page(foreign.assessment))

    assert response.status_code == 200


def test_instructor_export_action_leaves_out_other_instructors_submissions(
    instructor, graded, foreign
):
    response = browser(instructor).post(
        url("submission_changelist"),
        {
            "action": "export_csv",
            "_selected_action": [graded[0].pk, foreign.pk],
            "index": 0,
        },
    )

    body = csv_text(response)
    assert graded[0].pk in body
    assert foreign.pk not in body


def results_pages(assessment: Assessment, submission: Submission) -> list[str]:
    return [
        url("submission_changelist"),
        url("submission_change", submission.pk),
        url("attempt_changelist"),
        url("attempt_change", submission.attempt_id),
        statistics_url(assessment),
        export_url(assessment),
    ]


def test_learner_has_no_results_admin(learner, quiz, graded):
    client = browser(learner)

    for page in results_pages(quiz, graded[0]):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("admin:login")), page


def test_anonymous_is_sent_to_the_admin_login(quiz, graded):
    for page in results_pages(quiz, graded[0]):
        response = Client().get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("admin:login")), page


# --- read-only for everyone ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["admin", "instructor"])
@pytest.mark.parametrize("model", ["submission", "attempt"])
def test_nobody_adds_results_in_the_admin(request, persona, model, graded):
    client = browser(request.getfixturevalue(persona))

    assert client.get(url(f"{model}_add")).status_code == 403
    assert client.post(url(f"{model}_add"), {"attempt_number": 9}).status_code == 403
    assert Submission.objects.count() == 3 and Attempt.objects.count() == 3


@pytest.mark.parametrize("persona", ["admin", "instructor"])
def test_posting_to_a_submission_changes_nothing(request, persona, graded):
    submission = graded[2]
    client = browser(request.getfixturevalue(persona))

    response = client.post(
        url("submission_change", submission.pk),
        {"score": "100.00", "passed": "on", "attempt_number": 7},
    )

    assert response.status_code == 403
    submission.refresh_from_db()
    assert (submission.score, submission.passed, submission.attempt_number) == (
        Decimal("0.00"),
        False,
        1,
    )


@pytest.mark.parametrize("persona", ["admin", "instructor"])
def test_posting_to_an_attempt_changes_nothing(request, persona, graded):
    attempt = graded[0].attempt
    client = browser(request.getfixturevalue(persona))

    response = client.post(url("attempt_change", attempt.pk), {"status": "in_progress"})

    assert response.status_code == 403
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED


@pytest.mark.parametrize("persona", ["admin", "instructor"])
def test_nobody_deletes_results_in_the_admin(request, persona, graded):
    client = browser(request.getfixturevalue(persona))
    submission = graded[0]

    assert client.get(url("submission_delete", submission.pk)).status_code == 403
    assert client.post(url("submission_delete", submission.pk), {"post": "yes"}).status_code == 403
    assert (
        client.post(url("attempt_delete", submission.attempt_id), {"post": "yes"}).status_code
        == 403
    )
    client.post(
        url("submission_changelist"),
        {"action": "delete_selected", "_selected_action": [submission.pk], "post": "yes"},
    )
    assert Submission.objects.count() == 3 and Attempt.objects.count() == 3


def test_the_only_bulk_action_is_the_csv_export(admin, graded):
    response = browser(admin).get(url("submission_changelist"))

    choices = [name for name, _label in response.context["action_form"].fields["action"].choices]
    assert choices == ["", "export_csv"]


def test_submission_page_shows_the_graded_answers_read_only(instructor, graded):
    submission = graded[1]  # Oscar: Q1 B (wrong), Q2 X+Y (right)

    response = browser(instructor).get(url("submission_change", submission.pk))

    assert response.status_code == 200
    html = response.text
    assert "<caption>Answers as graded</caption>" in html
    assert '<th scope="row">1</th><td>Q1: pick A</td><td>B</td><td>A</td><td>Wrong</td>' in html
    assert (
        '<th scope="row">2</th><td>Q2: pick X and Y</td><td>X; Y</td><td>X; Y</td><td>Correct</td>'
        "<td>3 / 3</td>" in html
    )
    assert "Oscar Learner" in html and "75.00" in html
    assert 'name="score"' not in html and 'name="_save"' not in html


def test_attempt_page_links_its_submission(instructor, graded):
    submission = graded[0]

    response = browser(instructor).get(url("attempt_change", submission.attempt_id))

    assert response.status_code == 200
    assert url("submission_change", submission.pk) in response.text
    assert "100.00%, passed" in response.text


def test_submission_search_finds_by_email_name_and_id(admin, graded):
    client = browser(admin)

    def found(term: str) -> set[Submission]:
        response = client.get(url("submission_changelist"), {"q": term})
        return set(changelist_rows(response))

    assert found("oscar@example") == {graded[1]}
    assert found("Tom Third") == {graded[2]}
    assert found(graded[0].pk) == {graded[0]}


def test_submission_filters_by_passed_and_assessment(admin, graded, foreign):
    client = browser(admin)

    def listed(**params: str) -> set[Submission]:
        return set(client.get(url("submission_changelist"), params).context["cl"].result_list)

    assert listed(passed__exact="0") == {graded[2], foreign}  # Olga's learner got 33.33
    assert listed(assessment__id__exact=foreign.assessment_id) == {foreign}
    assert listed(assessment__course__id__exact=graded[0].assessment.course_id) == set(graded)


def test_attempt_filters_by_status(admin, graded, quiz):
    waiting = LearnerFactory()
    enroll(waiting, quiz.course)
    open_attempt, _created = attempt_start(user=waiting, assessment=quiz)

    response = browser(admin).get(url("attempt_changelist"), {"status__exact": "in_progress"})

    assert set(changelist_rows(response)) == {open_attempt}


# --- links ---------------------------------------------------------------------------------------


def test_assessment_list_links_each_assessments_statistics(instructor, quiz):
    response = browser(instructor).get(url("assessment_changelist"))

    assert f'<a href="{statistics_url(quiz)}">Statistics</a>' in response.text


def test_assessment_page_links_statistics_and_export(instructor, quiz):
    response = browser(instructor).get(url("assessment_change", quiz.pk))

    assert f'href="{statistics_url(quiz)}"' in response.text
    assert f'href="{export_url(quiz)}"' in response.text


# --- CSV export ----------------------------------------------------------------------------------


def test_assessment_export_is_exact(instructor, quiz, graded):
    q1, q2 = questions(quiz)
    lena, oscar, tom = graded

    response = browser(instructor).get(export_url(quiz))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="results-{quiz.pk}-')
    assert csv_text(response) == (
        "submission_id,user_id,learner_email,learner_name,attempt_number,score,passed,"
        f"submitted_at,{q1.pk},{q2.pk}\r\n"
        f"{lena.pk},{lena.user_id},lena@example.com,Lena Learner,1,100.00,1,"
        "2025-03-01T09:00:00.000000Z,1,1\r\n"
        f"{oscar.pk},{oscar.user_id},oscar@example.com,Oscar Learner,1,75.00,1,"
        "2025-03-01T09:01:00.000000Z,0,1\r\n"
        f"{tom.pk},{tom.user_id},tom@example.com,Tom Third,1,0.00,0,"
        "2025-03-01T09:02:00.000000Z,0,0\r\n"
    )


def test_export_neutralises_formulas_in_cells(instructor, quiz):
    sneaky = LearnerFactory(name='=HYPERLINK("http://evil","x")', email="@evil@example.com")
    enroll(sneaky, quiz.course)
    q1, q2 = questions(quiz)
    with frozen_clock(START):
        submission = submit(sneaky, quiz, {q1: ["A"], q2: []})

    body = csv_text(browser(instructor).get(export_url(quiz)))

    assert body.splitlines()[1] == (
        f"{submission.pk},{sneaky.pk},'@evil@example.com,"
        '"\'=HYPERLINK(""http://evil"",""x"")",1,25.00,0,'
        "2025-03-01T09:00:00.000000Z,1,0"
    )


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        (Decimal("12.50"), "12.50"),
        (None, ""),
        (0, "0"),
    ],
)
def test_csv_cells_starting_a_formula_get_a_quote(value, cell):
    assert results.csv_cell(value) == cell


def test_export_keeps_deleted_questions_and_leaves_new_ones_empty(instructor, quiz, graded):
    q1, q2 = questions(quiz)
    deleted_id = q1.pk
    authoring.question_delete(question=q1)
    q3 = make_question(quiz, type=SINGLE, text="Q3: added later")

    lines = csv_text(browser(instructor).get(export_url(quiz))).splitlines()

    assert lines[0].endswith(f",submitted_at,{q2.pk},{q3.pk},{deleted_id}")
    assert lines[1].endswith("Z,1,,1")  # Lena: Q2 right, Q3 not asked, Q1 right
    assert lines[2].endswith("Z,1,,0")  # Oscar: Q1 wrong


def test_export_action_writes_the_selected_submissions(admin, quiz, graded, foreign):
    q1, q2 = questions(quiz)
    f1, f2 = questions(foreign.assessment)
    lena = graded[0]

    response = browser(admin).post(
        url("submission_changelist"),
        {"action": "export_csv", "_selected_action": [foreign.pk, lena.pk], "index": 0},
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="submissions-')
    lines = csv_text(response).splitlines()
    assert lines[0] == (
        "submission_id,assessment_id,user_id,learner_email,learner_name,attempt_number,score,"
        f"passed,submitted_at,{q1.pk},{q2.pk},{f1.pk},{f2.pk}"
    )
    assert len(lines) == 3
    assert lines[1].startswith(f"{lena.pk},{quiz.pk},{lena.user_id},lena@example.com,")
    assert lines[1].endswith(",1,1,,")
    assert lines[2].startswith(f"{foreign.pk},{foreign.assessment_id},")
    assert lines[2].endswith("Z,,,1,0")  # Olga's quiz: first options, right then wrong


# --- item statistics -----------------------------------------------------------------------------


def option_rows(question: results.QuestionStats) -> list[tuple[str, bool, int, Decimal | None]]:
    return [(o.text, o.is_correct, o.chosen, o.share) for o in question.options]


def test_statistics_are_exact(instructor, quiz, graded):
    waiting = LearnerFactory()
    enroll(waiting, quiz.course)
    attempt_start(user=waiting, assessment=quiz)  # an attempt without a submission yet

    response = browser(instructor).get(statistics_url(quiz))

    assert response.status_code == 200
    stats = response.context["stats"]
    assert (stats.submissions, stats.attempts, stats.learners) == (3, 4, 3)
    assert stats.average_score == Decimal("58.33")  # (100 + 75 + 0) / 3
    assert (stats.passed, stats.pass_rate) == (2, Decimal("66.67"))
    q1, q2 = stats.questions
    assert (q1.number, q1.text, q1.removed) == (1, "Q1: pick A", False)
    assert (q1.submissions, q1.answered, q1.correct, q1.share_correct) == (
        3,
        2,
        1,
        Decimal("33.33"),
    )
    assert option_rows(q1) == [
        ("A", True, 1, Decimal("33.33")),
        ("B", False, 1, Decimal("33.33")),
        ("C", False, 0, Decimal("0.00")),
    ]
    assert (q1.unanswered, q1.unanswered_share) == (1, Decimal("33.33"))
    assert (q2.submissions, q2.answered, q2.correct, q2.share_correct) == (
        3,
        3,
        2,
        Decimal("66.67"),
    )
    assert option_rows(q2) == [
        ("X", True, 3, Decimal("100.00")),
        ("Y", True, 2, Decimal("66.67")),
        ("Z", False, 1, Decimal("33.33")),
    ]
    assert (q2.unanswered, q2.unanswered_share) == (0, Decimal("0.00"))


def test_statistics_page_renders_accessible_tables(instructor, quiz, graded):
    response = browser(instructor).get(statistics_url(quiz))

    html = response.text
    assert "<h1>Item statistics: Ivan&#x27;s quiz</h1>" in html
    assert "<caption>Summary</caption>" in html and "<caption>Questions</caption>" in html
    assert "<caption>Question 1: Q1: pick A</caption>" in html
    assert '<th scope="row">Average score</th><td>58.33%</td>' in html
    assert '<th scope="row">Pass rate</th><td>66.67% (2 of 3)</td>' in html
    assert '<th scope="col">Share correct</th>' in html
    assert "<td>Multiple choice</td>" in html
    assert f'href="{export_url(quiz)}"' in html


def test_statistics_keep_deleted_questions_after_current_ones(instructor, quiz, graded):
    q1, _q2 = questions(quiz)
    authoring.question_delete(question=q1)
    make_question(quiz, type=SINGLE, text="Q3: added later")

    stats = browser(instructor).get(statistics_url(quiz)).context["stats"]

    assert [(q.number, q.text, q.removed, q.submissions) for q in stats.questions] == [
        (1, "Q2: pick X and Y", False, 3),
        (2, "Q3: added later", False, 0),
        (3, "Q1: pick A", True, 3),
    ]
    deleted = stats.questions[2]
    assert (deleted.correct, deleted.share_correct) == (1, Decimal("33.33"))
    assert option_rows(deleted)[0] == ("A", True, 1, Decimal("33.33"))
    assert stats.questions[1].share_correct is None


def test_statistics_of_an_assessment_without_submissions(instructor, quiz):
    response = browser(instructor).get(statistics_url(quiz))

    stats = response.context["stats"]
    assert (stats.submissions, stats.attempts, stats.average_score, stats.pass_rate) == (
        0,
        0,
        None,
        None,
    )
    assert [q.submissions for q in stats.questions] == [0, 0]


def test_item_statistics_list_options_deleted_since_after_current_ones():
    question = results.QuestionInfo(
        id="q_1",
        text="Now",
        type="single_choice",
        options=(results.OptionInfo(id="opt_b", text="B", is_correct=True),),
    )
    snapshot = {
        "question_id": "q_1",
        "text": "Then",
        "type": "single_choice",
        "options": [{"id": "opt_a", "text": "A"}, {"id": "opt_b", "text": "B"}],
        "selected_option_ids": ["opt_a"],
        "correct": True,
        "correct_option_ids": ["opt_a"],
    }

    stats = results.item_statistics(
        questions=[question],
        submissions=[results.SubmissionSnapshot("usr_1", Decimal("100.00"), True, [snapshot])],
        attempts=1,
    )

    (row,) = stats.questions
    assert row.text == "Now"
    assert [(o.id, o.text, o.is_correct, o.chosen, o.removed) for o in row.options] == [
        ("opt_b", "B", True, 0, False),
        ("opt_a", "A", True, 1, True),
    ]


# --- query counts --------------------------------------------------------------------------------


@pytest.fixture
def many_submissions(instructor, course) -> Callable[[int], Assessment]:
    """`many_submissions(n)`: an assessment of the instructor's with n real submissions from
    five learners, and as many attempts."""

    def make(n: int) -> Assessment:
        assessment = AssessmentFactory(course=course, questions=3)
        learners = [LearnerFactory() for _ in range(5)]
        for user in learners:
            enroll(user, course)
        for index in range(n):
            picks = [answer(q, [options_of(q)[index % 2].pk]) for q in assessment.questions.all()]
            submission_create(user=learners[index % 5], assessment=assessment, answers=picks)
        return assessment

    return make


# Each page: session, user, the instructor's permissions (two), then its own queries.
# Lists: the two filters' choices (assessments, courses), two counts, the page of rows.
CHANGELIST_QUERIES = 9
# Statistics: the assessment, its questions, their options, the attempt count, the submissions.
STATISTICS_QUERIES = 9
# Export: the assessment, the snapshots (for the columns), the question ids, the rows.
EXPORT_QUERIES = 8


@pytest.mark.parametrize("n", [5, 50])
def test_submission_list_queries_do_not_grow(
    instructor, many_submissions, django_assert_num_queries, n
):
    many_submissions(n)
    client = browser(instructor)

    with django_assert_num_queries(CHANGELIST_QUERIES):
        response = client.get(url("submission_changelist"))

    assert response.context["cl"].result_count == n


@pytest.mark.parametrize("n", [5, 50])
def test_attempt_list_queries_do_not_grow(
    instructor, many_submissions, django_assert_num_queries, n
):
    many_submissions(n)
    client = browser(instructor)

    with django_assert_num_queries(CHANGELIST_QUERIES):
        response = client.get(url("attempt_changelist"))

    assert response.context["cl"].result_count == n


@pytest.mark.parametrize("n", [5, 50])
def test_statistics_queries_do_not_grow(instructor, many_submissions, django_assert_num_queries, n):
    assessment = many_submissions(n)
    client = browser(instructor)

    with django_assert_num_queries(STATISTICS_QUERIES):
        response = client.get(statistics_url(assessment))

    assert response.context["stats"].submissions == n


@pytest.mark.parametrize("n", [5, 50])
def test_export_queries_do_not_grow(instructor, many_submissions, django_assert_num_queries, n):
    assessment = many_submissions(n)
    client = browser(instructor)

    with django_assert_num_queries(EXPORT_QUERIES):
        body = csv_text(client.get(export_url(assessment)))

    assert len(body.splitlines()) == n + 1
