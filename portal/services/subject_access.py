"""A resident's subject access export: everything we hold about them, in one file."""

from __future__ import annotations

from django.utils import timezone

from portal import extensions
from portal.models import AuditEntry, Case, Event, Notification, Resident


def export_resident_data(*, resident: Resident) -> dict:
    cases = Case.objects.filter(resident=resident).order_by("opened_at")
    events = Event.objects.filter(case__resident=resident, visible_to_resident=True).order_by("created_at")
    events_by_case: dict[int, list] = {}
    for event in events.values("case_id", "created_at", "kind", "message"):
        events_by_case.setdefault(event.pop("case_id"), []).append(event)
    data = {
        "exported_at": timezone.now().isoformat(),
        "you": {
            "first_name": resident.first_name,
            "last_name": resident.last_name,
            "date_of_birth": resident.date_of_birth,
            "email": resident.email,
            "phone": resident.phone,
            "preferred_channel": resident.get_preferred_channel_display(),
            "preferred_language": resident.preferred_language,
            "accessibility_needs": resident.accessibility_needs,
            "large_print": resident.needs_large_print,
            "easy_read": resident.needs_easy_read,
            "interpreter": resident.needs_interpreter,
            "account_email": resident.user.email if resident.user_id else None,
        },
        "tenancies": [
            {
                "reference": t.reference,
                "start_date": t.start_date,
                "end_date": t.end_date,
                "home": ", ".join(t.home.address_lines),
                "tenure": t.home.get_tenure_display(),
            }
            for t in resident.tenancies.select_related("home")
        ],
        "cases": [
            {
                "reference": c.reference,
                "kind": c.get_kind_display(),
                "summary": c.summary,
                "status": c.get_status_display(),
                "opened_at": c.opened_at,
                "closed_at": c.closed_at,
                "timeline": events_by_case.get(c.pk, []),
            }
            for c in cases
        ],
        "messages_sent_to_you": list(
            Notification.objects.filter(resident=resident)
            .order_by("created_at")
            .values("created_at", "channel", "to", "subject", "body", "status")
        ),
        "staff_access_to_your_records": list(
            AuditEntry.objects.filter(resident=resident)
            .order_by("at")
            .values("at", "action", "subject", "actor__email")
        ),
    }
    # Repairs, complaints and the rest add what they hold.
    for section, exporter in extensions.subject_access_sections().items():
        data[section] = exporter(resident)
    return data


def flatten(data: dict):
    """Rows of (section, item, field, value) for the CSV version."""
    for section, value in data.items():
        if isinstance(value, dict):
            for field, v in value.items():
                yield (section, "", field, v)
        elif isinstance(value, list):
            for index, item in enumerate(value, start=1):
                if not isinstance(item, dict):
                    yield (section, index, "", item)
                    continue
                for field, v in item.items():
                    if isinstance(v, list):
                        # A list of records (a case's events) or of plain values (a vote's
                        # priorities): each gets a row of its own.
                        for sub_index, sub in enumerate(v, start=1):
                            if isinstance(sub, dict):
                                for sub_field, sub_v in sub.items():
                                    yield (
                                        section,
                                        index,
                                        f"{field}[{sub_index}].{sub_field}",
                                        sub_v,
                                    )
                            else:
                                yield (section, index, f"{field}[{sub_index}]", sub)
                    else:
                        yield (section, index, field, v)
        else:
            yield (section, "", "", value)
