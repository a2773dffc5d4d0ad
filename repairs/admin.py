"""The landlord's repair settings for system administrators: priorities and targets, operative
teams and contractors, appointment slots. Officers work repairs on the staff pages."""

from django.contrib import admin

from repairs.models import AppointmentSlot, OperativeTeam, RepairPriority


@admin.register(RepairPriority)
class RepairPriorityAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "target_amount",
        "target_unit",
        "is_emergency",
        "bookable",
        "order",
        "is_active",
    ]
    list_editable = ["order", "is_active"]
    ordering = ["order"]


@admin.register(OperativeTeam)
class OperativeTeamAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "trade", "is_active"]
    list_filter = ["kind", "is_active"]
    filter_horizontal = ["neighbourhoods"]


@admin.register(AppointmentSlot)
class AppointmentSlotAdmin(admin.ModelAdmin):
    list_display = ["team", "window", "starts_at", "ends_at", "capacity", "booked"]
    list_filter = ["team", "window"]
    date_hierarchy = "starts_at"
    readonly_fields = ["booked"]  # changed only by booking and cancelling
    filter_horizontal = ["priorities"]
