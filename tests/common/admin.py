"""Driving the Django admin in tests: logged-in clients, URLs, and what its pages say.

    client = browser(instructor)                       # or the admin_browser fixture
    client.get(admin_url("courses_course_change", course))
    url = admin_urls("assessments")                    # url("assessment_delete", assessment)
    form_errors(response)["title"]; changelist_rows(response); messages_of(response)
    data = {"title": "Quiz", **management_form("questions", total=0)}

The personas' clients are fixtures in tests/conftest.py: `admin_browser`, `instructor_browser`.
"""

from collections.abc import Callable
from html.parser import HTMLParser
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


# --- forms as a browser renders and posts them -------------------------------------------------


class _FormParser(HTMLParser):
    """Collects the controls of the page's form whose `id` ends with `_form` (the admin's
    change form) or is `changelist-form`, as a browser would submit them: text, hidden and
    number inputs with their value, checked checkboxes and radios, each select's selected
    option (else its first), and textareas. Submit buttons are left out (`RenderedForm.post`
    adds the one pressed)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self.checkboxes: set[str] = set()
        self.selects: set[str] = set()
        self._in_form = False
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen: str | None = None
        self._option_value: str | None = None
        self._option_text = ""
        self._textarea: str | None = None
        self._textarea_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("id", "").endswith(("_form", "changelist-form")):
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                self.checkboxes.add(name)
                if "checked" in a:
                    self.fields.append((name, a.get("value") or "on"))
                return
            self.fields.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, None
            self.selects.add(name)
        elif tag == "option" and self._select is not None:
            self._option_value = a.get("value")
            self._option_text = ""
            if "selected" in a:
                self._select_chosen = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea, self._textarea_text = name, ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea_text += data
        elif self._option_value is None and self._select is not None:
            self._option_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._in_form:
            self._in_form = False
        elif tag == "option" and self._select is not None:
            value = self._option_value if self._option_value is not None else self._option_text
            if self._select_first is None:
                self._select_first = value
            self._option_value = None
        elif tag == "select" and self._select is not None:
            chosen = self._select_chosen
            self.fields.append(
                (self._select, chosen if chosen is not None else self._select_first or "")
            )
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the one newline that may follow <textarea>.
            self.fields.append((self._textarea, self._textarea_text.removeprefix("\n")))
            self._textarea = None


class RenderedForm:
    """The admin form of a page as rendered, to change as a person would and post.

    form = RenderedForm(client.get(url))
    form["text"] = "Which?"; form.check("options-0-is_correct"); form.add_row("questions")
    response = form.post(client, url)
    """

    def __init__(self, response: Any) -> None:
        assert response.status_code == 200, response.status_code
        parser = _FormParser()
        parser.feed(response.content.decode())
        assert parser.fields, "no admin form on the page"
        self.data: dict[str, list[str]] = {}
        for name, value in parser.fields:
            self.data.setdefault(name, []).append(value)
        self.checkboxes = parser.checkboxes
        self.names = set(self.data) | parser.checkboxes

    def __getitem__(self, name: str) -> str:
        return self.data[name][0]

    def __setitem__(self, name: str, value: Any) -> None:
        assert name in self.names, f"{name} is not a control of the form"
        self.data[name] = [str(value)]

    def __contains__(self, name: str) -> bool:
        return name in self.names

    def check(self, name: str, on: bool = True) -> None:
        assert name in self.checkboxes, f"{name} is not a checkbox of the form"
        if on:
            self.data[name] = ["on"]
        else:
            self.data.pop(name, None)

    def add_row(self, prefix: str) -> int:
        """What the admin's "Add another" button does: a copy of the inline's empty row
        (`<prefix>-__prefix__-…` or nested-admin's `<prefix>-empty-…`) as the next row, with
        the formset's TOTAL_FORMS raised. Returns the new row's index."""
        index = int(self[f"{prefix}-TOTAL_FORMS"])
        copied = False
        for marker in ("__prefix__", "empty"):
            template = f"{prefix}-{marker}-"
            for name in list(self.names):
                if name.startswith(template):
                    new = f"{prefix}-{index}-" + name[len(template) :]
                    self.names.add(new)
                    copied = True
                    if name in self.checkboxes:
                        self.checkboxes.add(new)
                    if name in self.data:
                        self.data[new] = list(self.data[name])
        assert copied, f"no empty row of {prefix} on the page"
        self.data[f"{prefix}-TOTAL_FORMS"] = [str(index + 1)]
        return index

    def post(self, client: Client, url: str, button: str = "_save", value: str = "") -> Any:
        """Posts the form as pressing `button` (a submit button's name and value) does."""
        return client.post(url, {**self.data, button: value})
