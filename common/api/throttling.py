"""Rate limiting per token (per client IP when anonymous), SPEC §2.

A fixed window counted with the cache's atomic `add`/`incr`, so the limit holds across app
processes when the cache is shared (Redis via REDIS_URL). The numbers go on the request for
`common.middleware.RateLimitHeadersMiddleware` to put in the `X-RateLimit-*` headers.

DRF checks throttles after authentication, so a request refused for its credentials (no token on
a protected route, a bad, expired or revoked one) never reaches `ApiRateThrottle` by itself: the
exception handler counts it with `count_refused_request`, against the client IP's bucket.
"""

import logging
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from rest_framework.exceptions import APIException, Throttled
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger(__name__)

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class RateLimitState:
    limit: int
    remaining: int
    reset_at: int


def parse_rate(rate: str) -> tuple[int, int]:
    """`"100/minute"` -> `(100, 60)`. Periods: second, minute, hour, day (first letter counts)."""
    try:
        count, period = rate.split("/")
        return int(count), _PERIODS[period.strip()[0].lower()]
    except (ValueError, KeyError, IndexError):
        raise ImproperlyConfigured(
            f"API_RATE_LIMIT must look like '100/minute', not {rate!r}."
        ) from None


class ApiRateThrottle(BaseThrottle):
    def allow_request(self, request: Request, view: Any) -> bool:
        limit, period = parse_rate(settings.API_RATE_LIMIT)
        token = getattr(request, "auth", None)
        ident = f"token:{token.pk}" if token is not None else f"ip:{self.get_ident(request)}"
        now = time.time()
        window = int(now // period)
        reset_at = (window + 1) * period
        key = f"ratelimit:{ident}:{period}:{window}"
        try:
            count = _count(key, timeout=period + 1)
        except Exception as error:  # noqa: BLE001 - the shared cache is down: serve, uncounted
            logger.warning("Rate limit not applied: the cache did not answer (%s).", error)
            return True
        # On Django's request, where `RateLimitHeadersMiddleware` reads it.
        django_request = request._request
        django_request.rate_limit = RateLimitState(  # type: ignore[attr-defined]  # our own
            limit, max(0, limit - count), reset_at
        )
        self._wait = reset_at - now
        return count <= limit

    def wait(self) -> float:
        return self._wait


def _count(key: str, *, timeout: int) -> int:
    """Adds one to the window's counter and returns it (atomic in Redis and in memory)."""
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


def count_refused_request(request: Request | None, view: Any) -> Throttled | None:
    """Counts a request refused before the view's throttles ran (failed authentication, a
    malformed query...), as those throttles would have: per token when it authenticated, else per
    client IP. Returns the `Throttled` to answer instead when that puts the client over the
    limit. A request already counted is not counted again."""
    if request is None or view is None:
        return None
    if getattr(request._request, "rate_limit", None) is not None:
        return None
    try:
        view.check_throttles(request)
    except Throttled as throttled:
        return throttled
    except APIException:
        return None  # counting needs credentials that fail: the original refusal stands
    return None
