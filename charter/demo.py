"""Demo data for the charter: an earlier charter (replaced), the adopted one with promises in all
seven sections (most tied to live measures over the demo's enquiries, repairs and complaints), a
new draft out for consultation with residents' comments, and the customer committee's draft
customer voice report for 2025 to 2026."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from charter import services
from charter.models import (
    CharterVersion,
    CommentStatus,
    CustomerVoiceReport,
    Promise,
    PromiseComment,
    ResidentCommitment,
    VersionStatus,
)
from portal.models import Officer, OfficerRole, Resident

INTRODUCTION = (
    "This charter sets out what you can expect from Millbrook Homes and what we ask from you in return. "
    "Residents wrote it with us: the customer committee, the tenant and leaseholder forum and more than "
    "400 residents who answered our consultation. Beside each promise you can see how we are doing, "
    "worked out from our own records every day."
)

# (section, promise, live measure, target percent)
ADOPTED_PROMISES = [
    (
        "voice",
        "We will involve you in decisions about your home and neighbourhood, through our panels, consultations, surgeries and estate walkabouts.",
        "",
        None,
    ),
    (
        "voice",
        "We will tell you what we changed because of what you told us, in 'You said, we did', every quarter.",
        "",
        None,
    ),
    ("respect", "We will treat you fairly and with respect, whoever you are.", "", None),
    (
        "respect",
        "We will turn up when we say we will, and tell you if we are running late.",
        "",
        None,
    ),
    (
        "communication",
        "We will answer your enquiry the first time you contact us wherever we can.",
        "enquiries_answered_at_first_contact",
        None,
    ),
    (
        "communication",
        "When we cannot answer straight away, we will call you back within one working day.",
        "callbacks_within_one_working_day",
        "95",
    ),
    (
        "communication",
        "We will write to you in plain English, and in the format you need: large print, easy read or another language.",
        "",
        None,
    ),
    (
        "safety",
        "We will act on building-safety concerns you report by the time we promise you.",
        "safety_concerns_acted_on_in_time",
        "100",
    ),
    (
        "safety",
        "We will investigate damp, mould and other hazards within the Awaab's Law timescales: within 24 hours for an emergency, within 10 working days otherwise.",
        "hazards_investigated_in_time",
        "100",
    ),
    (
        "safety",
        "We will make your home safe within 5 working days of finding a significant hazard.",
        "hazards_made_safe_in_time",
        "100",
    ),
    (
        "safety",
        "We will carry out every gas, electrical, fire, water and lift safety check on time.",
        "",
        None,
    ),
    (
        "safety",
        "We will take anti-social behaviour you report seriously: we will contact you by the time we promise, and keep your case under review.",
        "asb_reporters_contacted_in_time",
        "95",
    ),
    (
        "services",
        "We will complete repairs within our target times: emergencies made safe within 24 hours, urgent repairs within 5 working days and routine repairs within 20 working days.",
        "repairs_completed_on_time",
        "90",
    ),
    (
        "services",
        "We will offer repair appointments at times that suit you, including evenings.",
        "evening_appointments_offered",
        "20",
    ),
    (
        "services",
        "We will ask how we did after every repair, and act on what you tell us.",
        "repair_satisfaction",
        "85",
    ),
    (
        "resolution",
        "We will acknowledge your complaint within 5 working days.",
        "complaints_acknowledged_in_time",
        "100",
    ),
    (
        "resolution",
        "We will answer your complaint within 10 working days of acknowledging it (20 at stage 2), and tell you if we need longer and why.",
        "complaints_answered_in_time",
        "95",
    ),
    (
        "resolution",
        "When we get it wrong we will put it right: an apology, action and, where it is fair, compensation.",
        "",
        None,
    ),
    (
        "accountability",
        "We will publish how we are doing against every promise in this charter, every month.",
        "",
        None,
    ),
    (
        "accountability",
        "We will publish our Tenant Satisfaction Measures every year, and a customer voice report written by residents.",
        "",
        None,
    ),
]

ASKS = [
    "Keep your contact details up to date, so we can reach you.",
    "Report repairs and safety concerns as soon as you notice them.",
    "Let us in for safety checks and repairs at the time agreed, or tell us if you need to change it.",
    "Tell us straight away if you are struggling to pay your rent, so we can help.",
    "Treat our staff, contractors and neighbours with respect.",
    "Keep to your tenancy or lease, and ask us if anything in it is unclear.",
]

EARLIER_PROMISES = [
    ("voice", "We will listen to your views.", "", None),
    ("respect", "We will be polite and helpful.", "", None),
    (
        "communication",
        "We will call you back within two working days.",
        "callbacks_within_one_working_day",
        None,
    ),
    ("safety", "We will keep your home safe.", "", None),
    (
        "services",
        "We will complete repairs within our target times.",
        "repairs_completed_on_time",
        None,
    ),
    (
        "resolution",
        "We will respond to complaints within 15 working days.",
        "complaints_answered_in_time",
        None,
    ),
    ("accountability", "We will publish an annual report to tenants.", "", None),
]

# Changes the new draft proposes: (section, position in the adopted version, new words).
DRAFT_CHANGES = [
    (
        "communication",
        2,
        "When we cannot answer straight away, we will call you back by the end of the next working day, "
        "at a time you choose.",
    ),
    (
        "services",
        2,
        "We will offer repair appointments at times that suit you, including evenings and Saturday mornings.",
    ),
]
DRAFT_NEW = (
    "respect",
    "We will give you a named contact for any case that lasts longer than a month.",
    "",
    None,
)

COMMENTS = [
    (
        "communication",
        2,
        "A call-back at a time I choose would really help. I work shifts and always miss the call.",
        True,
    ),
    ("services", 2, "Saturday mornings please! I cannot take a day off for a repair.", True),
    (
        "respect",
        3,
        "A named person would stop me explaining everything again each time I ring.",
        False,
    ),
    (
        "safety",
        2,
        "What happens if the damp comes back after you have treated it? Please add a follow-up visit.",
        False,
    ),
]

COMMITTEE_FOREWORD = (
    "This is the customer committee's report on the year. We are eight residents, tenants, leaseholders and "
    "shared owners from across Millbrook, and our job is to make sure residents' voices change things. "
    "This year we pushed hardest on repairs and on damp and mould, and we think residents were heard."
)
COMMITTEE_CHANGES = (
    "Residents told us repair appointments did not suit working people: evening appointments are now offered "
    "across every patch. The scrutiny panel's review of damp and mould led to follow-up visits six weeks after "
    "every treatment. Over 400 residents helped us rewrite the tenant charter."
)
COMMITTEE_AHEAD = "Next year we will review how anti-social behaviour cases are handled, and how we spend the rent."


def _place(version, rows):
    positions: dict[str, int] = {}
    promises = []
    for section, text, key, target in rows:
        positions[section] = positions.get(section, 0) + 1
        promises.append(
            Promise(
                version=version,
                section=section,
                position=positions[section],
                text=text,
                measure_key=key,
                target_percent=Decimal(target) if target else None,
            )
        )
    Promise.objects.bulk_create(promises)


def _commitments(version, rows):
    ResidentCommitment.objects.bulk_create(
        ResidentCommitment(version=version, position=n, text=text)
        for n, text in enumerate(rows, start=1)
    )


@transaction.atomic
def load(now=None) -> str:
    if CharterVersion.objects.exists():
        return "The charter demo is already loaded: nothing changed."
    now = now or timezone.now()
    manager = (
        Officer.objects.filter(user__email="manager@example.com").first()
        or Officer.objects.filter(role=OfficerRole.MANAGER).first()
    )

    earlier = CharterVersion.objects.create(
        number=1,
        title="Our customer promise",
        introduction="Our promises to our tenants.",
        status=VersionStatus.REPLACED,
        adopted_at=now - timedelta(days=3 * 365),
        adopted_by=manager,
        replaced_at=now - timedelta(days=200),
        created_by=manager,
        created_at=now - timedelta(days=3 * 365 + 30),
    )
    _place(earlier, EARLIER_PROMISES)
    _commitments(earlier, ASKS[:3])

    adopted = CharterVersion.objects.create(
        number=2,
        title="Our tenant charter",
        introduction=INTRODUCTION,
        status=VersionStatus.ADOPTED,
        consultation_opened_at=now - timedelta(days=260),
        consultation_closes_on=(now - timedelta(days=230)).date(),
        adopted_at=now - timedelta(days=200),
        adopted_by=manager,
        created_by=manager,
        created_at=now - timedelta(days=280),
    )
    _place(adopted, ADOPTED_PROMISES)
    _commitments(adopted, ASKS)

    draft = services.start_draft(officer=manager, copy_from=adopted)
    draft.title = "Our tenant charter"
    draft.introduction = (
        INTRODUCTION + " This draft adds what residents asked for in the last year."
    )
    draft.save(update_fields=["title", "introduction"])
    for section, position, text in DRAFT_CHANGES:
        draft.promises.filter(section=section, position=position).update(text=text)
    section, text, key, target = DRAFT_NEW
    services.add_promise(
        version=draft, officer=manager, section=section, text=text, measure_key=key
    )
    services.open_consultation(
        version=draft, officer=manager, closes_on=(now + timedelta(days=21)).date()
    )
    # Tell the demo residents now, as the task would, so the version page shows who was told how.
    while services.tell_residents_chunk(version=draft):
        pass
    _link_consultation(draft)

    commenters = list(
        Resident.objects.filter(user__isnull=True, tenancies__end_date__isnull=True).order_by("pk")[
            : len(COMMENTS)
        ]
    )
    for (section, position, text, published), resident in zip(COMMENTS, commenters, strict=False):
        promise = draft.promises.get(section=section, position=position)
        PromiseComment.objects.create(
            promise=promise,
            resident=resident,
            text=text,
            promise_text=promise.text,
            submitted_at=now - timedelta(days=5),
            status=CommentStatus.PUBLISHED if published else CommentStatus.PENDING,
            moderated_by=manager if published else None,
            moderated_at=now - timedelta(days=4) if published else None,
        )

    CustomerVoiceReport.objects.create(
        year=2025,
        foreword=COMMITTEE_FOREWORD,
        what_changed=COMMITTEE_CHANGES,
        looking_ahead=COMMITTEE_AHEAD,
        last_edited_at=now - timedelta(days=2),
        last_edited_by=manager.user if manager else None,
    )
    return (
        "Charter: version 1 (replaced), version 2 adopted with "
        f"{adopted.promises.count()} promises, version 3 out for consultation with {len(commenters)} comments; "
        "a draft customer voice report for 2025 to 2026."
    )


def _link_consultation(draft) -> None:
    """Link the draft to the engagement consultation about the charter, if the demo has one."""
    from engagement.models import Consultation

    consultation = (
        Consultation.objects.filter(title__icontains="charter").order_by("-opens_at").first()
    )
    if consultation is not None:
        draft.consultation = consultation
        draft.save(update_fields=["consultation"])
