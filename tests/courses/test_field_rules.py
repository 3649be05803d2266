"""The one-field rules of courses and users live on the model fields: the services' checks and
the admin forms both read them from there."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from accounts.services import user_field_issues
from courses.models import Course
from courses.services import course_field_issues


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "ab", "Must be between 3 and 200 characters."),
        ("category", "c" * 101, "At most 100 characters."),
    ],
)
def test_course_field_validators_say_what_the_service_says(field, value, message):
    with pytest.raises(ValidationError) as error:
        Course._meta.get_field(field).run_validators(value)

    assert message in error.value.messages
    assert course_field_issues(**{field: value}) == [{"field": field, "issue": message}]


def test_course_rules_apply_to_the_trimmed_text():
    assert course_field_issues(title="  ab  ") == [
        {"field": "title", "issue": "Must be between 3 and 200 characters."}
    ]
    assert course_field_issues(title=" " + "t" * 200 + " ", category=" " + "c" * 100 + " ") == []


def test_user_name_validator_says_what_the_service_says(db):
    with pytest.raises(ValidationError) as error:
        User._meta.get_field("name").run_validators(" x ")

    assert error.value.messages == ["Must be between 2 and 100 characters."]
    assert user_field_issues(user=None, name=" x ") == [
        {"field": "name", "issue": "Must be between 2 and 100 characters."}
    ]
