"""Schemathesis hooks for `make fuzz`, loaded through SCHEMATHESIS_HOOKS=fuzz.hooks.

`fuzz/run.py` sets FUZZ_WORLD (the JSON `fuzz/world.py` wrote), FUZZ_ROLE and FUZZ_BASE_URL.
Before each call these hooks:

- send the role's bearer token (schemathesis itself generates no credentials);
- swap each generated path id that is well formed for a real one of the role's data set, so
  routes answer from real objects and not only 404; a malformed id (a negative case) is kept.

After a `401` to the role's own token (a logout, a password change) they log the role in again.
"""

import json
import os
import random
import re
import threading
from pathlib import Path
from typing import Any

import requests
import schemathesis

WORLD: dict[str, Any] = json.loads(Path(os.environ["FUZZ_WORLD"]).read_text())
ROLE = os.environ["FUZZ_ROLE"]
DATA: dict[str, Any] = WORLD["roles"][ROLE]
BASE_URL = os.environ["FUZZ_BASE_URL"]
WELL_FORMED = re.compile(r"^[A-Za-z0-9_]{1,64}$")
_token = {"value": WORLD["tokens"][ROLE]}
_lock = threading.Lock()
_random = random.Random(f"fuzz-{ROLE}")  # noqa: S311 - picks test data, not secrets


def _real_ids(path_parameters: dict[str, Any]) -> dict[str, str]:
    ids: dict[str, str] = {}
    for name in path_parameters:
        choices = DATA["ids"].get(name)
        if choices:
            ids[name] = _random.choice(choices)
    assessment = ids.get("assessment_id")
    if assessment and "question_id" in path_parameters:
        ids["question_id"] = _random.choice(DATA["questions"][assessment] or ["q_none"])
    if assessment and "attempt_id" in path_parameters:
        attempts = DATA["attempts"].get(assessment)
        if attempts:
            ids["attempt_id"] = _random.choice(attempts)
    return ids


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    generated = case.path_parameters or {}
    if generated and all(
        isinstance(value, str) and WELL_FORMED.match(value) for value in generated.values()
    ):
        with _lock:
            generated.update(_real_ids(generated))
    case.headers["Authorization"] = f"Bearer {_token['value']}"


@schemathesis.hook
def after_call(context: Any, case: Any, response: Any) -> None:
    if response.status_code != 401:
        return
    sent = case.headers.get("Authorization", "")
    with _lock:
        if sent != f"Bearer {_token['value']}":
            return  # someone else already logged in again
        email, password = WORLD["logins"][ROLE]
        answer = requests.post(
            f"{BASE_URL}/api/v1/auth/login",
            json={"email": email, "password": password},
            timeout=30,
        )
        if answer.status_code == 200:
            _token["value"] = answer.json()["data"]["access_token"]
