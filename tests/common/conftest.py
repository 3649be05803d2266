import time
from types import SimpleNamespace

import pytest

WINDOW_START = 1_800_000_000  # a multiple of 60: a minute window starts here


@pytest.fixture
def clock(monkeypatch):
    """The rate limiter's clock, frozen 10 s into a minute window, so a test's requests never
    straddle two windows; set `clock.now` to move it."""
    fake = SimpleNamespace(now=WINDOW_START + 10)
    monkeypatch.setattr(time, "time", lambda: fake.now)  # the wall clock the limiter reads
    return fake
