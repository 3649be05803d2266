"""`python manage.py createsuperuser` (SPEC §3): Django's own command makes an admin who can use
both the Django admin and the API."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import Role, User
from tests.common.assertions import assert_success

PASSWORD = "granite-sparrow-5150"


@pytest.fixture
def superuser_env(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    monkeypatch.setenv("DJANGO_SUPERUSER_NAME", "Root Admin")


def create(email):
    call_command("createsuperuser", "--noinput", "--email", email, stdout=StringIO())


def test_noinput_createsuperuser_makes_an_admin(db, superuser_env):
    create("Root@Example.com")

    user = User.objects.get()
    assert user.email == "root@example.com"
    assert user.name == "Root Admin"
    assert user.role == Role.ADMIN
    assert user.is_admin and user.is_staff and user.is_superuser and user.is_active
    assert user.check_password(PASSWORD)


def test_superuser_logs_in_to_the_api_as_admin(db, superuser_env, log_in, client_with):
    create("root@example.com")

    pair = assert_success(log_in("root@example.com", PASSWORD))

    me = assert_success(client_with(pair["access_token"]).get("/api/v1/auth/me"))
    assert me["role"] == "admin"
    assert_success(client_with(pair["access_token"]).get("/api/v1/users"))


def test_superuser_logs_in_to_the_django_admin(db, superuser_env, client):
    create("root@example.com")

    assert client.login(username="ROOT@example.com", password=PASSWORD)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200


def test_createsuperuser_refuses_a_taken_email_in_another_case(db, superuser_env, learner):
    with pytest.raises(CommandError, match="already taken"):
        create("LENA@example.com")
    assert User.objects.filter(email="lena@example.com").get().role == Role.LEARNER
