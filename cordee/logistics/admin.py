"""Catalogue and impact factors are network settings, edited here for now (audited)."""

from django.contrib import admin

from cordee.core.admin import AuditedAdmin

from .models import Category, CategoryFactor, ColdUnit, FactorSet, Item, MemberShare


class ItemInline(admin.TabularInline):
    model = Item
    extra = 0


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    list_display = [
        "name",
        "network",
        "storage_class",
        "days_after_best_before",
        "uses_expiry_date",
    ]
    list_filter = ["network", "storage_class"]
    inlines = [ItemInline]


class CategoryFactorInline(admin.TabularInline):
    model = CategoryFactor
    extra = 0


@admin.register(FactorSet)
class FactorSetAdmin(AuditedAdmin):
    list_display = ["name", "network", "is_default"]
    inlines = [CategoryFactorInline]


@admin.register(MemberShare)
class MemberShareAdmin(AuditedAdmin):
    list_display = ["hub", "member", "share"]


@admin.register(ColdUnit)
class ColdUnitAdmin(AuditedAdmin):
    list_display = ["name", "site", "storage_class", "is_active"]
    list_filter = ["storage_class", "is_active"]
