"""For system administrators only; officers work plans and the fund in the staff pages."""

from django.contrib import admin

from engagement.plans import models


class PriorityInline(admin.TabularInline):
    model = models.PlanPriority
    extra = 0


@admin.register(models.NeighbourhoodPlan)
class NeighbourhoodPlanAdmin(admin.ModelAdmin):
    list_display = ["title", "neighbourhood", "voting_opens_on", "voting_closes_on", "published_at"]
    list_filter = ["neighbourhood"]
    raw_id_fields = ["created_by"]
    inlines = [PriorityInline]


class CriterionInline(admin.TabularInline):
    model = models.FundCriterion
    extra = 0


@admin.register(models.CommunityFund)
class CommunityFundAdmin(admin.ModelAdmin):
    list_display = ["year", "name", "budget_pence", "max_award_pence", "opens_on", "closes_on"]
    inlines = [CriterionInline]


@admin.register(models.ProjectApplication)
class ProjectApplicationAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "title",
        "fund",
        "neighbourhood",
        "status",
        "cost_pence",
        "awarded_pence",
    ]
    list_filter = ["fund", "status", "neighbourhood"]
    search_fields = ["reference", "title"]
    raw_id_fields = ["applicant", "decided_by"]
    readonly_fields = ["submission_token"]
