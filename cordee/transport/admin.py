"""Vehicles, drivers and the mobile counter's regular stops: edited here for now (audited)."""

from django.contrib import admin

from cordee.core.admin import AuditedAdmin

from .models import DriverProfile, MobileCounterStop, Vehicle


@admin.register(Vehicle)
class VehicleAdmin(AuditedAdmin):
    list_display = ["name", "organisation", "available_weekdays", "cold_max_minutes", "is_active"]
    list_filter = ["organisation", "is_active"]


@admin.register(DriverProfile)
class DriverProfileAdmin(AuditedAdmin):
    list_display = ["user", "organisation", "licence_class", "available_weekdays", "is_active"]
    list_filter = ["organisation"]


@admin.register(MobileCounterStop)
class MobileCounterStopAdmin(AuditedAdmin):
    list_display = ["site", "organisation", "weekday", "every_weeks", "starts_at", "ends_at"]
    list_filter = ["organisation", "weekday", "is_active"]
