"""Neighbourhood working for the demo: service centres and their drop-in hours, each patch
officer's details, doorstep days, surgeries (coming up with free times at the demo tenant's
estate, and past ones with the visits logged), walkabouts (one coming up the tenant can join) and
a year of estate inspections scoring three contractors, so the chart shows a trend.

Run after `load_demo` (and `load_demo_repairs`, whose repair priorities the cases use). Past
events go through the real services with the clock set to when they happened (time-machine, a
development dependency like the demo's Faker). Safe to run again: a loaded demo is left alone.
"""

from __future__ import annotations

import contextlib
import random
from datetime import date, datetime, time, timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from engagement.neighbourhoods import services
from engagement.neighbourhoods.models import (
    Contractor,
    ContractorAssignment,
    ContractService,
    DropInHours,
    InspectionElement,
    OpenSpace,
    ServiceCentre,
    Weekday,
)
from portal.models import Estate, Neighbourhood, Officer, OfficerRole, Resident
from portal.workdays import LONDON

TENANT_EMAIL = "tenant@example.com"
OFFICER_EMAIL = "officer@example.com"
SEED = 2026
CENTRES = (
    # name, kind, address, postcode, phone, helps with, access, neighbourhoods, drop-in hours
    (
        "Millbrook Housing Service Centre",
        ServiceCentre.Kind.SERVICE_CENTRE,
        "The Old Library\n1 Market Square\nMillbrook",
        "MB1 1AA",
        "0300 555 0199",
        "Rent, arrears and money advice\nReporting repairs and damp\nTenancy changes and moving home\n"
        "Help with forms and getting online\nLeasehold and service charge questions",
        "Step-free entrance from Market Square. Hearing loop at the front desk. Buses 4 and 7 stop outside.",
        None,
        (
            (0, "09:00", "17:00", ""),
            (1, "09:00", "17:00", ""),
            (2, "09:00", "19:00", "Late opening"),
            (3, "09:00", "17:00", ""),
            (4, "09:00", "16:00", ""),
            (5, "10:00", "13:00", "Money advice only"),
        ),
    ),
    (
        "Northgate Community Hub",
        ServiceCentre.Kind.COMMUNITY_HUB,
        "Unit 3, Castle Fields Parade\nCastle Fields Way\nMillbrook",
        "MB1 4CF",
        "",
        "Your housing officer's drop-in\nRent and benefits advice\nReporting anti-social behaviour\n"
        "Joining the tenants' and leaseholders' forum",
        "Ground floor, level access. Accessible toilet.",
        ("Northgate",),
        ((1, "10:00", "13:00", "Housing officer drop-in"), (3, "14:00", "17:00", "")),
    ),
    (
        "Riverside Neighbourhood Office",
        ServiceCentre.Kind.OFFICE,
        "Ground floor, Barge House\nWharf Street\nMillbrook",
        "MB4 2WS",
        "",
        "Your housing officer's drop-in\nRepairs and communal cleaning\nParking permits\nKey fobs for blocks",
        "Ramp at the side door. Ring the bell for help.",
        ("Riverside",),
        ((0, "13:00", "16:00", ""), (2, "10:00", "13:00", "Housing officer drop-in")),
    ),
)
OFFICER_DETAILS = {
    "officer@example.com": (
        "07700 900410",
        "priya.shah@millbrookhomes.example",
        "I have looked after Northgate's estates since 2021. Catch me at my surgeries or on a Community Thursday.",
    ),
    "riverside.officer@millbrookhomes.example": (
        "07700 900411",
        "tom.fletcher@millbrookhomes.example",
        "Riverside is my patch. I walk each estate every month: come along and tell me what needs doing.",
    ),
}
OPEN_SPACES = ("Play area", "Car park and garages", "Communal green")
CONTRACTORS = (
    # name, service, phone, estates by neighbourhood (None: all), starts
    ("Sparkle Estate Services Ltd", ContractService.CLEANING, "01632 960100", "Northgate"),
    ("CleanSweep Facilities", ContractService.CLEANING, "01632 960200", "Riverside"),
    ("GreenScape Grounds Maintenance", ContractService.GROUNDS, "01632 960300", None),
)
# Average score each contractor earns, month by month over the year (oldest first): Sparkle
# improves after an improvement plan, CleanSweep slips, the grounds follow the seasons.
TRENDS = {
    "Sparkle Estate Services Ltd": (2.4, 2.5, 2.7, 2.9, 3.1, 3.3, 3.5, 3.6, 3.8, 3.9, 4.0, 4.1),
    "CleanSweep Facilities": (4.1, 4.0, 4.0, 3.8, 3.7, 3.5, 3.3, 3.1, 3.0, 2.8, 2.7, 2.6),
    "GreenScape Grounds Maintenance": (3.4, 3.2, 3.0, 3.1, 3.5, 3.9, 4.2, 4.3, 4.2, 3.9, 3.6, 3.4),
}
LANDLORD_ELEMENTS = {"lighting": 3.8, "fire_safety": 4.2}
COMMENTS = {
    1: {
        "cleaning": "Stairwell not cleaned this week; litter on every landing.",
        "grounds": "Grass uncut and bins overgrown with brambles.",
        "lighting": "Lights out on the stairwell and at the entrance.",
        "bins": "Bins overflowing, bags split on the ground.",
        "graffiti": "Fresh graffiti across the entrance door.",
        "fly_tipping": "Mattress and sofa dumped by the bin store.",
        "fire_safety": "Fire door wedged open on the second floor.",
    },
    2: {
        "cleaning": "Floors swept but not mopped; handrails sticky.",
        "grounds": "Edges not trimmed and leaves not cleared from the paths.",
        "lighting": "One light flickering by the lift.",
        "bins": "Bin store untidy; recycling mixed with general waste.",
        "graffiti": "Tags on the side wall, reported before.",
        "fly_tipping": "Bags of garden waste left by the garages.",
        "fire_safety": "Bikes stored in the escape corridor.",
    },
}
SURGERY_ISSUES = (
    ("Damp in the back bedroom again since the autumn", "repair"),
    ("Asked about moving to a smaller home now the children have left", "enquiry"),
    ("Unhappy that a repair appointment was missed twice", "complaint"),
    ("Noise from a neighbour late at night", "enquiry"),
    ("Communal door closer broken, door slams", "communal_repair"),
    ("Question about a rent increase letter", ""),
    ("Wants to join the residents' forum", ""),
)

DROP_INS = ("Mrs Okafor", "Mr Novak", "Jade (Flat 12's carer)", "Mr and Mrs Begum")


def at(moment):
    """Run the services as if at `moment`; at the real time when time-machine is not installed."""
    try:
        import time_machine
    except ImportError:  # a production image: everything is dated today
        return contextlib.nullcontext()
    return time_machine.travel(moment, tick=False)


def london(day: date, clock: str) -> datetime:
    hour, minute = map(int, clock.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def next_weekday(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7)


class Command(BaseCommand):
    help = "Load the demo's service centres, surgeries, walkabouts, doorstep days and estate inspections."

    def handle(self, *args, **options):
        if Contractor.objects.filter(name=CONTRACTORS[0][0]).exists():
            self.stdout.write("Neighbourhood working is already loaded: 0 new.")
            return
        estates = list(
            Estate.objects.select_related("neighbourhood").order_by("neighbourhood__name", "name")
        )
        if not estates or not Officer.objects.filter(is_active=True).exists():
            self.stdout.write(
                "There are no estates or officers: run `manage.py load_demo` first. 0 new."
            )
            return
        from repairs.services import ensure_default_priorities

        ensure_default_priorities()
        self.rng = random.Random(SEED)
        self.today = timezone.localdate()
        self.officers = self.patch_officers()
        made = self.load_places(estates)
        made += self.load_calendar(estates)
        made += self.load_inspections(estates)
        tenant = Resident.objects.filter(user__email=TENANT_EMAIL).first()
        self.stdout.write(
            self.style.SUCCESS(
                f"Neighbourhood working: {made} new records."
                + (
                    ""
                    if tenant
                    else f" There is no demo tenant ({TENANT_EMAIL}), so no bookings for them."
                )
            )
        )

    def patch_officers(self) -> dict[int, Officer]:
        found = {}
        for officer in Officer.objects.filter(
            role=OfficerRole.OFFICER, is_active=True, patch__isnull=False
        ).order_by("id"):
            found.setdefault(officer.patch_id, officer)
        return found

    def officer_for(self, estate) -> Officer:
        officer = self.officers.get(estate.neighbourhood_id)
        return officer or Officer.objects.filter(is_active=True).order_by("id").first()

    # -- where to find us --------------------------------------------------------------------------------------

    @transaction.atomic
    def load_places(self, estates) -> int:
        made = 0
        for name, kind, address, postcode, phone, helps, access, areas, hours in CENTRES:
            centre = ServiceCentre.objects.create(
                name=name,
                kind=kind,
                address=address,
                postcode=postcode,
                phone=phone,
                helps_with=helps,
                access_information=access,
                email="hello@millbrookhomes.example"
                if kind == ServiceCentre.Kind.SERVICE_CENTRE
                else "",
            )
            if areas:
                centre.neighbourhoods.set(Neighbourhood.objects.filter(name__in=areas))
            DropInHours.objects.bulk_create(
                DropInHours(
                    centre=centre,
                    weekday=Weekday(day),
                    opens=time.fromisoformat(opens),
                    closes=time.fromisoformat(closes),
                    note=note,
                )
                for day, opens, closes, note in hours
            )
            made += 1 + len(hours)
        for email, (phone, address, about) in OFFICER_DETAILS.items():
            officer = Officer.objects.filter(user__email=email).first()
            if officer is not None:
                services.save_officer_profile(
                    officer=officer, phone=phone, email=address, about=about
                )
                made += 1
        for estate in estates:
            for space in OPEN_SPACES:
                OpenSpace.objects.get_or_create(estate=estate, name=space)
                made += 1
        year_ago = self.today - timedelta(days=400)
        for name, service, phone, area in CONTRACTORS:
            contractor = Contractor.objects.create(name=name, service=service, phone=phone)
            for estate in estates:
                if area is None or estate.neighbourhood.name == area:
                    ContractorAssignment.objects.create(
                        contractor=contractor, estate=estate, service=service, starts_on=year_ago
                    )
                    made += 1
        return made

    # -- doorstep days, surgeries and walkabouts -----------------------------------------------------------------

    def load_calendar(self, estates) -> int:
        made = 0
        thursday = next_weekday(self.today + timedelta(days=1), Weekday.THURSDAY)
        for week in range(10):
            estate = estates[week % len(estates)]
            services.schedule_doorstep_day(
                estate=estate,
                starts_at=london(thursday + timedelta(weeks=week), "10:00"),
                ends_at=london(thursday + timedelta(weeks=week), "15:00"),
                officer=self.officer_for(estate),
                meeting_point="Look for the Millbrook Homes gazebo by the play area",
                description="Officers, the caretaker and the repairs team knock on doors; bring your questions.",
            )
            made += 1
        tenant = Resident.objects.filter(user__email=TENANT_EMAIL).first()
        tenant_home = services.current_home(tenant) if tenant else None
        home_estate = tenant_home.estate if tenant_home else estates[0]
        for index, estate in enumerate(estates):
            officer = self.officer_for(estate)
            venue = f"Community room, {estate.blocks.order_by('name').first() or estate.name}"
            # Coming up: a fortnightly rotation, the tenant's estate next week and the week after.
            offsets = (5, 12) if estate == home_estate else (8 + index * 2,)
            for days in offsets:
                day = next_weekday(self.today + timedelta(days=days), Weekday.TUESDAY)
                surgery = services.schedule_surgery(
                    estate=estate,
                    venue=venue,
                    starts_at=london(day, "16:00"),
                    ends_at=london(day, "18:00"),
                    officer=officer,
                    scheduled_by=officer,
                    slot_minutes=20,
                    places_per_slot=1,
                    notes="Step-free access from the car park. Children welcome.",
                )
                made += 1
                residents = list(self.residents_on(estate, 2))
                for resident, slot in zip(residents, surgery.slots.all()[1:3], strict=False):
                    services.book_surgery_slot(
                        resident=resident, slot=slot, about="Rent and repairs"
                    )
                    made += 1
            # Past: one a month over the last three months, with who came and what they raised.
            for months_ago in (1, 2, 3):
                day = next_weekday(
                    self.today - timedelta(days=30 * months_ago + index), Weekday.TUESDAY
                )
                made += self.past_surgery(estate, officer, venue, day)
            # Walkabouts: the tenant's estate has one coming up they can join.
            starts = london(
                self.today + timedelta(days=9 if estate == home_estate else 16 + index), "14:00"
            )
            walkabout = services.schedule_walkabout(
                estate=estate,
                starts_at=starts,
                officer=officer,
                meeting_point="By the noticeboard at the estate entrance",
                notes="About an hour. Wear shoes for grass; we walk every block and open space.",
            )
            for resident in self.residents_on(estate, 2 if estate != home_estate else 1, skip=5):
                services.join_walkabout(resident=resident, walkabout=walkabout)
                made += 1
            made += 1
        return made

    def residents_on(self, estate, count, skip=0):
        return (
            Resident.objects.filter(
                tenancies__home__estate=estate, tenancies__end_date__isnull=True
            )
            .exclude(user__email=TENANT_EMAIL)
            .exclude(email="")
            .order_by("id")
            .distinct()[skip : skip + count]
        )

    def past_surgery(self, estate, officer, venue, day) -> int:
        made = 0
        with at(london(day, "09:00") - timedelta(days=7)):
            surgery = services.schedule_surgery(
                estate=estate,
                venue=venue,
                starts_at=london(day, "16:00"),
                ends_at=london(day, "18:00"),
                officer=officer,
                scheduled_by=officer,
                slot_minutes=20,
            )
            bookings = [
                services.book_surgery_slot(resident=resident, slot=slot)
                for resident, slot in zip(
                    self.residents_on(estate, 3, skip=10), surgery.slots.all(), strict=False
                )
            ]
        made += 1 + len(bookings)
        for number, booking in enumerate(bookings):
            raised, kind = SURGERY_ISSUES[(day.toordinal() + number) % len(SURGERY_ISSUES)]
            with at(booking.slot.starts_at + timedelta(minutes=15)):
                visit = services.log_surgery_visit(
                    surgery=surgery, officer=officer, raised=raised, booking=booking
                )
                made += 1
                if kind:
                    try:
                        services.raise_case_from_visit(
                            visit=visit, officer=officer, kind=kind, summary=raised[:80], details=""
                        )
                        made += 1
                    except services.NeighbourhoodError:
                        pass  # a leaseholder's repair inside their home: the officer advised instead
            if number == 0:
                with at(booking.slot.starts_at + timedelta(minutes=50)):
                    services.log_surgery_visit(
                        surgery=surgery,
                        officer=officer,
                        visitor_name=DROP_INS[day.toordinal() % len(DROP_INS)],
                        raised="Asked when the next walkabout is",
                    )
                    made += 1
        return made

    # -- a year of inspections -------------------------------------------------------------------------------------

    def load_inspections(self, estates) -> int:
        made = 0
        for months_ago in range(11, -1, -1):
            trend_index = 11 - months_ago
            for index, estate in enumerate(estates):
                day = self.today - timedelta(days=30 * months_ago + 3 + index * 2)
                if day >= self.today:
                    day = self.today - timedelta(days=1 + index)
                officer = self.officer_for(estate)
                moment = london(day, "10:30")
                with at(moment - timedelta(days=14)):
                    walkabout = services.schedule_walkabout(
                        estate=estate,
                        starts_at=moment,
                        officer=officer,
                        meeting_point="By the noticeboard at the estate entrance",
                    )
                    for resident in self.residents_on(
                        estate, 1 + (trend_index % 3), skip=20 + months_ago
                    ):
                        services.join_walkabout(resident=resident, walkabout=walkabout)
                with at(moment):
                    inspection = services.start_inspection(
                        officer=officer, walkabout=walkabout, inspected_on=day
                    )
                    places = [{"block": b} for b in estate.blocks.all()] + [
                        {"open_space": s} for s in OpenSpace.objects.filter(estate=estate)
                    ]
                    for place in places:
                        services.record_place_scores(
                            inspection=inspection,
                            officer=officer,
                            scores=self.scores_for(estate, trend_index),
                            **place,
                        )
                        made += len(InspectionElement)
                with at(moment + timedelta(hours=1, minutes=30)):
                    services.complete_inspection(
                        inspection=inspection,
                        officer=officer,
                        residents_present=walkabout.signups.count(),
                        summary="Thank you to everyone who walked with us. Problems found have been reported.",
                    )
                made += 2
        return made

    def scores_for(self, estate, trend_index) -> list[services.ElementScore]:
        cleaning = (
            "Sparkle Estate Services Ltd"
            if estate.neighbourhood.name == "Northgate"
            else "CleanSweep Facilities"
        )
        entries = []
        for element in InspectionElement:
            if element.value == "grounds":
                mean = TRENDS["GreenScape Grounds Maintenance"][trend_index]
            elif element.value in LANDLORD_ELEMENTS:
                mean = LANDLORD_ELEMENTS[element.value]
            else:
                mean = TRENDS[cleaning][trend_index]
            score = max(1, min(5, round(self.rng.gauss(mean, 0.8))))
            comment = COMMENTS.get(score, {}).get(element.value, "")
            entries.append(
                services.ElementScore(element=element.value, score=score, comment=comment)
            )
        return entries
