"""The strict input fields (common.api.fields): each takes only its own JSON type."""

import pytest
from rest_framework import serializers

from common.api.fields import StrictBooleanField, StrictCharField, StrictIntegerField


class Body(serializers.Serializer):
    text = StrictCharField(required=False)
    flag = StrictBooleanField(required=False)
    number = StrictIntegerField(required=False)
    ranged = StrictIntegerField(required=False, min_value=1, max_value=100)


def errors_of(data: dict) -> dict:
    body = Body(data=data)
    assert not body.is_valid()
    return {field: [str(issue) for issue in issues] for field, issues in body.errors.items()}


def valid(data: dict) -> dict:
    body = Body(data=data)
    assert body.is_valid(), body.errors
    return dict(body.validated_data)


@pytest.mark.parametrize("value", [12345, 1.5, True, False, ["a"], {"a": "b"}])
def test_char_field_refuses_anything_but_a_string(value):
    assert errors_of({"text": value}) == {"text": ["Must be a string."]}


@pytest.mark.parametrize("value", ["", "  ", "12345", "text"])
def test_char_field_keeps_the_rules_of_drfs_char_field(value):
    if value.strip():
        assert valid({"text": value}) == {"text": value.strip()}
    else:
        assert errors_of({"text": value}) == {"text": ["This field may not be blank."]}


def test_char_field_refuses_null_as_drf_does():
    assert errors_of({"text": None}) == {"text": ["This field may not be null."]}


@pytest.mark.parametrize("value", ["yes", "no", "true", "false", "1", "0", 1, 0, None, [], {}])
def test_boolean_field_refuses_anything_but_true_or_false(value):
    expected = "This field may not be null." if value is None else "Must be a boolean."
    assert errors_of({"flag": value}) == {"flag": [expected]}


@pytest.mark.parametrize("value", [True, False])
def test_boolean_field_takes_json_booleans(value):
    assert valid({"flag": value}) == {"flag": value}


@pytest.mark.parametrize("value", ["70", "7e1", 70.0, 70.5, True, False, [70], {"n": 70}])
def test_integer_field_refuses_anything_but_a_json_integer(value):
    assert errors_of({"number": value}) == {"number": ["Must be an integer."]}


@pytest.mark.parametrize("value", [0, -3, 70, 10**30])
def test_integer_field_takes_json_integers(value):
    assert valid({"number": value}) == {"number": value}


def test_integer_field_still_checks_min_and_max_value():
    assert set(errors_of({"ranged": 0})) == {"ranged"}
    assert set(errors_of({"ranged": 101})) == {"ranged"}
    assert valid({"ranged": 100}) == {"ranged": 100}


def test_integer_field_bounds_only_document_the_range():
    field = StrictIntegerField(bounds=(1, 100))

    assert (field.min_value, field.max_value) == (1, 100)
    assert field.run_validation(1000) == 1000  # the service, not the field, checks the range
