"""What a service raises when it declines a request the rules do not allow."""


class Refused(Exception):
    """A service declined the request; str() is the reason, in words for the person who asked.

    Each app names its own (ComplaintError, PlanError...); the views catch this one."""
