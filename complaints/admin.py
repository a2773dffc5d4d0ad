"""For system administrators only; officers work complaints in the staff pages."""

from django.contrib import admin

from complaints import models


class StageInline(admin.TabularInline):
    model = models.ComplaintStage
    extra = 0
    fields = [
        "stage",
        "requested_on",
        "acknowledged_on",
        "extension_days",
        "response_due_on",
        "responded_on",
        "outcome",
    ]
    readonly_fields = fields
    can_delete = False


@admin.register(models.Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ["case", "stage", "status", "category", "source", "created_at"]
    list_filter = ["stage", "status", "source", "category"]
    search_fields = ["case__reference", "external_reference"]
    raw_id_fields = ["case", "related_case", "refused_by"]
    readonly_fields = ["submission_token", "created_at"]
    inlines = [StageInline]


@admin.register(models.LearningEntry)
class LearningEntryAdmin(admin.ModelAdmin):
    list_display = ["you_said", "category", "published", "published_at"]
    list_filter = ["published", "category"]
    raw_id_fields = ["complaint", "created_by"]


@admin.register(models.AnnualReport)
class AnnualReportAdmin(admin.ModelAdmin):
    list_display = ["year", "assessed_at", "published_at"]
    raw_id_fields = ["assessed_by", "published_by"]
