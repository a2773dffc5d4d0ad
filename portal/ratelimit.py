"""A small fixed-window rate limit on the shared cache, for forms allauth does not guard."""

import time

from django.core.cache import cache


def client_address(request) -> str:
    # Behind the production proxy the client is the first X-Forwarded-For hop it added.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "unknown")


def allow(request, *, action: str, limit: int, period_seconds: int) -> bool:
    """Count one try from this address; False once `limit` tries fall in the current window."""
    window = int(time.time() // period_seconds)
    key = f"ratelimit:{action}:{client_address(request)}:{window}"
    cache.add(key, 0, timeout=period_seconds)
    try:
        return cache.incr(key) <= limit
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=period_seconds)
        return True
