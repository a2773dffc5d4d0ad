"""Repairs for the demo: operative teams, appointment slots for the coming weeks (evenings and
Saturdays too), and a few repairs for the demo tenant. Safe to run again: what is there is kept.

Run after `load_demo`. The tenant's repairs go through the real services at moments in the past
(with time-machine, a development dependency like the demo's Faker), so their clocks, timelines
and messages are what the portal would have made.
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import datetime, time, timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from portal.models import CaseChannel, Estate, Neighbourhood, Officer, OfficerRole, Resident, User
from portal.workdays import LONDON, local_date, subtract_working_days
from repairs import services
from repairs.models import HazardSeverity, OperativeTeam, RepairRequest, SafetyConcern

TENANT_EMAIL = "tenant@example.com"
OFFICER_EMAIL = "officer@example.com"
SLOT_DAYS = 35
TEAMS = (
    # name, kind, trade, neighbourhoods (None: all), places per slot
    ("Millbrook Homes repairs team", OperativeTeam.Kind.IN_HOUSE, "All trades", None, 3),
    (
        "Northgate Plumbing and Heating Ltd",
        OperativeTeam.Kind.CONTRACTOR,
        "Plumbing and heating",
        ["Northgate"],
        2,
    ),
    ("Riverside Electrical Services", OperativeTeam.Kind.CONTRACTOR, "Electrics", ["Riverside"], 2),
)
# Found on an estate walk, with no resident: one at a block, one on the estate's open space.
COMMUNAL_REPAIRS = (
    # days ago, summary, details, at the block?, location, priority
    (
        3,
        "Stairwell light out on the second floor",
        "Found on the estate walk: the landing light by the lift is out and the stairs are dark "
        "after 4pm. Residents say it has been out for a week.",
        True,
        "communal_stairs",
        "urgent",
    ),
    (
        1,
        "Fly-tipping on the green by the play area",
        "A mattress, two armchairs and bags of rubbish dumped beside the play area fence.",
        False,
        "communal_grounds",
        "routine",
    ),
)
_NAMESPACE = uuid.UUID("6f1c2b8e-2d0b-4c36-9a55-5d3f0e6a7b10")


def demo_token(name: str) -> uuid.UUID:
    """The same token every run, so a repair already loaded is found, not made again."""
    return uuid.uuid5(_NAMESPACE, name)


def at(moment):
    """Run the services as if at `moment`; at the real time when time-machine is not installed."""
    try:
        import time_machine
    except ImportError:  # a production image: the repairs are dated today
        return contextlib.nullcontext()
    return time_machine.travel(moment, tick=False)


class Command(BaseCommand):
    help = (
        "Load the demo's repairs: operative teams, appointment slots and the demo tenant's repairs."
    )

    def handle(self, *args, **options):
        services.ensure_default_priorities()
        teams = self.load_teams()
        made = sum(
            services.create_slots(
                team=team,
                start=local_date(timezone.now()) + timedelta(days=1),
                days=SLOT_DAYS,
                capacity=places,
            )
            for team, places in teams
        )
        self.stdout.write(f"Operative teams: {len(teams)}; new appointment slots: {made}.")
        tenant = Resident.objects.filter(user__email=TENANT_EMAIL).select_related("user").first()
        if tenant is None:
            self.stdout.write(
                f"There is no demo tenant ({TENANT_EMAIL}): run `manage.py load_demo` first for their repairs."
            )
            return
        if not tenant.tenancies.filter(end_date__isnull=True).exists():
            self.stdout.write(
                f"The demo tenant {TENANT_EMAIL} has no current tenancy; no repairs loaded."
            )
            return
        officer = self.officer()
        loaded = self.load_tenant_repairs(tenant, officer)
        self.stdout.write(
            self.style.SUCCESS(
                f"Repairs, hazards and safety concerns for {tenant.full_name} ({TENANT_EMAIL}): "
                f"{loaded} new; {RepairRequest.objects.filter(case__resident=tenant).count()} repairs in all."
            )
        )
        estate, communal = self.load_communal_repairs(officer)
        if estate is not None:
            self.stdout.write(
                f"Communal repairs found on the walk round {estate.name} ({estate.neighbourhood.name}): "
                f"{communal} added."
            )

    # -- teams and slots ------------------------------------------------------------------------------------

    def load_teams(self):
        teams = []
        for name, kind, trade, areas, places in TEAMS:
            team, _ = OperativeTeam.objects.get_or_create(
                name=name, defaults={"kind": kind, "trade": trade}
            )
            neighbourhoods = (
                Neighbourhood.objects.all()
                if areas is None
                else Neighbourhood.objects.filter(name__in=areas)
            )
            team.neighbourhoods.add(*neighbourhoods)
            teams.append((team, places))
        return teams

    def officer(self) -> Officer:
        officer = Officer.objects.filter(user__email=OFFICER_EMAIL, is_active=True).first()
        officer = officer or Officer.objects.filter(is_active=True).order_by("id").first()
        if officer is None:
            user = User.objects.create_user(email="repairs.desk@millbrookhomes.example")
            user.set_unusable_password()
            user.save()
            officer = Officer.objects.create(
                user=user, name="Repairs desk", role=OfficerRole.OFFICER
            )
        return officer

    # -- the tenant's repairs -------------------------------------------------------------------------------

    def load_tenant_repairs(self, tenant, officer) -> int:
        home = tenant.tenancies.filter(end_date__isnull=True).select_related("home").first().home
        now = timezone.now()
        loaded = 0

        def report(name, moment, **answers):
            token = demo_token(name)
            if services.find_reported(token=token) is not None:
                return None
            with at(moment), transaction.atomic():
                return services.report_repair(
                    resident=tenant,
                    home=home,
                    token=token,
                    contact_phone=tenant.phone or "07700 900001",
                    **answers,
                )

        # Done three weeks ago and completed last week: waiting for the tenant to say how it went.
        done = report(
            "kitchen-tap",
            now - timedelta(days=24),
            location="kitchen",
            category="kitchen",
            problem="kitchen_tap",
            description="The mixer tap in the kitchen is loose and drips from the base.",
            access_notes="Any weekday after 3pm.",
        )
        if done is not None:
            loaded += 1
            with at(now - timedelta(days=20)):
                services.assign_repair(
                    repair=done, team=OperativeTeam.objects.order_by("id").first(), officer=officer
                )
            with at(now - timedelta(days=8)):
                services.complete_repair(
                    repair=done,
                    officer=officer,
                    note="We fitted a new mixer tap and checked for leaks.",
                )

        # Reported yesterday, with an evening appointment booked.
        fan = report(
            "bathroom-fan",
            now - timedelta(days=1),
            location="bathroom",
            category="bathroom",
            problem="bathroom_extractor",
            description="The extractor fan in the bathroom has stopped. The room stays steamy after a shower.",
            access_notes="We have a cat: please keep the front door closed.",
        )
        if fan is not None:
            loaded += 1
            from repairs.selectors import offered_days

            evenings = [t for d in offered_days(fan) for t in d.times if t.window == "evening"]
            if evenings:
                services.book_time(
                    repair=fan,
                    day=local_date(evenings[0].starts_at),
                    window="evening",
                    actor=tenant.user,
                )

        # Damp and mould: reported eight working days ago, investigated two days ago; the written
        # summary and the safety work are now due, each on its Awaab's Law clock.
        today = local_date(now)
        reported_on = subtract_working_days(today, 8)
        damp = report(
            "bedroom-mould",
            datetime.combine(reported_on, time(10, 0), tzinfo=LONDON),
            location="bedroom",
            category="damp_mould",
            problem="mould",
            description="Black mould on the outside wall of the back bedroom, behind the wardrobe and round the "
            "window. My son has asthma.",
        )
        if damp is not None:
            loaded += 1
            investigated = datetime.combine(
                subtract_working_days(today, 2), time(11, 0), tzinfo=LONDON
            )
            with at(investigated):
                services.record_investigation(
                    hazard=damp.case.hazard,
                    officer=officer,
                    severity=HazardSeverity.SIGNIFICANT,
                    findings="Mould across 2 square metres of the outside wall; the extractor in the bathroom next "
                    "door is not working and the wall insulation has gaps.",
                    further_work_needed=True,
                )

        if not SafetyConcern.objects.filter(reported_by=tenant.user).exists():
            with at(now - timedelta(days=2)):
                services.raise_safety_concern(
                    user=tenant.user,
                    resident=tenant,
                    home=home,
                    category="escape_route",
                    location="The alleyway behind Hollybank Road",
                    description="Someone has dumped an old sofa and mattresses in the alleyway. It blocks the way "
                    "out from the back gardens.",
                )
            loaded += 1
        return loaded

    # -- communal repairs found on an estate walk -------------------------------------------------------------

    def load_communal_repairs(self, officer) -> tuple[Estate | None, int]:
        """Two repairs in the officer's patch with no home: they show under "My patch"."""
        estates = Estate.objects.select_related("neighbourhood").order_by("name", "id")
        if officer.patch_id:
            estates = estates.filter(neighbourhood_id=officer.patch_id)
        estate = estates.filter(blocks__isnull=False).first() or estates.first()
        if estate is None:
            return None, 0
        block = estate.blocks.order_by("name", "id").first()
        now = timezone.now()
        added = 0
        for days_ago, summary, details, at_block, location, priority in COMMUNAL_REPAIRS:
            if at_block and block is None:
                continue
            if RepairRequest.objects.filter(case__summary=summary, estate=estate).exists():
                continue
            with at(now - timedelta(days=days_ago)):
                services.report_communal_repair(
                    officer=officer,
                    summary=summary,
                    details=details,
                    block=block if at_block else None,
                    estate=None if at_block else estate,
                    channel=CaseChannel.WALK_IN,
                    priority=priority,
                    location=location,
                )
            added += 1
        return estate, added
