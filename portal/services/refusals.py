"""What a service raises when it declines a request the rules do not allow."""

from __future__ import annotations


class Refused(Exception):
    """A service declined the request; str() is the reason, in words for the person who asked.

    `field` names the one answer the reason is about, as the form calls it, so the page can show
    it there; None when it is about the request as a whole. Each app names its own
    (ComplaintError, PlanError...); the views catch this one."""

    def __init__(self, message: str = "", *, field: str | None = None):
        super().__init__(message)
        self.field = field
