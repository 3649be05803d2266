"""Pagination edges (SPEC §2), on `GET /api/v1/users`: `page` from 1, `per_page` 20 by default
and capped at 100, bad values a 422, a page past the end empty with true `meta`."""

import pytest

from accounts.models import User
from tests.accounts.factories import LearnerFactory
from tests.common.assertions import assert_error, assert_success, detail_fields

URL = "/api/v1/users"


@pytest.fixture
def users(admin):
    """25 users in all: the admin and 24 learners."""
    LearnerFactory.create_batch(24)
    return list(User.objects.order_by("created_at", "id").values_list("id", flat=True))


def test_default_meta_is_page_1_of_20(admin_client, users):
    response = admin_client.get(URL)

    data = assert_success(response)
    assert response.json()["meta"] == {"total": 25, "page": 1, "per_page": 20}
    assert [user["id"] for user in data] == users[:20]


def test_second_page_holds_the_rest_in_order(admin_client, users):
    response = admin_client.get(URL, {"page": 2})

    data = assert_success(response)
    assert response.json()["meta"] == {"total": 25, "page": 2, "per_page": 20}
    assert [user["id"] for user in data] == users[20:]


def test_pages_walk_every_row_once_in_a_stable_order(admin_client, users):
    seen = []
    for page in range(1, 10):
        data = assert_success(admin_client.get(URL, {"page": page, "per_page": 3}))
        seen.extend(user["id"] for user in data)

    assert seen == users


def test_per_page_above_100_is_capped(admin_client, users):
    response = admin_client.get(URL, {"per_page": 101})

    assert len(assert_success(response)) == 25
    assert response.json()["meta"] == {"total": 25, "page": 1, "per_page": 100}


def test_huge_per_page_is_capped(admin_client, users):
    response = admin_client.get(URL, {"per_page": 10**30})

    assert response.json()["meta"]["per_page"] == 100


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"per_page": 0}, {"per_page"}),
        ({"per_page": -5}, {"per_page"}),
        ({"per_page": "abc"}, {"per_page"}),
        ({"per_page": "2.5"}, {"per_page"}),
        ({"page": 0}, {"page"}),
        ({"page": -1}, {"page"}),
        ({"page": "first"}, {"page"}),
        ({"page": ""}, {"page"}),
        ({"page": "9" * 5000}, {"page"}),
        ({"page": 0, "per_page": "abc"}, {"page", "per_page"}),
        ({"page": 0, "role": "wizard"}, {"page", "role"}),
    ],
)
def test_bad_values_return_422_naming_each_parameter(admin_client, users, params, fields):
    error = assert_error(admin_client.get(URL, params), 422, "VALIDATION_ERROR")

    assert detail_fields(error) == fields


@pytest.mark.parametrize(
    "value",
    [
        "1_0",  # Python's digit separator
        "\u0661",  # ARABIC-INDIC DIGIT ONE
        "\uff12",  # FULLWIDTH DIGIT TWO
        "+1",
        "  2",
        "2 ",
        "2\n",
        "1.0",
        "1e1",
        "0x10",
    ],
)
@pytest.mark.parametrize("name", ["page", "per_page"])
def test_only_ascii_digits_are_an_integer(admin_client, users, name, value):
    error = assert_error(admin_client.get(URL, {name: value}), 422, "VALIDATION_ERROR")

    assert error["details"] == [{"field": name, "issue": "Must be an integer."}]


def test_negative_values_are_integers_below_1(admin_client, users):
    error = assert_error(admin_client.get(URL, {"page": "-1"}), 422, "VALIDATION_ERROR")

    assert error["details"] == [{"field": "page", "issue": "Must be at least 1."}]


def test_leading_zeros_are_still_decimal(admin_client, users):
    response = admin_client.get(URL, {"page": "002", "per_page": "010"})

    assert response.json()["meta"] == {"total": 25, "page": 2, "per_page": 10}


def test_page_past_the_end_is_empty_with_true_meta(admin_client, users):
    response = admin_client.get(URL, {"page": 3})

    assert assert_success(response) == []
    assert response.json()["meta"] == {"total": 25, "page": 3, "per_page": 20}


def test_page_far_past_the_end_is_empty_not_an_error(admin_client, users):
    response = admin_client.get(URL, {"page": 10**30})

    assert assert_success(response) == []
    assert response.json()["meta"] == {"total": 25, "page": 10**30, "per_page": 20}


def test_filtered_list_counts_only_matches(admin_client, users):
    response = admin_client.get(URL, {"role": "admin"})

    assert len(assert_success(response)) == 1
    assert response.json()["meta"] == {"total": 1, "page": 1, "per_page": 20}
