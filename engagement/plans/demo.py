"""Neighbourhood plans and the community fund for the demo landlord (after `load_demo`).

A plan per neighbourhood: the demo tenant's (Northgate) is open for voting now, with last year's
plan behind it, its top priorities turned into actions, some done; Riverside's closed a few weeks
ago and its actions are under way. This financial year's fund has awards, a payment and a balance,
and applications at each stage, one paid with progress photos drawn here with Pillow.

Changes go through the services; what the story says happened earlier (votes in a closed window,
decisions months ago) is then moved back in time. Safe to run again: it does nothing the second time.
"""

from __future__ import annotations

import io
import random
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from engagement.plans import selectors, services
from engagement.plans.models import (
    ActionStatus,
    ActionUpdate,
    Ballot,
    BallotChoice,
    CommunityFund,
    NeighbourhoodPlan,
    PlanAction,
    ProjectApplication,
    ProjectPhoto,
    ProjectSupporter,
    ProjectUpdate,
    Theme,
    financial_year_of,
)
from engagement.plans.photos import clean_photo
from portal.models import (
    Neighbourhood,
    Notification,
    NotificationStatus,
    Officer,
    OfficerRole,
    Resident,
)
from portal.workdays import LONDON, local_date

TENANT_EMAIL = "tenant@example.com"
SHARED_OWNER_EMAIL = "sharedowner@example.com"
SEED = 2026


class DemoMissing(Exception):
    """What this demo needs from the portal's demo is not there."""


def already_loaded() -> bool:
    return NeighbourhoodPlan.objects.exists()


PRIORITIES = [
    (Theme.SAFETY, "Safety", "Better lighting, safer paths and entrances"),
    (
        Theme.CLEANLINESS,
        "Cleanliness",
        "Litter, fly-tipping, bin stores and communal areas kept clean",
    ),
    (
        Theme.ASB,
        "Anti-social behaviour",
        "Noise, drug dealing, nuisance and vandalism dealt with quickly",
    ),
    (Theme.COMMUNITY_SPACES, "Community spaces", "Places to meet, play and grow things"),
    (Theme.GREEN_SPACES, "Green spaces", "Grass, trees and planting looked after"),
    (Theme.PARKING, "Parking and roads", "Fair parking and safe roads on the estates"),
]

CRITERIA = [
    ("Benefits the community", "How many residents gain, and how much", 5),
    ("Residents are behind it", "Support from neighbours and who will take part", 5),
    ("Value for money", "The cost is clear, fair and not paid for elsewhere", 5),
    ("Lasting difference", "It keeps helping after the money is spent", 5),
]


DESCRIPTIONS = {
    "beds": "three new raised beds on the grass",
    "harvest": "the beds full of vegetables",
    "sunflowers": "sunflowers growing in the beds",
}


class Loader:
    def __init__(self, *, now: datetime | None = None):
        self.now = now or timezone.now()
        self.today = local_date(self.now)
        self.rng = random.Random(SEED)

    def at(self, days_ago: int, hour: int = 11) -> datetime:
        return datetime.combine(self.today - timedelta(days=days_ago), time(hour, 0), tzinfo=LONDON)

    @transaction.atomic
    def load(self) -> dict:
        tenant = Resident.objects.filter(user__email=TENANT_EMAIL).first()
        if tenant is None:
            raise DemoMissing(
                f"There is no demo tenant ({TENANT_EMAIL}): run `python manage.py load_demo` first."
            )
        officers = Officer.objects.filter(is_active=True)
        self.manager = officers.filter(role=OfficerRole.MANAGER).order_by("pk").first()
        self.fallback_officer = officers.filter(role=OfficerRole.OFFICER).order_by("pk").first()
        if self.manager is None or self.fallback_officer is None:
            raise DemoMissing(
                "The demo needs a manager and a housing officer: run `python manage.py load_demo` first."
            )
        self.tenant = tenant
        tenant_patch = selectors.resident_neighbourhood(tenant)
        plans = 0
        for neighbourhood in Neighbourhood.objects.order_by("name"):
            plans += self._plans_for(neighbourhood, is_tenants=neighbourhood == tenant_patch)
        applications = self._fund()
        # The story's messages were delivered when they happened, not queued now.
        Notification.objects.filter(template__startswith="plans_", created_at__gte=self.now).update(
            status=NotificationStatus.SENT, sent_at=self.now, next_attempt_at=self.now
        )
        return {"plans": plans, "applications": applications}

    # -- plans ---------------------------------------------------------------------------------------------

    def _officer_for(self, neighbourhood) -> Officer:
        return (
            Officer.objects.filter(patch=neighbourhood, is_active=True).order_by("pk").first()
            or self.fallback_officer
        )

    def _residents_of(self, neighbourhood, *, limit: int, exclude=()):
        return list(
            Resident.objects.filter(
                tenancies__end_date__isnull=True, tenancies__home__neighbourhood=neighbourhood
            )
            .exclude(pk__in=[r.pk for r in exclude])
            .distinct()
            .order_by("pk")[:limit]
        )

    def _plan(
        self, neighbourhood, *, year: int, opens_on: date, closes_on: date, offered
    ) -> NeighbourhoodPlan:
        officer = self._officer_for(neighbourhood)
        plan = services.create_plan(
            officer=officer,
            neighbourhood=neighbourhood,
            title=f"{neighbourhood.name} neighbourhood plan {year}/{(year + 1) % 100:02d}",
            introduction=(
                f"What should we and our partners focus on in {neighbourhood.name} this year? Residents "
                "choose the priorities; we turn the top ones into actions with a named owner and a date, "
                "and report progress here."
            ),
            voting_opens_on=opens_on,
            voting_closes_on=closes_on,
            priorities=offered,
        )
        services.publish_plan(plan=plan, officer=self.manager)
        NeighbourhoodPlan.objects.filter(pk=plan.pk).update(
            created_at=self.at((self.today - opens_on).days + 14),
            published_at=self.at((self.today - opens_on).days + 1),
            # The demo's residents were told when voting opened; the beat need not tell them now.
            announcement_started_at=self.at((self.today - opens_on).days),
            announcement_finished_at=self.at((self.today - opens_on).days),
        )
        plan.refresh_from_db()
        return plan

    def _votes(self, plan, voters, weights) -> None:
        """Ballots cast in the plan's window, weighted so the results tell a story."""
        priorities = list(plan.priorities.all())
        ballots = []
        last_day = min(plan.voting_closes_on, self.today)
        window = (last_day - plan.voting_opens_on).days + 1
        for voter in voters:
            day = plan.voting_opens_on + timedelta(days=self.rng.randrange(window))
            sent = datetime.combine(
                day, time(self.rng.randrange(8, 21), self.rng.randrange(60)), tzinfo=LONDON
            )
            ballots.append(Ballot(plan=plan, resident=voter, submitted_at=sent, changed_at=sent))
        Ballot.objects.bulk_create(ballots)
        choices = []
        for ballot in Ballot.objects.filter(plan=plan):
            how_many = self.rng.choice([1, 2, 3, 3, 3])
            picked = []
            pool = list(zip(priorities, weights, strict=False))
            while len(picked) < how_many and pool:
                priority = self.rng.choices([p for p, _ in pool], weights=[w for _, w in pool])[0]
                picked.append(priority)
                pool = [(p, w) for p, w in pool if p != priority]
            choices += [
                BallotChoice(ballot=ballot, priority=p, rank=rank)
                for rank, p in enumerate(picked, start=1)
            ]
        BallotChoice.objects.bulk_create(choices)

    def _actions(self, plan, items) -> None:
        officer = self._officer_for(plan.neighbourhood)
        by_title = {p.title: p for p in plan.priorities.all()}
        for priority_title, title, description, partner, due_in_days, status, notes in items:
            action = services.add_action(
                plan=plan,
                officer=officer,
                priority=by_title[priority_title],
                title=title,
                description=description,
                owner=officer,
                partner=partner,
                due_on=self.today + timedelta(days=due_in_days),
            )
            for days_ago, note, note_status in notes:
                services.record_action_progress(
                    action=action, officer=officer, body=note, status=note_status
                )
                ActionUpdate.objects.filter(action=action, created_at__gte=self.now).update(
                    created_at=self.at(days_ago)
                )
            if status == ActionStatus.DONE:
                last = min(days_ago for days_ago, _, _ in notes)
                PlanAction.objects.filter(pk=action.pk).update(
                    completed_on=self.today - timedelta(days=last)
                )
            PlanAction.objects.filter(pk=action.pk).update(
                created_at=self.at(max([40, *[n[0] + 5 for n in notes]]))
            )

    def _plans_for(self, neighbourhood, *, is_tenants: bool) -> int:
        if is_tenants:
            # Last year's plan, closed, its top priorities done or under way.
            last_year = self._plan(
                neighbourhood,
                year=financial_year_of(self.today) - 1,
                opens_on=self.today - timedelta(days=400),
                closes_on=self.today - timedelta(days=372),
                offered=PRIORITIES[:5],
            )
            self._votes(
                last_year,
                self._residents_of(neighbourhood, limit=64, exclude=[self.tenant]),
                [5, 6, 4, 3, 2],
            )
            self._actions(
                last_year,
                [
                    (
                        "Cleanliness",
                        "Weekly deep clean of the Holly Court and Ivy House bin stores",
                        "Our estate services team adds a weekly jet-wash and checks the doors close.",
                        "",
                        -200,
                        ActionStatus.DONE,
                        [
                            (300, "Jet-washing started every Tuesday.", ActionStatus.IN_PROGRESS),
                            (
                                240,
                                "New self-closing doors fitted to both bin stores.",
                                ActionStatus.DONE,
                            ),
                        ],
                    ),
                    (
                        "Safety",
                        "LED lighting on the Hollybank Road footpath",
                        "Eight new lamp columns along the path to the shops.",
                        "Millbrook Council highways",
                        -150,
                        ActionStatus.DONE,
                        [
                            (
                                260,
                                "Survey done; the council agreed to share the cost.",
                                ActionStatus.IN_PROGRESS,
                            ),
                            (170, "All eight lamps are on.", ActionStatus.DONE),
                        ],
                    ),
                    (
                        "Anti-social behaviour",
                        "Monthly joint patrols with the neighbourhood police team",
                        "A housing officer and PCSOs walk the estates together and meet residents.",
                        "Millbrook Police",
                        -20,
                        ActionStatus.DONE,
                        [
                            (
                                330,
                                "First joint patrol done; 14 residents spoke to us.",
                                ActionStatus.IN_PROGRESS,
                            ),
                            (
                                30,
                                "A year of monthly patrols done; they carry on as normal work.",
                                ActionStatus.DONE,
                            ),
                        ],
                    ),
                ],
            )
            # This year's plan, open for voting now: the demo tenant has not voted yet.
            current = self._plan(
                neighbourhood,
                year=financial_year_of(self.today),
                opens_on=self.today - timedelta(days=9),
                closes_on=self.today + timedelta(days=19),
                offered=PRIORITIES,
            )
            voters = self._residents_of(neighbourhood, limit=37, exclude=[self.tenant])
            self._votes(current, voters, [4, 6, 5, 3, 3, 2])
            return 2
        # Other neighbourhoods: this year's plan closed three weeks ago; its actions are under way.
        plan = self._plan(
            neighbourhood,
            year=financial_year_of(self.today),
            opens_on=self.today - timedelta(days=56),
            closes_on=self.today - timedelta(days=21),
            offered=PRIORITIES[:4] + PRIORITIES[5:],
        )
        self._votes(plan, self._residents_of(neighbourhood, limit=52), [6, 4, 3, 5, 2])
        self._actions(
            plan,
            [
                (
                    "Safety",
                    "Fix and add lighting along the towpath",
                    "Replace the broken lights and add four more between Barge House and the lock.",
                    "Canal & River Trust",
                    70,
                    ActionStatus.IN_PROGRESS,
                    [
                        (
                            10,
                            "Broken lights replaced. Four new columns ordered.",
                            ActionStatus.IN_PROGRESS,
                        )
                    ],
                ),
                (
                    "Community spaces",
                    "Open the Kingfisher community room two evenings a week",
                    "For homework club and a residents' coffee morning.",
                    "Kingfisher Residents' Association",
                    40,
                    ActionStatus.IN_PROGRESS,
                    [
                        (
                            6,
                            "Keys handed to the residents' association; Tuesday evenings start next week.",
                            ActionStatus.IN_PROGRESS,
                        )
                    ],
                ),
                (
                    "Cleanliness",
                    "Fly-tipping hotspots cleared within 2 working days",
                    "CCTV signs at Wharf Street and Millrace Road, and a faster clearance target.",
                    "",
                    90,
                    ActionStatus.PLANNED,
                    [],
                ),
            ],
        )
        return 1

    # -- the fund ------------------------------------------------------------------------------------------

    def _fund(self) -> int:
        year = financial_year_of(self.today)
        fund = CommunityFund.objects.filter(year=year).first() or services.create_fund(
            officer=self.manager,
            year=year,
            name="Millbrook community fund",
            introduction=(
                "Money for residents and residents' groups to make their neighbourhood a better place to live. "
                "You tell us the idea; your neighbours back it; a panel of residents and officers decides."
            ),
            budget_pence=2_500_000,
            max_award_pence=250_000,
            opens_on=date(year, 4, 1),
            # Applications usually close at the end of January; late in the year the demo keeps
            # the fund open to the end of March, so its applications can still be made.
            closes_on=max(
                date(year + 1, 1, 31), min(self.today + timedelta(days=14), date(year + 1, 3, 31))
            ),
            criteria=CRITERIA,
        )
        officer = self._officer_for(selectors.resident_neighbourhood(self.tenant))
        shared_owner = Resident.objects.filter(user__email=SHARED_OWNER_EMAIL).first()
        northgate = selectors.resident_neighbourhood(self.tenant)
        riverside = Neighbourhood.objects.exclude(pk=northgate.pk).order_by("name").first()
        neighbours = self._residents_of(northgate, limit=12, exclude=[self.tenant])
        river_folk = self._residents_of(riverside, limit=8) if riverside else []
        gardener = shared_owner or neighbours[0]

        made = []
        # Paid, with two progress updates and photos.
        garden = self._apply(
            gardener,
            fund,
            days_ago=150,
            group_name="Friends of Hollybank",
            title="Hollybank community garden",
            what="Six raised vegetable beds, a water butt and a bench on the unused grass behind Holly Court, "
            "looked after by a rota of residents.",
            where="The grass behind Holly Court, Hollybank",
            who_benefits="Around 40 households in Holly Court and Ivy House, and the after-school club at the "
            "community room, who will have a bed of their own.",
            cost_pence=240_000,
            cost_breakdown="Timber for six beds £900\nTopsoil and compost £600\nWater butt £120\nBench £380\nTools £400",
        )
        self._support(garden, neighbours[1:8])
        self._score(garden, officer, [5, 5, 4, 4])
        self._decide(
            garden,
            officer,
            approve=True,
            amount=240_000,
            days_ago=120,
            reasons="Scored highly on community benefit and support (7 neighbours backed it). "
            "A rota of residents will keep it going.",
        )
        services.record_grant_payment(
            application=garden,
            officer=officer,
            paid_on=self.today - timedelta(days=110),
            payment_reference="BACS 40127",
        )
        self._progress(
            garden,
            gardener,
            [
                (
                    90,
                    "The beds are built and filled. Thank you to everyone who came to the building day!",
                    [("beds", (74, 120, 62))],
                ),
                (
                    30,
                    "First harvest: courgettes, beans and salad shared between 20 households. The after-school "
                    "club planted sunflowers.",
                    [("harvest", (96, 150, 52)), ("sunflowers", (230, 180, 40))],
                ),
            ],
        )
        made.append(garden)

        if river_folk:
            board = self._apply(
                river_folk[0],
                fund,
                days_ago=80,
                title="Wharf Side community noticeboard",
                what="A lockable, weatherproof noticeboard by the Barge House entrance for residents' news and events.",
                where="Beside the Barge House entrance, Wharf Street",
                who_benefits="Residents of Barge House and Quay Court, especially those not online.",
                cost_pence=95_000,
            )
            self._support(board, river_folk[1:4])
            self._score(board, officer, [4, 3, 4, 4])
            self._decide(
                board,
                officer,
                approve=True,
                amount=80_000,
                days_ago=20,
                reasons="A simple idea that reaches residents who are not online. We have awarded "
                "£800: the fitting is done by our own caretakers, so it does not need funding.",
            )
            made.append(board)

            cleanup = self._apply(
                river_folk[4],
                fund,
                days_ago=60,
                title="Kingfisher Drive clean-up day",
                what="Skip hire and litter-pickers for a one-day clean-up of the Kingfisher estate.",
                where="Kingfisher Drive",
                who_benefits="The whole estate",
                cost_pence=60_000,
            )
            self._score(cleanup, officer, [3, 1, 2, 1])
            self._decide(
                cleanup,
                officer,
                approve=False,
                days_ago=30,
                reasons="Our estate services team already runs quarterly clean-up days on Kingfisher, with "
                "skips provided free; the next is in the spring. We would welcome you as a volunteer.",
            )
            made.append(cleanup)

        planters = self._apply(
            neighbours[8],
            fund,
            days_ago=12,
            title="Castle Fields planters",
            what="Eight large planters with spring bulbs and herbs along Keep Road, planted by residents.",
            where="Keep Road, Castle Fields",
            who_benefits="Everyone who walks down Keep Road",
            cost_pence=150_000,
            cost_breakdown="Planters £960\nCompost £180\nBulbs and plants £360",
        )
        self._support(planters, neighbours[9:12] + [self.tenant])
        self._score(planters, officer, [4, 4, 3, 3])
        made.append(planters)

        swap = self._apply(
            self.tenant,
            fund,
            days_ago=5,
            title="Hollybank Road book swap box",
            what="A weatherproof book swap box on a post by the bus stop, looked after by residents.",
            where="Hollybank Road, by the bus stop",
            who_benefits="Children and adults who love reading",
            cost_pence=35_000,
        )
        self._support(swap, neighbours[1:3])
        made.append(swap)
        return len(made)

    def _apply(
        self, resident, fund, *, days_ago: int, cost_pence: int, group_name: str = "", **fields
    ):
        application = services.apply_for_funding(
            resident=resident,
            fund=fund,
            applying_as="group" if group_name else "resident",
            group_name=group_name,
            cost_pence=cost_pence,
            **fields,
        )
        ProjectApplication.objects.filter(pk=application.pk).update(
            submitted_at=self.at(days_ago, 19)
        )
        application.refresh_from_db()
        return application

    def _support(self, application, residents) -> None:
        for resident in residents:
            if resident.pk != application.applicant_id:
                services.support_project(application=application, resident=resident)
        ProjectSupporter.objects.filter(application=application).update(
            added_at=application.submitted_at + timedelta(days=2)
        )

    def _score(self, application, officer, marks) -> None:
        criteria = list(application.fund.criteria.all())
        services.score_application(
            application=application,
            officer=officer,
            scores={c.pk: m for c, m in zip(criteria, marks, strict=True)},
        )
        from engagement.selectors import current_memberships

        # Resident panel members from the engagement demo score too, where there are any.
        for membership in current_memberships().select_related("resident").order_by("pk")[:2]:
            if membership.resident_id != application.applicant_id:
                nudged = [
                    max(0, min(c.max_score, m + self.rng.choice([-1, 0, 0, 1])))
                    for c, m in zip(criteria, marks, strict=True)
                ]
                services.score_application(
                    application=application,
                    resident=membership.resident,
                    scores={c.pk: m for c, m in zip(criteria, nudged, strict=True)},
                )

    def _decide(
        self, application, officer, *, approve: bool, days_ago: int, reasons: str, amount: int = 0
    ) -> None:
        services.decide_application(
            application=application,
            officer=officer,
            approve=approve,
            awarded_pence=amount,
            reasons=reasons,
        )
        ProjectApplication.objects.filter(pk=application.pk).update(
            decided_at=self.at(days_ago, 15)
        )
        application.refresh_from_db()

    def _progress(self, application, resident, updates) -> None:
        for days_ago, body, pictures in updates:
            photos = [clean_photo(_picture(name, colour)) for name, colour in pictures]
            update = services.post_project_update(
                application=application, resident=resident, body=body, photos=photos
            )
            ProjectUpdate.objects.filter(pk=update.pk).update(created_at=self.at(days_ago, 17))
            for photo, (name, _) in zip(update.photos.order_by("pk"), pictures, strict=True):
                ProjectPhoto.objects.filter(pk=photo.pk).update(description=DESCRIPTIONS[name])


def _picture(name: str, colour) -> SimpleUploadedFile:
    """A simple drawn picture standing in for a resident's photo: sky, grass, raised beds."""
    image = Image.new("RGB", (1200, 800), (178, 214, 235))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 430, 1200, 800], fill=(108, 160, 80))
    for i in range(3):
        x = 120 + i * 360
        draw.rectangle([x, 520, x + 260, 640], fill=(122, 84, 48))
        draw.rectangle([x + 10, 500, x + 250, 530], fill=colour)
    draw.ellipse([980, 60, 1100, 180], fill=(250, 220, 90))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return SimpleUploadedFile(f"{name}.jpg", buffer.getvalue(), content_type="image/jpeg")


def load() -> dict:
    return Loader().load()
