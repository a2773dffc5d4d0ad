"""The Django admin is for system administrators (setting up the landlord, staff accounts),
not the officers' daily tool."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from portal import models


@admin.register(models.User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Name", {"fields": ["first_name", "last_name"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(models.Landlord)
class LandlordAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return not models.Landlord.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "team", "patch", "is_active"]
    list_filter = ["role", "team", "patch", "is_active"]
    search_fields = ["name", "user__email"]
    autocomplete_fields = ["user"]


@admin.register(models.Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "leader"]


@admin.register(models.Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(models.Estate)
class EstateAdmin(admin.ModelAdmin):
    list_display = ["name", "neighbourhood"]
    list_filter = ["neighbourhood"]
    search_fields = ["name"]


@admin.register(models.Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["name", "estate"]
    search_fields = ["name"]


@admin.register(models.Home)
class HomeAdmin(admin.ModelAdmin):
    list_display = ["uprn", "address_line_1", "postcode", "tenure", "neighbourhood"]
    list_filter = ["tenure", "neighbourhood"]
    search_fields = ["uprn", "address_line_1", "postcode"]
    raw_id_fields = ["estate", "block"]
    list_select_related = ["neighbourhood"]
    show_full_result_count = False


@admin.register(models.Tenancy)
class TenancyAdmin(admin.ModelAdmin):
    list_display = ["reference", "home", "start_date", "end_date"]
    search_fields = ["reference", "home__uprn", "home__postcode"]
    raw_id_fields = ["home", "residents"]
    list_select_related = ["home"]
    show_full_result_count = False


@admin.register(models.Resident)
class ResidentAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "email", "preferred_channel"]
    search_fields = ["last_name", "first_name", "email"]
    raw_id_fields = ["user"]
    show_full_result_count = False


@admin.register(models.Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "to", "subject", "status", "attempts"]
    list_filter = ["status", "channel"]
    raw_id_fields = ["resident", "officer", "case"]
    show_full_result_count = False


@admin.register(models.AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read only: an audit trail nobody can rewrite."""

    list_display = ["at", "actor", "action", "subject", "resident"]
    list_filter = ["action"]
    search_fields = ["subject", "actor__email"]
    list_select_related = ["actor", "resident"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
