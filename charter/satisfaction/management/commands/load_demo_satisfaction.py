"""Tenant satisfaction for the demo: the two previous financial years surveyed and published (so the
public charts compare years), and this year's survey open, with a few hundred responses so far
and the demo tenant (tenant@example.com) invited and not yet answered. Safe to run again: a year
already published, or already holding responses, is left as it is.

Run after `load_demo`. Years follow today's date: on a day in 2025/26, 2023/24 and 2024/25 are
published and 2025/26 is open. The earlier years are published through the real service at a
moment in the past (with time-machine, a development dependency like the demo's Faker). Past
invitations are stored without messages, so the outbox holds only the demo tenant's invitation.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from charter.satisfaction import importing, measures, services
from charter.satisfaction.models import (
    CollectionMethod,
    Invitation,
    Publication,
    ResponseSource,
    Survey,
    SurveyResponse,
)
from portal.models import Block, Home, Officer, Resident
from portal.workdays import LONDON

TENANT_EMAIL = "tenant@example.com"
MANAGER_EMAIL = "manager@example.com"
SEED = 2025
# The share very or fairly satisfied the demo aims at, per question; earlier years a little lower.
TARGETS = {
    "TP01": 0.72,
    "TP02": 0.70,
    "TP03": 0.64,
    "TP04": 0.69,
    "TP05": 0.76,
    "TP06": 0.58,
    "TP07": 0.67,
    "TP08": 0.78,
    "TP09": 0.38,
    "TP10": 0.62,
    "TP11": 0.60,
    "TP12": 0.55,
}
DONT_KNOW_RATE = {"TP06": 0.03, "TP09": 0.05, "TP11": 0.06, "TP12": 0.12}
METHODS = (
    (CollectionMethod.ONLINE, 0.45),
    (CollectionMethod.PHONE, 0.40),
    (CollectionMethod.PAPER, 0.10),
    (CollectionMethod.FACE_TO_FACE, 0.05),
)
APPROACH = {
    "timing": "Answers were collected from {start} to {end}, spread through the year so no one season dominates.",
    "collection_methods": "Online through the resident portal, phone interviews by our survey contractor, paper "
    "questionnaires on request and a few face-to-face interviews on estate walkabouts.",
    "sample_method": "A random sample of social rent households sized for a margin of error of plus or minus 4 "
    "points at 95% confidence; every shared ownership household was invited, as there are few.",
    "representativeness": "Responses were checked against all households by neighbourhood, tenure and age of the "
    "lead tenant; no group was under-represented by more than 5 points.",
    "weighting": "No weighting was applied.",
    "contractor_role": "Millbrook Research Ltd ran the phone interviews and entered the paper questionnaires; we "
    "ran the online survey ourselves and imported their file.",
    "households_excluded": "Households in the first three months of a tenancy and those subject to legal "
    "proceedings were not invited.",
    "incentives": "A prize draw for three £50 shopping vouchers.",
    "comparability": "",
}


class Command(BaseCommand):
    help = "Load demo tenant satisfaction surveys and published measures (run after load_demo)."

    def handle(self, *args, **options):
        manager = Officer.objects.filter(user__email=MANAGER_EMAIL).first()
        if manager is None:
            self.stdout.write(
                f"There is no demo manager ({MANAGER_EMAIL}): run load_demo first. Nothing loaded."
            )
            return
        rng = random.Random(SEED)
        today = timezone.localdate()
        this_year = measures.year_of(today)
        households = self._households()
        tenant = Resident.objects.filter(user__email=TENANT_EMAIL).first()
        tenant_home = services.selectors.current_home(tenant) if tenant else None
        loaded = []
        for year in (this_year - 2, this_year - 1):
            if Publication.objects.filter(year=year).exists():
                continue
            self._past_year(year, households, manager, rng, exclude=tenant_home)
            loaded.append(f"{measures.year_label(year)} published")
            if year == this_year - 1:
                self._corrected_after_publishing(year, manager)
                loaded.append(
                    f"{measures.year_label(year)} has a correction and a withdrawal since publishing"
                )
        loaded.append(self._this_year(this_year, today, households, rng, tenant, tenant_home))
        self.stdout.write(self.style.SUCCESS("Tenant satisfaction: " + "; ".join(loaded) + "."))

    # -- the data --------------------------------------------------------------------------------------------------

    def _households(self) -> list[dict]:
        lead = services._lead_residents().filter(home__tenure__in=measures.TENURES)
        homes = Home.objects.in_bulk([row["home_id"] for row in lead])
        return sorted(
            ({"home": homes[row["home_id"]], "resident_id": row["resident_id"]} for row in lead),
            key=lambda h: h["home"].uprn,
        )

    def _sample(self, households, rng, *, exclude=None) -> list[dict]:
        """About 40% of social rent households and 60% of shared owners answer."""
        chosen = []
        for household in households:
            if exclude is not None and household["home"].pk == exclude.pk:
                continue
            share = 0.42 if household["home"].tenure == measures.LCRA else 0.6
            if rng.random() < share:
                chosen.append(household)
        return chosen

    def _answer(self, question, rng, lift: float, mood: float) -> str:
        if rng.random() < DONT_KNOW_RATE.get(question.code, 0.01):
            return measures.DONT_KNOW
        target = min(max(TARGETS[question.code] + lift + mood, 0.05), 0.97)
        scale = [value for value, _ in question.scale]
        roll = rng.random()
        if roll < target * 0.45:
            return scale[0]
        if roll < target:
            return scale[1]
        if roll < target + (1 - target) * 0.35:
            return scale[2]
        if roll < target + (1 - target) * 0.75:
            return scale[3]
        return scale[4]

    def _responses(
        self, year, chosen, rng, *, lift: float, start: date, end: date
    ) -> list[SurveyResponse]:
        days = max((end - start).days, 0)
        rows = []
        for household in chosen:
            home = household["home"]
            mood = rng.gauss(0, 0.12)
            method = rng.choices([m for m, _ in METHODS], weights=[w for _, w in METHODS])[0]
            filters = {
                measures.REPAIR_FILTER: rng.random() < 0.62
                if home.tenure == measures.LCRA
                else None,
                measures.COMPLAINT_FILTER: rng.random() < 0.14,
                measures.COMMUNAL_FILTER: home.has_communal_areas or home.block_id is not None,
            }
            answers = {}
            for question in measures.QUESTIONS:
                asked = home.tenure in question.tenures() and (
                    not question.asked_if or filters[question.asked_if] is True
                )
                answers[question.field] = self._answer(question, rng, lift, mood) if asked else ""
            online = method == CollectionMethod.ONLINE
            rows.append(
                SurveyResponse(
                    year=year,
                    respondent=home.uprn,
                    home=home,
                    resident_id=household["resident_id"] if online else None,
                    tenure=home.tenure,
                    collected_on=start + timedelta(days=rng.randint(0, days)),
                    method=method,
                    source=ResponseSource.RESIDENT if online else ResponseSource.IMPORTED,
                    had_repair=filters[measures.REPAIR_FILTER],
                    made_complaint=filters[measures.COMPLAINT_FILTER],
                    has_communal=filters[measures.COMMUNAL_FILTER],
                    **answers,
                )
            )
        return rows

    def _records(self, year, rng, *, manager):
        """Compliance and stock condition records through the same import code as the files."""
        homes = list(Home.objects.filter(tenure__in=measures.TENURES).values_list("uprn", "tenure"))
        blocks = list(Block.objects.values_list("pk", flat=True))
        lines = ["measure,asset,compliant"]
        for uprn, tenure in homes:
            if tenure == measures.LCRA:
                lines.append(f"BS01,{uprn},{'no' if rng.random() < 0.004 else 'yes'}")
        for pk in blocks:
            reference = f"BLOCK-{pk:05d}"
            lines.append(f"BS02,{reference},{'no' if rng.random() < 0.01 else 'yes'}")
            lines.append(f"BS03,{reference},yes")
            lines.append(f"BS04,{reference},{'no' if rng.random() < 0.02 else 'yes'}")
            if pk % 3 == 0:
                lines.append(f"BS05,{reference},yes")
        importing.import_compliance(
            "\n".join(lines) + "\n", year=year, officer=manager, file_name=f"compliance-{year}.csv"
        )
        lines = ["uprn,meets_decent_homes_standard"]
        for uprn, _ in homes:
            lines.append(f"{uprn},{'no' if rng.random() < 0.015 else 'yes'}")
        importing.import_stock_condition(
            "\n".join(lines) + "\n",
            year=year,
            officer=manager,
            file_name=f"stock-condition-{year}.csv",
        )

    def _approach(self, start: date, end: date, *, comparability: str = "") -> dict:
        return {
            **APPROACH,
            "timing": APPROACH["timing"].format(start=f"{start:%B %Y}", end=f"{end:%B %Y}"),
            "comparability": comparability,
        }

    def _past_year(self, year, households, manager, rng, *, exclude):
        import time_machine

        start, end = date(year, 6, 1), date(year + 1, 2, 28)
        with transaction.atomic():
            survey, _ = Survey.objects.get_or_create(year=year)
            for name, value in self._approach(
                start,
                end,
                comparability=""
                if year % 2
                else "The paper questionnaire was added this year; the questions are unchanged.",
            ).items():
                setattr(survey, name, value)
            survey.opens_on, survey.closes_on = start, end
            survey.save()
            if not SurveyResponse.objects.filter(year=year).exists():
                chosen = self._sample(households, rng, exclude=exclude)
                lift = -0.06 if year % 2 else -0.03
                SurveyResponse.objects.bulk_create(
                    self._responses(year, chosen, rng, lift=lift, start=start, end=end),
                    batch_size=1000,
                )
            self._records(year, rng, manager=manager)
        with time_machine.travel(
            datetime.combine(date(year + 1, 6, 20), time(10, 0), tzinfo=LONDON), tick=False
        ):
            services.publish_year(year=year, officer=manager)

    def _corrected_after_publishing(self, year, manager):
        """Last year, after publishing: one contractor's answer keyed wrongly is corrected and one
        online response withdrawn at the resident's request, so the staff page shows the live
        figures differing from the published ones."""
        keyed = (
            SurveyResponse.objects.filter(
                year=year, source=ResponseSource.IMPORTED, tp01__in=measures.SATISFACTION_VALID
            )
            .order_by("pk")
            .first()
        )
        if keyed is not None:
            answers = {code: value for code, value in keyed.answers().items() if value}
            answers["TP01"] = (
                measures.FAIRLY_DISSATISFIED
                if keyed.tp01 in measures.SATISFACTION_POSITIVE
                else measures.FAIRLY_SATISFIED
            )
            services.correct_response(
                officer=manager,
                response=keyed,
                answers=answers,
                filters=keyed.filter_answers(),
                reason="The contractor's file had TP01 in the wrong column for this household",
            )
        online = (
            SurveyResponse.objects.filter(year=year, source=ResponseSource.RESIDENT)
            .order_by("pk")
            .first()
        )
        if online is not None:
            services.withdraw_response(
                officer=manager,
                response=online,
                reason="The resident asked for their answers to be removed",
            )

    def _this_year(self, year, today, households, rng, tenant, tenant_home) -> str:
        opens_on = min(date(year, 6, 1), today)
        closes_on = max(date(year + 1, 3, 15), today)
        survey, _ = Survey.objects.get_or_create(year=year)
        survey.opens_on, survey.closes_on = opens_on, min(closes_on, measures.year_bounds(year)[1])
        survey.target_margin_of_error = 4
        for name, value in self._approach(opens_on, survey.closes_on).items():
            if name not in ("timing", "representativeness", "comparability"):
                setattr(survey, name, value)
        survey.timing = (
            survey.timing
            or f"The survey opened on {opens_on:%-d %B %Y} and closes on "
            f"{survey.closes_on:%-d %B %Y}."
        )
        now = timezone.now()
        survey.sample_drawn_at = survey.sample_drawn_at or now
        survey.save()
        created = 0
        if not SurveyResponse.objects.filter(year=year).exists():
            chosen = self._sample(households, rng, exclude=tenant_home)
            with transaction.atomic():
                rows = self._responses(year, chosen, rng, lift=0.0, start=opens_on, end=today)
                SurveyResponse.objects.bulk_create(rows, batch_size=1000)
                # The online respondents were invited; so were some who have not answered yet.
                invited = {h["home"].pk: h for h in chosen if rng.random() < 0.5}
                for household in households:
                    if household["home"].pk not in invited and rng.random() < 0.12:
                        invited[household["home"].pk] = household
                at = datetime.combine(opens_on, time(9, 0), tzinfo=LONDON)
                Invitation.objects.bulk_create(
                    [
                        Invitation(
                            survey=survey,
                            home=h["home"],
                            resident_id=h["resident_id"],
                            tenure=h["home"].tenure,
                            invited_at=at,
                            last_contacted_at=at,
                        )
                        for h in invited.values()
                        if tenant_home is None or h["home"].pk != tenant_home.pk
                    ],
                    ignore_conflicts=True,
                    batch_size=1000,
                )
                self._records(year, rng, manager=Officer.objects.get(user__email=MANAGER_EMAIL))
            created = len(rows)
        if tenant is not None and tenant_home is not None:
            services.invite_household(survey=survey, resident=tenant)
            who = f"{TENANT_EMAIL} invited"
        else:
            who = f"there is no demo tenant ({TENANT_EMAIL}) to invite"
        return f"{measures.year_label(year)} open with {created} new responses, {who}"
