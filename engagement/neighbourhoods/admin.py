"""Django admin for service centres, contractors and their estates, and open spaces, kept for
administrators. Managers set these up on the staff pages (/staff/neighbourhoods/), which audit
each change; officers run surgeries, walkabouts and inspections there too."""

from django.contrib import admin

from engagement.neighbourhoods.models import (
    Contractor,
    ContractorAssignment,
    DropInHours,
    OpenSpace,
    ServiceCentre,
)


class DropInHoursInline(admin.TabularInline):
    model = DropInHours
    extra = 1


@admin.register(ServiceCentre)
class ServiceCentreAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "postcode", "is_active"]
    list_filter = ["kind", "is_active"]
    filter_horizontal = ["neighbourhoods"]
    inlines = [DropInHoursInline]


class AssignmentInline(admin.TabularInline):
    model = ContractorAssignment
    extra = 1
    autocomplete_fields = ["estate"]


@admin.register(Contractor)
class ContractorAdmin(admin.ModelAdmin):
    list_display = ["name", "service", "is_active"]
    list_filter = ["service", "is_active"]
    search_fields = ["name"]
    inlines = [AssignmentInline]


@admin.register(OpenSpace)
class OpenSpaceAdmin(admin.ModelAdmin):
    list_display = ["name", "estate"]
    list_select_related = ["estate"]
    search_fields = ["name", "estate__name"]
