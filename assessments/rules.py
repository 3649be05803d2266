"""The rules of a question's option set and position, as pure functions: no ORM, no clock, no
settings (SPEC §5). The API, the admin and the services all check questions through here.

Rules on one field (a title's length, a pass mark's range) are validators on the model fields
(`assessments.models`), checked with `common.validation.field_issues`; what is here concerns
several values at once: how many options a type takes, how many of them are correct, texts
unique within a question, positions within the set.

`options` are mappings `{"text", "is_correct", "position"?, "id"?}` as a request sends them, so
anything may be of the wrong type; every problem is reported against its item (`options[3].text`).
"""

from collections.abc import Collection, Mapping, Sequence
from typing import Any, TypedDict

from assessments.scoring import MULTIPLE_CHOICE, SINGLE_CHOICE, TRUE_FALSE
from common.validation import Issues, issue

OPTION_COUNT = (2, 10)
OPTION_TEXT_LENGTH = (1, 500)
TRUE_FALSE_TEXTS = ("True", "False")
QUESTION_TYPES = (SINGLE_CHOICE, MULTIPLE_CHOICE, TRUE_FALSE)
# How people read the types: in messages, the admin's choices and the model's.
QUESTION_TYPE_LABELS = {
    SINGLE_CHOICE: "Single choice",
    MULTIPLE_CHOICE: "Multiple choice",
    TRUE_FALSE: "True / false",
}


class OptionRow(TypedDict):
    """An option as it is stored: `id` None for a new one, positions 1..n."""

    id: str | None
    text: str
    is_correct: bool
    position: int


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def option_texts(question_type: Any, options: Sequence[Any]) -> list[str | None]:
    """The text each option gets: its own, trimmed (`None` when it is not a string). The first
    two options of a true_false question may leave it out: such an option gets the one of
    "True" / "False" the other option does not use ("True" for the first and "False" for the
    second when both are free)."""
    texts: list[str | None] = []
    for option in options:
        text = option.get("text") if isinstance(option, Mapping) else None
        texts.append(text.strip() if isinstance(text, str) else None)
    if question_type != TRUE_FALSE:
        return texts
    for index, option in enumerate(options[:2]):
        if isinstance(option, Mapping) and option.get("text") is None:
            used = {text.casefold() for text in texts if text}
            free = [text for text in TRUE_FALSE_TEXTS if text.casefold() not in used]
            default = TRUE_FALSE_TEXTS[index]
            texts[index] = default if default in free or not free else free[0]
    return texts


def _text_fits(value: Any) -> bool:
    low, high = OPTION_TEXT_LENGTH
    return isinstance(value, str) and low <= len(value.strip()) <= high


def option_issues(question_type: Any, options: Any, option_ids: Collection[str] = ()) -> Issues:
    """Every rule the option set of a question of `question_type` breaks: 2 to 10 options
    (true_false: exactly 2), texts of 1 to 500 characters unique within the question, positions
    1..n each used once, and exactly one correct option (`single_choice`, `true_false`) or at
    least one (`multiple_choice`). An `id` must be one of `option_ids`, the question's current
    options (none for a new question)."""
    if not isinstance(options, Sequence) or isinstance(options, str):
        return [issue("options", "Must be a list of options.")]
    issues: Issues = []
    low, high = OPTION_COUNT
    if question_type == TRUE_FALSE and len(options) != 2:
        issues.append(issue("options", "A True / false question has exactly 2 options."))
    elif not low <= len(options) <= high:
        issues.append(issue("options", f"Must have between {low} and {high} options."))

    texts = option_texts(question_type, options)
    seen_texts: set[str] = set()  # case-insensitive: "Yes" and "yes " are the same answer
    seen_ids: set[str] = set()
    given_positions: set[int] = set()
    for index, option in enumerate(options):
        prefix = f"options[{index}]"
        if not isinstance(option, Mapping):
            issues.append(issue(prefix, "Must be an object."))
            continue
        option_id = option.get("id")
        if option_id is not None:
            if option_id not in option_ids:
                issues.append(issue(f"{prefix}.id", "No such option in this question."))
            elif option_id in seen_ids:
                issues.append(issue(f"{prefix}.id", "This option is listed twice."))
            seen_ids.add(option_id)
        text = option.get("text")
        defaulted = text is None and question_type == TRUE_FALSE and index < 2
        if defaulted or _text_fits(text):
            folded = str(texts[index]).casefold()
            if folded in seen_texts:
                issues.append(
                    issue(f"{prefix}.text", "Another option of this question has this text.")
                )
            seen_texts.add(folded)
        else:
            low_text, high_text = OPTION_TEXT_LENGTH
            issues.append(
                issue(f"{prefix}.text", f"Must be between {low_text} and {high_text} characters.")
            )
        if not isinstance(option.get("is_correct", False), bool):
            issues.append(issue(f"{prefix}.is_correct", "Must be true or false."))
        position = option.get("position")
        if position is not None:
            if not _is_int(position) or not 1 <= position <= len(options):
                issues.append(
                    issue(f"{prefix}.position", f"Must be an integer from 1 to {len(options)}.")
                )
            elif position in given_positions:
                issues.append(issue(f"{prefix}.position", "Another option has this position."))
            else:
                given_positions.add(position)

    correct = sum(
        1 for option in options if isinstance(option, Mapping) and option.get("is_correct") is True
    )
    if question_type in (SINGLE_CHOICE, TRUE_FALSE) and correct != 1:
        label = QUESTION_TYPE_LABELS[question_type]
        issues.append(issue("options", f"A {label} question has exactly 1 correct option."))
    elif question_type == MULTIPLE_CHOICE and correct < 1:
        issues.append(issue("options", "A Multiple choice question has at least 1 correct option."))
    return issues


def ordered_options(question_type: str, options: Sequence[Mapping[str, Any]]) -> list[OptionRow]:
    """Valid options as rows to store, in position order, positions 1..n: a given position is
    kept, the others fill the free places in request order."""
    texts = option_texts(question_type, options)
    given = {option["position"] for option in options if option.get("position") is not None}
    free = iter(sorted(set(range(1, len(options) + 1)) - given))
    rows: list[OptionRow] = [
        {
            "id": option.get("id"),
            "text": str(text),
            "is_correct": bool(option.get("is_correct", False)),
            "position": option["position"] if option.get("position") is not None else next(free),
        }
        for option, text in zip(options, texts, strict=True)
    ]
    return sorted(rows, key=lambda row: row["position"])


def position_issues(*, position: Any, question_count: int, adding: bool) -> Issues:
    """A question's position runs from 1 to the number of questions (one more when adding)."""
    last = question_count + 1 if adding else question_count
    if not _is_int(position) or not 1 <= position <= last:
        return [issue("position", f"Must be an integer from 1 to {last}.")]
    return []
