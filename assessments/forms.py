"""The quiz form: reading a posted quiz into answers, and the questions as the form shows them.

A quiz posts one field per question, `q-<question id>`, holding the chosen option ids (radio
buttons: at most one; checkboxes: any number). Every question of the form is read, answered or
not, so what is graded is what the learner sees on the page. Whether an option belongs to its
question is `assessments.taking`'s rule; this module only reads the form's shape.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from assessments.models import Question
from assessments.taking import Answer
from common.validation import Issue


def field_name(question: Question) -> str:
    return f"q-{question.pk}"


def answers_from_form(data: QueryDict, questions: Sequence[Question]) -> list[Answer]:
    """One answer per question, in question order (so `answers[i]` in an issue is question i):
    multiple choice `selected_option_ids` (possibly empty), else `selected_option_id` (None:
    unanswered). A second value for a one-answer question is kept as a list, for the service to
    refuse by name."""
    answers: list[Answer] = []
    for question in questions:
        values = list(dict.fromkeys(data.getlist(field_name(question))))
        if question.type == Question.Type.MULTIPLE_CHOICE:
            answers.append({"question_id": question.pk, "selected_option_ids": values})
        else:
            answers.append(
                {"question_id": question.pk, "selected_option_id": values[0] if values else None}
            )
    return answers


def answered(answer: Answer) -> bool:
    return bool(answer.get("selected_option_ids") or answer.get("selected_option_id"))


def selections_from_answers(answers: Sequence[Answer]) -> dict[str, list[str]]:
    """Question id -> chosen option ids, the shape of `Attempt.saved_answers`."""
    chosen: dict[str, list[str]] = {}
    for answer in answers:
        ids = answer.get("selected_option_ids")
        single = answer.get("selected_option_id")
        chosen[answer["question_id"]] = (
            list(ids) if ids is not None else ([single] if single else [])
        )
    return chosen


@dataclass
class ShownOption:
    id: str
    text: str
    checked: bool


@dataclass
class ShownQuestion:
    """A question as the quiz form shows it (never its answer key)."""

    number: int
    id: str
    text: str
    multiple: bool
    points: int
    field_name: str
    options: list[ShownOption]
    errors: list[str] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"opt-{self.options[0].id}" if self.options else f"question-{self.id}"


def shown_questions(
    questions: Sequence[Question],
    chosen: Mapping[str, Sequence[str]],
    issues: Sequence[Issue] = (),
) -> list[ShownQuestion]:
    """The questions with the options `chosen` checked, and each issue (`answers[i]...`, as the
    service reports it for answers read in question order) put on its question."""
    shown = [
        ShownQuestion(
            number=index + 1,
            id=question.pk,
            text=question.text,
            multiple=question.type == Question.Type.MULTIPLE_CHOICE,
            points=question.points,
            field_name=field_name(question),
            options=[
                ShownOption(o.pk, o.text, o.pk in chosen.get(question.pk, ()))
                for o in question.options.all()
            ],
        )
        for index, question in enumerate(questions)
    ]
    for item in issues:
        index = _answer_index(item["field"])
        if index is not None and index < len(shown):
            shown[index].errors.append(item["issue"])
    return shown


def _answer_index(name: str) -> int | None:
    if not name.startswith("answers["):
        return None
    number = name[len("answers[") :].split("]", 1)[0]
    return int(number) if number.isdigit() else None


def error_list(
    questions: Sequence[ShownQuestion], general: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """The error summary: general messages first, then one line per question in error, each
    linking to the question's first option."""
    errors: list[dict[str, Any]] = [{"message": message, "anchor": ""} for message in general]
    for question in questions:
        errors.extend(
            {"message": f"Question {question.number}: {message}", "anchor": question.anchor}
            for message in question.errors
        )
    return errors
