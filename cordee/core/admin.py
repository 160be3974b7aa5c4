"""Django admin for the instance's technical administrators (is_staff). Daily work happens
in Cordée's own pages; the admin is for setting up networks and fixing data."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import (
    AuditEvent,
    Membership,
    Municipality,
    Network,
    NetworkMembership,
    NetworkRole,
    OpeningHours,
    Organisation,
    Site,
    User,
)
from .services.audit import audit_record


def _scope(obj: models.Model) -> dict[str, Any]:
    """The organisation or network an admin change belongs to, for the audit log."""
    if isinstance(obj, Organisation):
        return {"organisation": obj}
    if isinstance(obj, Network):
        return {"network": obj}
    if hasattr(obj, "network_id") and not hasattr(obj, "organisation_id"):
        return {"network": obj.network}  # type: ignore[attr-defined]
    if hasattr(obj, "organisation_id"):
        return {"organisation": obj.organisation}  # type: ignore[attr-defined]
    if isinstance(obj, OpeningHours):
        return {"organisation": obj.site.organisation}
    if hasattr(obj, "hub_id"):
        return {"organisation": obj.hub}  # type: ignore[attr-defined]
    return {}


def _audit(request: HttpRequest, obj: models.Model, action: str, fields: list[str]) -> None:
    audit_record(
        actor=request.user,  # type: ignore[arg-type]
        action=f"admin.{obj._meta.model_name}.{action}",
        obj=obj,
        changed_fields=fields,
        request=request,
        **_scope(obj),
    )


class AuditedAdmin(admin.ModelAdmin):
    """Admin writes bypass the services, so they are written to the audit log here."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        _audit(request, obj, "update" if change else "create", list(form.changed_data))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        _audit(request, obj, "delete", [])
        super().delete_model(request, obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            _audit(request, obj, "create", [])
        for obj, fields in formset.changed_objects:
            _audit(request, obj, "update", list(fields))
        for obj in formset.deleted_objects:
            _audit(request, obj, "delete", [])


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password", "full_name", "preferred_language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"fields": ("email", "password1", "password2")}),)
    filter_horizontal = ()
    list_filter = ["is_active", "is_staff"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class SiteInline(admin.StackedInline):
    model = Site
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "kind", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name", "legal_name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SiteInline, MembershipInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class NetworkMembershipInline(admin.TabularInline):
    model = NetworkMembership
    extra = 0


class NetworkRoleInline(admin.TabularInline):
    model = NetworkRole
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Network)
class NetworkAdmin(AuditedAdmin):
    list_display = ["name", "coordinating_organisation"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [NetworkMembershipInline, NetworkRoleInline]


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Site)
class SiteAdmin(AuditedAdmin):
    list_display = ["name", "organisation", "kind", "municipality", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "organisation__name"]
    inlines = [OpeningHoursInline]


@admin.register(Municipality)
class MunicipalityAdmin(AuditedAdmin):
    list_display = ["name", "population_2021", "coords_checked"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = ["created_at", "actor", "organisation", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["action", "object_repr", "actor__email"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
