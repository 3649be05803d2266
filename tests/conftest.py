"""Fixtures every test may use: the personas, API clients that act as them, Django clients for
the admin (`admin_browser`, `instructor_browser`; helpers in tests.common.admin), and the rules that
keep tests independent (an empty cache, fast password hashing)."""

from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import login_start
from tests.accounts.factories import (
    AdminFactory,
    InstructorFactory,
    LearnerFactory,
)
from tests.common.admin import browser


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `postgres` need real row locks and concurrent connections."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL=postgres://...")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _isolated(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()


@pytest.fixture
def admin(db) -> User:
    return AdminFactory(name="Ada Admin", email="ada@example.com")


@pytest.fixture
def instructor(db) -> User:
    return InstructorFactory(name="Ivan Instructor", email="ivan@example.com")


@pytest.fixture
def other_instructor(db) -> User:
    return InstructorFactory(name="Olga Instructor", email="olga@example.com")


@pytest.fixture
def learner(db) -> User:
    return LearnerFactory(name="Lena Learner", email="lena@example.com")


@pytest.fixture
def other_learner(db) -> User:
    return LearnerFactory(name="Oscar Learner", email="oscar@example.com")


@pytest.fixture
def anon_client() -> APIClient:
    """No credentials: every protected route must answer 401."""
    return APIClient()


@pytest.fixture
def api_client_for(db) -> Callable[[User], APIClient]:
    """`api_client_for(user)`: a JSON client sending a fresh bearer token of that user."""

    def make(user: User) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {login_start(user=user).access_token}")
        return client

    return make


@pytest.fixture
def admin_client(api_client_for, admin) -> APIClient:
    return api_client_for(admin)


@pytest.fixture
def instructor_client(api_client_for, instructor) -> APIClient:
    return api_client_for(instructor)


@pytest.fixture
def other_instructor_client(api_client_for, other_instructor) -> APIClient:
    return api_client_for(other_instructor)


@pytest.fixture
def learner_client(api_client_for, learner) -> APIClient:
    return api_client_for(learner)


@pytest.fixture
def other_learner_client(api_client_for, other_learner) -> APIClient:
    return api_client_for(other_learner)


@pytest.fixture
def admin_browser(admin) -> Client:
    """A Django test client logged in (by session) as the admin: for the admin's pages."""
    return browser(admin)


@pytest.fixture
def instructor_browser(instructor) -> Client:
    """A Django test client logged in (by session) as the instructor: for the admin's pages."""
    return browser(instructor)
