"""Changes made from the case queue: assigning cases, one or many at a time."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from portal.models import AuditEntry, Case, Officer
from portal.services.audit import record_audit
from portal.services.cases import assign_case


@transaction.atomic
def assign_cases(*, case_ids: Iterable[int], owner: Officer, assigned_by: Officer) -> list[Case]:
    """Give open cases to an officer (and to the officer's team), all or none. Each case gets
    an 'Assigned' line on its timeline and an audit entry. Cases the officer already owns, and
    cases closed meanwhile, are left as they are. Returns the cases that changed hands."""
    if not owner.is_active:
        raise ValueError("Cases can only be assigned to a current member of staff")
    # Locked in id order, so two officers assigning overlapping batches cannot deadlock.
    cases = list(
        Case.objects.select_for_update(of=("self",))
        .filter(pk__in=list(case_ids), closed_at__isnull=True)
        .select_related("resident")
        .order_by("pk")
    )
    changed = []
    for case in cases:
        if case.owner_id == owner.pk:
            continue
        assign_case(case=case, owner=owner, team=owner.team, actor=assigned_by.user)
        record_audit(
            actor=assigned_by.user,
            action=AuditEntry.Action.CHANGE,
            resident=case.resident,
            subject=f"case {case.reference}: assigned to {owner.name}",
        )
        changed.append(case)
    return changed
