"""What the browser tests share: launching Debian's chromium through Playwright, a page that
collects Content-Security-Policy violations and script errors, signing in, starting a quiz.

The fixtures (`browser`, `site`, `scene`) are in conftest.py; these are plain helpers."""

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "img"
PASSWORD = "a-browser-password-1"
# Every browser wait is bounded: no step of a browser test waits longer than this.
WAIT_MS = 10_000

# Registered before any page script: every `securitypolicyviolation` event of the document is
# kept on `window.__cspViolations` so a test can read them (the console message alone can be
# missed when the page navigates).
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(
    event.violatedDirective + " blocked " + (event.blockedURI || "inline") +
    " at " + event.sourceFile + ":" + event.lineNumber
  );
});
"""


def require_chromium() -> None:
    if Path(CHROMIUM).exists() and shutil.which(CHROMIUM):
        return
    reason = f"browser tests need {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason + "; CI=true, so this is a failure, not a skip")
    pytest.skip(reason)


def new_page(
    browser: Any, *, javascript: bool = True, width: int = 1280, height: int = 900
) -> tuple[Any, Any, list[str]]:
    """A fresh context and page; `problems` collects CSP reports, console errors and uncaught
    script errors as they happen."""
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": width, "height": height}
    )
    context.set_default_timeout(WAIT_MS)
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if "Content Security Policy" in message.text or message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    return context, page, problems


def csp_violations(page: Any) -> list[str]:
    """The `securitypolicyviolation` events of the page's current document."""
    return list(page.evaluate("window.__cspViolations || []"))


def sign_in(page: Any, site: str, user: Any, password: str = PASSWORD) -> None:
    page.goto(site + "/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site + "/")


def sign_out(page: Any, site: str) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login/"))


def right_option_ids(assessment: Any) -> Iterator[str]:
    for question in assessment.questions.all():
        for option in question.options.all():
            if option.is_correct:
                yield option.pk


def start(page: Any, site: str, assessment: Any) -> None:
    page.goto(f"{site}/assessments/{assessment.pk}/")
    page.get_by_role("button", name=re.compile("^Start")).click()
    page.wait_for_url(re.compile(r"/attempts/att_"))
