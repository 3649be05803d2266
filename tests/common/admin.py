"""Driving the Django admin in tests: logged-in clients, URLs, and what its pages say.

    client = browser(instructor)                       # or the admin_browser fixture
    client.get(admin_url("courses_course_change", course))
    url = admin_urls("assessments")                    # url("assessment_delete", assessment)
    form_errors(response)["title"]; changelist_rows(response); messages_of(response)
    data = {"title": "Quiz", **management_form("questions", total=0)}

The personas' clients are fixtures in tests/conftest.py: `admin_browser`, `instructor_browser`.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.admin.utils import quote
from django.contrib.messages import get_messages
from django.db import connection
from django.db.models import Model
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User


def browser(user: User) -> Client:
    """A Django test client with a session of `user`, as the admin's pages need."""
    client = Client()
    client.force_login(user)
    return client


def admin_url(name: str, *args: Any) -> str:
    """`admin:<name>` (`"courses_course_change"`) with its arguments, objects standing for their
    ids. Ids go quoted, as the admin's own links do ("_" starts an escape there)."""
    return reverse(
        f"admin:{name}", args=[quote(arg.pk if isinstance(arg, Model) else arg) for arg in args]
    )


def admin_urls(app_label: str) -> Callable[..., str]:
    """`admin_url` for one app: `admin_urls("assessments")("assessment_change", assessment)`."""

    def url(name: str, *args: Any) -> str:
        return admin_url(f"{app_label}_{name}", *args)

    return url


def admin_form(response: Any) -> Any:
    """The model form of an admin add or change page."""
    return response.context["adminform"].form


def form_errors(response: Any) -> Any:
    """The errors of the model form of an admin add or change page, by field."""
    return admin_form(response).errors


def changelist_rows(response: Any) -> list[Any]:
    """The objects a changelist page shows, in order."""
    return list(response.context["cl"].result_list)


def messages_of(response: Any) -> list[str]:
    """The messages the admin queued for the user with this response."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def management_form(prefix: str, total: int, initial: int = 0, **limits: int) -> dict[str, Any]:
    """The management form of an inline formset: `total` rows posted, the first `initial` of
    them stored ones."""
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": limits.get("min_num", 0),
        f"{prefix}-MAX_NUM_FORMS": limits.get("max_num", 1000),
    }


def get_query_count(client: Client, url: str) -> int:
    """How many queries a successful GET of `url` runs."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)
