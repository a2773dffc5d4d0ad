"""For system administrators: the survey's records, read-only where they are evidence."""

from django.contrib import admin

from charter.satisfaction.models import (
    Publication,
    ResponseCorrection,
    ResponseImport,
    Survey,
    SurveyResponse,
)


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["year", "opens_on", "closes_on", "target_margin_of_error", "sample_drawn_at"]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = [
        "respondent",
        "year",
        "tenure",
        "method",
        "source",
        "collected_on",
        "withdrawn_at",
    ]
    list_filter = ["year", "tenure", "method", "source"]
    search_fields = ["respondent"]
    raw_id_fields = ["home", "resident", "entered_by", "import_batch", "withdrawn_by"]


@admin.register(ResponseCorrection)
class ResponseCorrectionAdmin(admin.ModelAdmin):
    """A correction is evidence: made from the staff pages, never changed here."""

    list_display = ["response", "corrected_at", "corrected_by"]
    raw_id_fields = ["response", "corrected_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ResponseImport)
class ResponseImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "year", "rows", "imported_by", "imported_at"]


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    """A publication is never changed: a correction is a new revision, published from the staff pages."""

    list_display = ["year", "revision", "published_at", "published_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
