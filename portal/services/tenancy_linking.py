"""Linking a signed-in account to the resident it belongs to, by details only they should know."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.models import AuditEntry, Resident, Tenancy, TenancyLinkAttempt
from portal.services.audit import record_audit


class LinkingLocked(Exception):
    def __init__(self, until: datetime):
        super().__init__(f"Linking is locked until {until}")
        self.until = until


class LinkingFailed(Exception):
    """The details did not match a tenancy. Deliberately vague: it must not tell a guesser which part was wrong."""


@dataclass
class LinkingState:
    locked_until: datetime | None
    tries_left: int


def linking_state(*, user, now: datetime | None = None) -> LinkingState:
    now = now or timezone.now()
    window_start = now - settings.TENANCY_LINK_LOCKOUT
    failures = list(
        TenancyLinkAttempt.objects.filter(user=user, succeeded=False, attempted_at__gte=window_start)
        .order_by("-attempted_at")
        .values_list("attempted_at", flat=True)[: settings.TENANCY_LINK_MAX_FAILURES]
    )
    if len(failures) >= settings.TENANCY_LINK_MAX_FAILURES:
        return LinkingState(locked_until=failures[0] + settings.TENANCY_LINK_LOCKOUT, tries_left=0)
    return LinkingState(locked_until=None, tries_left=settings.TENANCY_LINK_MAX_FAILURES - len(failures))


def normalise_postcode(postcode: str) -> str:
    return "".join(postcode.split()).upper()


def link_account_to_tenancy(*, user, tenancy_reference: str, date_of_birth: date, postcode: str) -> Resident:
    """Find the resident on a current tenancy with this date of birth at this postcode and link
    them to the user. Raises LinkingLocked after too many wrong tries, LinkingFailed otherwise."""
    state = linking_state(user=user)
    if state.locked_until:
        raise LinkingLocked(state.locked_until)
    reference = tenancy_reference.strip().upper()
    resident = _matching_resident(reference, date_of_birth, postcode)
    with transaction.atomic():
        TenancyLinkAttempt.objects.create(user=user, tenancy_reference=reference[:30], succeeded=resident is not None)
        if resident is None:
            failed = True
        else:
            failed = False
            resident.user = user
            if not resident.email:
                resident.email = user.email
            resident.save(update_fields=["user", "email", "updated_at"])
            record_audit(
                actor=user,
                action=AuditEntry.Action.LINK,
                resident=resident,
                subject=f"tenancy {reference}",
            )
    if failed:
        after = linking_state(user=user)
        if after.locked_until:
            raise LinkingLocked(after.locked_until)
        raise LinkingFailed()
    return resident


def _matching_resident(reference: str, date_of_birth: date, postcode: str) -> Resident | None:
    tenancy = (
        Tenancy.objects.filter(reference__iexact=reference, end_date__isnull=True).select_related("home").first()
    )
    if tenancy is None or normalise_postcode(tenancy.home.postcode) != normalise_postcode(postcode):
        return None
    return tenancy.residents.filter(date_of_birth=date_of_birth, user__isnull=True).first()
