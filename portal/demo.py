"""The demo landlord: Millbrook Homes, two patches, about 600 homes and the people in them.

Everything is made up and made the same way each time (fixed seeds), so the sign-ins and tenancy
references printed at the end can be written down in the README. Enquiries go through the real
case and enquiry services, each step with the clock set to when it happened in the story, so the
pages look as if the portal had been in use for months. Faker and time-machine are development
packages: the demo runs where they are installed (`make demo`), not in the production image.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from portal.models import (
    Block,
    CaseChannel,
    CaseKind,
    CaseStatus,
    Channel,
    ContactOutcome,
    DeadlineKind,
    Enquiry,
    Estate,
    EventKind,
    Home,
    Landlord,
    Neighbourhood,
    Notification,
    NotificationStatus,
    Officer,
    OfficerRole,
    Resident,
    Team,
    Tenancy,
    Tenure,
    User,
)
from portal.services import cases as case_services
from portal.services import enquiries as enquiry_services
from portal.workdays import LONDON, deadline_after, is_working_day

LANDLORD_NAME = "Millbrook Homes"
PASSWORD = "doorstep-demo"
SEED = 2026
REGION = "ENG"
HISTORY_DAYS = 180


@dataclass(frozen=True)
class EstatePlan:
    name: str
    streets: tuple[tuple[str, int], ...]  # street name, number of houses
    blocks: tuple[tuple[str, int], ...]  # block name, number of flats
    block_street: str  # the street the blocks stand on
    shared_ownership_street: str = ""  # a newer street of shared-ownership houses


@dataclass(frozen=True)
class NeighbourhoodPlan:
    name: str
    outward_code: str
    estates: tuple[EstatePlan, ...]


PLAN = (
    NeighbourhoodPlan(
        "Northgate",
        "MB1",
        (
            EstatePlan(
                "Castle Fields",
                (("Keep Road", 36), ("Bailey Close", 18)),
                (("Rampart House", 30), ("Portcullis Court", 24)),
                "Castle Fields Way",
            ),
            EstatePlan(
                "Foundry Lane",
                (("Foundry Lane", 34), ("Crucible Walk", 16), ("Orchard Mews", 24)),
                (("Anvil House", 20),),
                "Foundry Lane",
                shared_ownership_street="Orchard Mews",
            ),
            EstatePlan(
                "Hollybank",
                (("Hollybank Road", 38), ("Laurel Grove", 20)),
                (("Holly Court", 24), ("Ivy House", 18)),
                "Hollybank Road",
            ),
        ),
    ),
    NeighbourhoodPlan(
        "Riverside",
        "MB4",
        (
            EstatePlan(
                "Wharf Side",
                (("Towpath Row", 32), ("Lock Keeper's Close", 16)),
                (("Barge House", 40), ("Quay Court", 24)),
                "Wharf Street",
            ),
            EstatePlan(
                "Kingfisher",
                (("Kingfisher Drive", 36), ("Heron Way", 18), ("Willow Mews", 22)),
                (("Otter House", 16),),
                "Kingfisher Drive",
                shared_ownership_street="Willow Mews",
            ),
            EstatePlan(
                "Mill Meadows",
                (("Millrace Road", 34), ("Weir Close", 16)),
                (("Millstone House", 24), ("Sluice Court", 20)),
                "Millrace Road",
            ),
        ),
    ),
)


@dataclass(frozen=True)
class DemoResident:
    key: str
    email: str
    first_name: str
    last_name: str
    date_of_birth: date
    tenure: str
    neighbourhood: str
    tenancy_reference: str
    street: str  # part of the address, so each lands somewhere typical of their tenure
    preferred_channel: str = Channel.EMAIL


# Residents with fixed details. The last one has no account: a visitor can sign up and link
# their new account to this tenancy with the reference, date of birth and postcode.
DEMO_RESIDENTS = (
    DemoResident(
        "tenant", "tenant@example.com", "Amira", "Hussain", date(1986, 5, 14), Tenure.SOCIAL_RENT, "Northgate",
        "T-100001", "Hollybank Road",
    ),
    DemoResident(
        "leaseholder", "leaseholder@example.com", "David", "Price", date(1971, 9, 2), Tenure.LEASEHOLD,
        "Riverside", "T-100002", "Barge House",
    ),
    DemoResident(
        "sharedowner", "sharedowner@example.com", "Chloe", "Bennett", date(1993, 1, 27), Tenure.SHARED_OWNERSHIP,
        "Northgate", "T-100003", "Orchard Mews",
    ),
    DemoResident(
        "unlinked", "", "Gareth", "Lloyd", date(1979, 2, 14), Tenure.SOCIAL_RENT, "Riverside", "T-100004", "Heron Way",
        preferred_channel=Channel.LETTER,
    ),
)

STAFF = (
    # key, email, name, role, patch, in the team, can sign in
    ("officer", "officer@example.com", "Priya Shah", OfficerRole.OFFICER, "Northgate", True, True),
    ("riverside", "riverside.officer@millbrookhomes.example", "Tom Fletcher", OfficerRole.OFFICER, "Riverside",
     True, False),
    ("teamleader", "teamleader@example.com", "Joanne Walsh", OfficerRole.TEAM_LEADER, None, True, True),
    ("manager", "manager@example.com", "Marcus Reid", OfficerRole.MANAGER, None, False, True),
    ("contact", "contact.centre@millbrookhomes.example", "Lily Evans", OfficerRole.CONTACT_CENTRE, None, False,
     False),
    ("admin", "admin@example.com", "Sam Okoro", OfficerRole.ADMINISTRATOR, None, False, True),
)
TEAM_NAME = "Neighbourhood Housing"

# What residents ask about, by who may ask it: a leaseholder has no tenancy to add a partner to.
ENQUIRIES = {
    "all": (
        "Question about my service charge",
        "Parking permit for the estate car park",
        "Bins not collected from the bin store",
        "Neighbour's garden is overgrown",
        "Lost key fob for the communal door",
        "Abandoned car on the estate",
        "When is the next estate walkabout",
        "Fly-tipping by the garages",
        "Joining the tenants' and leaseholders' forum",
        "Noise from the flat above",
        "Graffiti on the play area wall",
        "Garden waste left in the communal area",
        "Mobility scooter storage in the block",
    ),
    Tenure.SOCIAL_RENT: (
        "Rent statement for the last six months",
        "Adding my partner to the tenancy",
        "Permission to keep a dog",
        "Who owns the fence between our gardens",
        "Applying for a mutual exchange",
        "Moving to a smaller home",
        "Changing my Direct Debit date",
        "Help with Universal Credit housing costs",
        "Permission to fit a satellite dish",
        "Permission to replace my kitchen",
        "Request a copy of my tenancy agreement",
        "Home contents insurance scheme",
        "Succession to the tenancy after a death",
        "Lodger in my home",
    ),
    Tenure.LEASEHOLD: (
        "Section 20 notice for the roof works",
        "Subletting rules for leaseholders",
        "Copy of my lease",
        "Permission for alterations to my flat",
        "Buildings insurance certificate",
    ),
    Tenure.SHARED_OWNERSHIP: (
        "Buying a bigger share of my home",
        "Selling my shared ownership home",
        "Rent review on my share",
        "Permission to build a conservatory",
    ),
}
INTERNAL_NOTES = (
    "Called the resident, no answer. Left a voicemail and will try again tomorrow.",
    "Checked the rent account: no arrears, statement sent.",
    "Spoke to the estate caretaker, who will look at it on Thursday's round.",
    "Passed to the income team for advice on housing costs.",
    "Resident says a neighbour has raised the same thing. Linked in my notes.",
    "Visited the block: the communal door closer also needs looking at; repair raised separately.",
    "Asked the leasehold team for the service charge breakdown.",
    "Resident would prefer calls after 4pm.",
)
RESIDENT_UPDATES = (
    "We called you back and talked this through. We will write to you with the details.",
    "Thank you for getting in touch. Your housing officer will visit you next week.",
    "We have sent you the information you asked for by your preferred way of contact.",
    "We have spoken to the team responsible, who will contact you within five working days.",
    "We have looked into this and written to you with our answer.",
)
ANSWERS = (
    "We explained how this works and sent you the form to fill in.",
    "We sent you the information you asked for. Get in touch again if you need anything else.",
    "Your housing officer looked into this and the estate team has sorted it out.",
    "We gave you permission, with the conditions set out in our letter.",
    "We explained your options and booked you an appointment with our money advice team.",
    "We passed this to the team responsible, who have now dealt with it.",
)
QUESTION_ENDINGS = (
    "Please can someone call me back?",
    "I would like to know what happens next.",
    "Can you tell me what I need to do?",
    "I tried calling but could not get through.",
    "My neighbour said I should ask you.",
)
CHANNEL_WEIGHTS = {
    CaseChannel.WEB: 35,
    CaseChannel.PHONE: 35,
    CaseChannel.EMAIL: 15,
    CaseChannel.WALK_IN: 8,
    CaseChannel.TEXT: 5,
    CaseChannel.LETTER: 2,
}
LANGUAGES = ("Polish", "Urdu", "Bengali", "Punjabi", "Somali", "Arabic", "Romanian", "Gujarati", "Welsh")
ACCESSIBILITY_NEEDS = (
    "Uses a wheelchair. Please call before visiting so the lift can be checked.",
    "Deaf. Prefers text messages; a BSL interpreter for visits.",
    "Partially sighted. Letters in large print, please.",
    "Has a learning disability. Easy read information, and her daughter may speak for her.",
    "Anxiety: please give notice of any visit by text.",
)


def demo_is_loaded() -> bool:
    return Landlord.objects.filter(pk=1, name=LANDLORD_NAME).exists()


def sign_ins() -> list[tuple[str, str, str]]:
    """Who to sign in as: (who, email, what they see), for the table printed after loading."""
    homes = {
        t.reference: t.home
        for t in Tenancy.objects.filter(reference__in=[r.tenancy_reference for r in DEMO_RESIDENTS])
        .select_related("home")
    }

    def home_of(key):
        resident = next(r for r in DEMO_RESIDENTS if r.key == key)
        home = homes.get(resident.tenancy_reference)
        where = home.short_address if home else "?"
        return f"{where}, tenancy {resident.tenancy_reference}"

    return [
        ("Tenant (social rent)", "tenant@example.com", home_of("tenant")),
        ("Leaseholder", "leaseholder@example.com", home_of("leaseholder")),
        ("Shared owner", "sharedowner@example.com", home_of("sharedowner")),
        ("Housing officer", "officer@example.com", "Northgate patch"),
        ("Team leader", "teamleader@example.com", TEAM_NAME),
        ("Manager", "manager@example.com", "all patches"),
        ("Administrator", "admin@example.com", "also /admin/"),
    ]


def link_example() -> str:
    resident = next(r for r in DEMO_RESIDENTS if r.key == "unlinked")
    home = Tenancy.objects.filter(reference=resident.tenancy_reference).select_related("home").first()
    postcode = home.home.postcode if home else "?"
    return (
        f"To try linking a new account to a home: tenancy reference {resident.tenancy_reference}, "
        f"date of birth {resident.date_of_birth:%d/%m/%Y}, postcode {postcode}."
    )


class DemoLoader:
    def __init__(self, *, now: datetime | None = None):
        # Development packages: imported here so a missing one is reported before anything is written.
        import time_machine  # noqa: F401
        from faker import Faker

        self.rng = random.Random(SEED)
        self.fake = Faker("en_GB")
        self.fake.seed_instance(SEED)
        self.now = now or timezone.now()
        self.password_hash = make_password(PASSWORD)  # hashed once: hashing is the slow part
        self.phone_counter = 0

    # -- the whole landlord -------------------------------------------------------------------------

    @transaction.atomic
    def load(self) -> dict:
        landlord = Landlord.current()
        landlord.name = LANDLORD_NAME
        landlord.logo_text = LANDLORD_NAME
        landlord.bank_holiday_region = REGION
        landlord.phone = "0300 555 0199"
        landlord.email = "hello@millbrookhomes.example"
        landlord.address = "Millbrook Homes\nThe Old Library\n1 Market Square\nMillbrook\nMB1 1AA"
        landlord.opening_hours = "Monday to Friday, 8am to 6pm"
        landlord.save()

        patches = self._stock()
        tenancies_by_ref = self._tenancies(patches)
        officers = self._staff(patches)
        self._demo_accounts(tenancies_by_ref)
        cases = self._cases(officers, tenancies_by_ref)
        return {
            "homes": Home.objects.count(),
            "tenancies": Tenancy.objects.count(),
            "residents": Resident.objects.count(),
            "officers": Officer.objects.count(),
            "cases": cases,
        }

    # -- places and homes ----------------------------------------------------------------------------

    def _stock(self):
        """Neighbourhoods, estates, blocks and homes, in bulk."""
        homes = []
        uprn = 100090000000
        patches = {}
        for patch_plan in PLAN:
            neighbourhood = Neighbourhood.objects.create(name=patch_plan.name)
            patches[patch_plan.name] = neighbourhood
            sector = 1
            for estate_plan in patch_plan.estates:
                estate = Estate.objects.create(neighbourhood=neighbourhood, name=estate_plan.name)
                for street, houses in estate_plan.streets:
                    postcode = self._postcode(patch_plan.outward_code, sector)
                    shared = street == estate_plan.shared_ownership_street
                    for number in range(1, houses + 1):
                        uprn += 1
                        if shared:
                            tenure = Tenure.SHARED_OWNERSHIP
                        else:
                            # A few houses elsewhere were sold on shared ownership too.
                            tenure = Tenure.SHARED_OWNERSHIP if self.rng.random() < 0.04 else Tenure.SOCIAL_RENT
                        homes.append(
                            Home(
                                uprn=str(uprn),
                                address_line_1=f"{number} {street}",
                                town="Millbrook",
                                postcode=postcode,
                                neighbourhood=neighbourhood,
                                estate=estate,
                                tenure=tenure,
                                bedrooms=self.rng.choices((2, 3, 4), weights=(35, 50, 15))[0],
                                has_communal_areas=False,
                            )
                        )
                    sector += 1
                for block_name, flats in estate_plan.blocks:
                    block = Block.objects.create(estate=estate, name=block_name)
                    postcode = self._postcode(patch_plan.outward_code, sector)
                    sector += 1
                    for number in range(1, flats + 1):
                        uprn += 1
                        # Flats bought under the right to buy are now leasehold.
                        tenure = Tenure.LEASEHOLD if self.rng.random() < 0.22 else Tenure.SOCIAL_RENT
                        homes.append(
                            Home(
                                uprn=str(uprn),
                                address_line_1=f"Flat {number}, {block_name}",
                                address_line_2=estate_plan.block_street,
                                town="Millbrook",
                                postcode=postcode,
                                neighbourhood=neighbourhood,
                                estate=estate,
                                block=block,
                                tenure=tenure,
                                bedrooms=self.rng.choices((1, 2, 3), weights=(40, 50, 10))[0],
                                has_communal_areas=True,
                            )
                        )
        Home.objects.bulk_create(homes, batch_size=500)
        return patches

    def _postcode(self, outward: str, sector: int) -> str:
        # Made-up postcodes in the real format; "MB" is not a real postcode area.
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        return f"{outward} {sector}{self.rng.choice(letters)}{self.rng.choice(letters)}"

    # -- tenancies and residents -----------------------------------------------------------------------

    def _tenancies(self, patches):
        homes = list(Home.objects.filter(neighbourhood__in=patches.values()).order_by("pk"))
        # The fixed demo residents take the first suitable home in their patch.
        reserved = {}
        for demo in DEMO_RESIDENTS:
            home = next(
                h
                for h in homes
                if h.tenure == demo.tenure
                and h.neighbourhood_id == patches[demo.neighbourhood].pk
                and h.pk not in reserved.values()
                and demo.street in h.address_line_1
            )
            reserved[demo.key] = home.pk
        demo_by_home = {reserved[d.key]: d for d in DEMO_RESIDENTS}

        tenancies, residents, links = [], [], []  # links: (tenancy index, resident index)
        number = 100010
        for home in homes:
            demo = demo_by_home.get(home.pk)
            if demo is None and self.rng.random() < 0.02:
                continue  # empty, between tenancies
            if demo is not None:
                reference = demo.tenancy_reference
                people = [self._demo_resident(demo)]
            else:
                number += 1
                reference = f"T-{number:06d}"
                people = self._household()
            tenancies.append(Tenancy(reference=reference, home=home, start_date=self._start_date(home)))
            for person in people:
                links.append((len(tenancies) - 1, len(residents)))
                residents.append(person)

        # SQLite and PostgreSQL both hand back the new keys from a bulk insert.
        Tenancy.objects.bulk_create(tenancies, batch_size=500)
        Resident.objects.bulk_create(residents, batch_size=500)
        Through = Tenancy.residents.through
        Through.objects.bulk_create(
            [Through(tenancy_id=tenancies[t].pk, resident_id=residents[r].pk) for t, r in links], batch_size=500
        )
        return {t.reference: t for t in Tenancy.objects.select_related("home__neighbourhood")}

    def _start_date(self, home: Home) -> date:
        if home.tenure == Tenure.SHARED_OWNERSHIP:
            start = date(2012, 1, 1)
        elif home.tenure == Tenure.LEASEHOLD:
            start = date(1988, 1, 1)
        else:
            start = date(1990, 1, 1)
        end = self.now.date() - timedelta(days=60)
        return start + timedelta(days=self.rng.randrange((end - start).days))

    def _household(self) -> list[Resident]:
        first = self._resident()
        if self.rng.random() < 0.4:
            second = self._resident(last_name=first.last_name if self.rng.random() < 0.7 else None)
            return [first, second]
        return [first]

    def _resident(self, last_name: str | None = None) -> Resident:
        fake, rng = self.fake, self.rng
        first_name = fake.first_name()
        last_name = last_name or fake.last_name()
        self.phone_counter += 1
        channel = rng.choices(
            (Channel.EMAIL, Channel.TEXT, Channel.LETTER, Channel.PHONE), weights=(50, 28, 12, 10)
        )[0]
        has_email = channel == Channel.EMAIL or rng.random() < 0.5
        resident = Resident(
            first_name=first_name,
            last_name=last_name,
            date_of_birth=fake.date_of_birth(minimum_age=18, maximum_age=92),
            email=(
                f"{first_name}.{last_name}{self.phone_counter}@example.com".lower().replace(" ", "").replace("'", "")
                if has_email
                else ""
            ),
            # Ofcom's numbers for drama: 07700 900000 to 900999 never ring anyone.
            phone=f"07700 900{self.phone_counter % 1000:03d}" if channel != Channel.LETTER or rng.random() < 0.5
            else "",
            preferred_channel=channel,
        )
        if rng.random() < 0.07:
            resident.preferred_language = rng.choice(LANGUAGES)
            resident.needs_interpreter = rng.random() < 0.7
        if rng.random() < 0.08:
            need = rng.choice(ACCESSIBILITY_NEEDS)
            resident.accessibility_needs = need
            resident.needs_large_print = "large print" in need
            resident.needs_easy_read = "Easy read" in need
        elif rng.random() < 0.04:
            resident.needs_large_print = True
            resident.preferred_channel = Channel.LETTER
        return resident

    def _demo_resident(self, demo: DemoResident) -> Resident:
        return Resident(
            first_name=demo.first_name,
            last_name=demo.last_name,
            date_of_birth=demo.date_of_birth,
            email=demo.email,
            phone="07700 900001" if demo.email else "",
            preferred_channel=demo.preferred_channel,
        )

    # -- staff and sign-ins -----------------------------------------------------------------------------

    def _user(self, email: str, *, can_sign_in: bool, superuser: bool = False) -> User:
        from allauth.account.models import EmailAddress

        user = User(email=email, is_staff=superuser, is_superuser=superuser)
        if can_sign_in:
            user.password = self.password_hash
        else:
            user.set_unusable_password()
        user.save()
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    def _staff(self, patches) -> dict[str, Officer]:
        team = Team.objects.create(name=TEAM_NAME)
        officers = {}
        for key, email, name, role, patch, in_team, can_sign_in in STAFF:
            user = self._user(email, can_sign_in=can_sign_in, superuser=role == OfficerRole.ADMINISTRATOR)
            officers[key] = Officer.objects.create(
                user=user,
                name=name,
                role=role,
                team=team if in_team else None,
                patch=patches.get(patch),
                phone=f"01632 96{len(officers):04d}",  # Ofcom's drama range for landlines
            )
        team.leader = officers["teamleader"]
        team.save(update_fields=["leader"])
        officers["team"] = team
        return officers

    def _demo_accounts(self, tenancies_by_ref):
        for demo in DEMO_RESIDENTS:
            if not demo.email:
                continue
            resident = tenancies_by_ref[demo.tenancy_reference].residents.get()
            resident.user = self._user(demo.email, can_sign_in=True)
            resident.save(update_fields=["user"])

    # -- cases -----------------------------------------------------------------------------------------

    def _cases(self, officers, tenancies_by_ref) -> int:
        team = officers.pop("team")
        patch_officer = {o.patch_id: o for o in officers.values() if o.patch_id}
        contact = officers["contact"]
        ordinary = [t for ref, t in tenancies_by_ref.items() if ref not in {d.tenancy_reference for d in DEMO_RESIDENTS}]
        residents_of = {}
        Through = Tenancy.residents.through
        for tenancy_id, resident_id in Through.objects.values_list("tenancy_id", "resident_id"):
            residents_of.setdefault(tenancy_id, []).append(resident_id)
        residents = Resident.objects.in_bulk()

        plans = []
        for _ in range(104):
            tenancy = self.rng.choice(ordinary)
            plans.append(self._case_plan(tenancy, residents[self.rng.choice(residents_of[tenancy.pk])]))
        tenant = DEMO_RESIDENTS[0]
        tenancy = tenancies_by_ref[tenant.tenancy_reference]
        resident = residents[residents_of[tenancy.pk][0]]
        plans += [
            self._case_plan(tenancy, resident, summary="Parking permit for the estate car park", days_ago=64,
                            outcome="closed", channel=CaseChannel.PHONE),
            self._case_plan(tenancy, resident, summary="Permission to replace my kitchen", days_ago=9,
                            outcome="in_progress", channel=CaseChannel.WEB),
            self._case_plan(tenancy, resident, summary="Help with Universal Credit housing costs", days_ago=0.2,
                            outcome="open", channel=CaseChannel.WEB),
        ]
        for demo in DEMO_RESIDENTS[1:3]:
            tenancy = tenancies_by_ref[demo.tenancy_reference]
            resident = residents[residents_of[tenancy.pk][0]]
            summary = (
                "Section 20 notice for the roof works" if demo.tenure == Tenure.LEASEHOLD
                else "Buying a bigger share of my home"
            )
            plans.append(self._case_plan(tenancy, resident, summary=summary, days_ago=23, outcome="closed"))

        plans.sort(key=lambda p: p["opened_at"])  # references in the order cases arrived
        for plan in plans:
            owner = patch_officer[plan["tenancy"].home.neighbourhood_id]
            self._work_case(plan, owner=owner, team=team, contact=contact)
        return len(plans)

    def _case_plan(self, tenancy, resident, *, summary=None, days_ago=None, outcome=None, channel=None):
        rng = self.rng
        if outcome is None:
            outcome = rng.choices(
                ("closed", "resolved", "in_progress", "on_hold", "open"), weights=(52, 16, 14, 4, 14)
            )[0]
        if days_ago is None:
            if outcome == "open":
                days_ago = rng.uniform(0.05, 5)
            elif outcome in ("in_progress", "on_hold"):
                days_ago = rng.uniform(1, 28)
            else:
                days_ago = rng.uniform(4, HISTORY_DAYS)
        channel = channel or rng.choices(list(CHANNEL_WEIGHTS), weights=list(CHANNEL_WEIGHTS.values()))[0]
        if summary is None:
            tenure = tenancy.home.tenure
            # Blocks have the communal questions; residents of houses ask about their own home more.
            own = ENQUIRIES[tenure]
            summary = rng.choice(own) if rng.random() < 0.45 else rng.choice(ENQUIRIES["all"])
            if tenancy.home.block_id is None and any(
                word in summary for word in ("block", "flat above", "communal door")
            ):
                summary = rng.choice(own)
        return {
            "tenancy": tenancy,
            "resident": resident,
            "summary": summary,
            "outcome": outcome,
            "channel": channel,
            "opened_at": self._opened_at(days_ago, channel),
        }

    def _opened_at(self, days_ago: float, channel: str) -> datetime:
        moment = (self.now - timedelta(days=days_ago)).astimezone(LONDON)
        day = moment.date()
        if channel in (CaseChannel.PHONE, CaseChannel.WALK_IN):
            # Calls and visits happen in opening hours on working days.
            while not is_working_day(day, REGION):
                day -= timedelta(days=1)
            minutes = self.rng.randrange(8 * 60 + 5, 17 * 60 + 50)
        else:
            minutes = self.rng.randrange(7 * 60, 22 * 60 + 30)  # online, at any sensible hour
        moment = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=LONDON)
        return min(moment, self.now - timedelta(minutes=30))

    def _at_work(self, after: datetime, *, within_hours: float = 3) -> datetime | None:
        """A moment in office hours (working days, 8:30 to 17:30) a little after `after`, or None
        if that would be in the future."""
        moment = after.astimezone(LONDON) + timedelta(minutes=self.rng.uniform(10, within_hours * 60))
        opens, closes = time(8, 30), time(17, 30)
        while True:
            day = moment.date()
            if not is_working_day(day, REGION) or moment.time() >= closes:
                moment = datetime.combine(day + timedelta(days=1), time(0), tzinfo=LONDON)
            elif moment.time() < opens:
                moment = datetime.combine(day, opens, tzinfo=LONDON) + timedelta(minutes=self.rng.uniform(0, 150))
            else:
                break
        return moment if moment < self.now else None

    def _work_case(self, plan, *, owner, team, contact):
        """Open one enquiry through the services and work it as the officers would have, each step
        with the clock set to when it happened in the story."""
        rng, at = self.rng, self._clock
        opened_at = plan["opened_at"]
        home = plan["tenancy"].home
        resident = plan["resident"]
        outcome = plan["outcome"]
        # Calls, visits and letters are logged by the contact centre; the rest arrive by themselves.
        logged = plan["channel"] in (CaseChannel.PHONE, CaseChannel.WALK_IN, CaseChannel.LETTER)
        first_contact = logged and outcome in ("closed", "resolved") and rng.random() < 0.35
        answer = rng.choice(ANSWERS)
        with at(opened_at):
            case = case_services.open_case(
                kind=CaseKind.ENQUIRY,
                summary=plan["summary"],
                channel=plan["channel"],
                resident=resident,
                home=home,
                owner=None if first_contact else owner,
                team=None if first_contact else team,
                actor=contact.user if logged else (resident.user if resident.user_id else None),
                opened_at=opened_at,
            )
            Enquiry.objects.create(
                case=case,
                question=f"{plan['summary']}. {rng.choice(QUESTION_ENDINGS)}",
                resolved_at_first_contact=first_contact,
                answer=answer if first_contact else "",
            )
        if first_contact:
            answered_at = opened_at + timedelta(minutes=rng.uniform(4, 15))
            with at(answered_at):
                self._resolve(case, answer, actor=contact.user, message="Answered when you contacted us")
            return

        due_at = deadline_after(opened_at, 1, REGION)
        with at(opened_at + timedelta(minutes=1)):
            case_services.set_deadline(case=case, kind=DeadlineKind.CALLBACK, due_at=due_at)

        # The call-back: usually in time, sometimes a day or two late; a few open ones still waiting.
        if rng.random() < 0.12:
            called_at = self._at_work(due_at + timedelta(hours=rng.uniform(8, 30)))
        else:
            called_at = self._at_work(opened_at, within_hours=rng.uniform(0.5, 8))
            if called_at is not None and called_at > due_at:
                called_at = self._at_work(opened_at, within_hours=0.5)
        if outcome == "open" and rng.random() < 0.7:
            called_at = None
        if called_at is None:
            return  # not called back yet: running, or overdue in the queue
        if rng.random() < 0.2:
            with at(called_at):
                enquiry_services.record_contact_attempt(
                    case=case, officer=owner, outcome=ContactOutcome.NO_ANSWER, method=CaseChannel.PHONE
                )
            called_at = self._at_work(called_at, within_hours=3) or called_at
        with at(called_at):  # keeps the call-back promise, and the case is now in progress
            enquiry_services.record_contact_attempt(
                case=case,
                officer=owner,
                outcome=ContactOutcome.REACHED if rng.random() < 0.8 else ContactOutcome.MESSAGE_LEFT,
                method=CaseChannel.TEXT if resident.preferred_channel == Channel.TEXT else CaseChannel.PHONE,
            )
        moment = called_at

        note_at = self._at_work(moment, within_hours=1)
        if note_at and rng.random() < 0.6:
            notes = [n for n in INTERNAL_NOTES if home.block_id or "block" not in n]
            with at(note_at):
                case_services.add_note(case=case, author=owner.user, text=rng.choice(notes))
            moment = note_at
        update_at = self._at_work(moment, within_hours=rng.uniform(4, 60))
        if update_at and rng.random() < 0.6:
            with at(update_at):
                case_services.add_note(
                    case=case, author=owner.user, text=rng.choice(RESIDENT_UPDATES), visible_to_resident=True
                )
            moment = update_at
        if outcome in ("open", "in_progress"):
            return

        next_at = self._at_work(moment, within_hours=rng.uniform(4, 120))
        if next_at is None:
            return
        with at(next_at):
            if outcome == "on_hold":
                case_services.change_status(
                    case=case, status=CaseStatus.ON_HOLD, actor=owner.user,
                    message="On hold: we are waiting for information from another team.",
                )
            else:
                status = CaseStatus.RESOLVED if outcome == "resolved" else CaseStatus.CLOSED
                self._resolve(case, answer, actor=owner.user, message="Enquiry resolved", status=status)
                self._notify(case, resident, next_at)

    def _resolve(self, case, answer, *, actor, message, status=CaseStatus.RESOLVED):
        """As the enquiry service resolves, without queueing a message today for a case closed weeks
        ago: the message sent then is written by _notify as already delivered."""
        Enquiry.objects.filter(case=case).update(answer=answer)
        case_services.record_event(case=case, kind=EventKind.UPDATE, message=answer, actor=actor,
                                   visible_to_resident=True)
        case_services.change_status(case=case, status=status, actor=actor, message=message)

    @staticmethod
    def _clock(moment: datetime):
        """The services stamp what they write with the time now: set it to the story's time.
        time-machine, like Faker, is a development package; so is the demo."""
        import time_machine

        return time_machine.travel(moment, tick=False)

    def _notify(self, case, resident, at):
        """A message already sent, so the outbox looks used. Written directly: it was delivered long ago."""
        from portal.services.notify import NoAddress, resident_route

        try:
            channel, to = resident_route(resident)
        except NoAddress:
            return
        Notification.objects.create(
            resident=resident,
            case=case,
            channel=channel,
            to=to,
            template="case_closed",
            subject=f"Your enquiry {case.reference} is closed",
            body=(
                f"Dear {resident.full_name},\n\nWe have closed your enquiry {case.reference}: {case.summary}.\n\n"
                f"{LANDLORD_NAME}"
            ),
            status=NotificationStatus.SENT,
            attempts=1,
            next_attempt_at=at,
            sent_at=at + timedelta(seconds=20),
        )
