"""Fixtures for the auth and users tests: real logins through the API."""

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.accounts.factories import PASSWORD
from tests.common.assertions import assert_success

LOGIN_URL = "/api/v1/auth/login"


@pytest.fixture
def log_in(db) -> Callable[..., Any]:
    """`log_in(email, password=PASSWORD)`: the response of `POST /api/v1/auth/login`."""

    def do(email: str, password: str = PASSWORD) -> Any:
        return APIClient().post(LOGIN_URL, {"email": email, "password": password})

    return do


@pytest.fixture
def token_pair(log_in) -> Callable[..., dict[str, Any]]:
    """`token_pair(user)`: the `data` of a successful API login of `user`, a new login each time."""

    def do(user: Any, password: str = PASSWORD) -> dict[str, Any]:
        return assert_success(log_in(user.email, password))

    return do


@pytest.fixture
def client_with() -> Callable[[str], APIClient]:
    """`client_with(access_token)`: a JSON client that sends `Authorization: Bearer <token>`."""

    def make(access_token: str) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {access_token}")
        return client

    return make
