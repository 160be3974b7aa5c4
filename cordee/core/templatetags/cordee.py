"""Small template helpers: accessible fields, weights in kg, role names."""

from decimal import Decimal

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.formats import number_format
from django.utils.safestring import SafeString

from ..models import Role

register = template.Library()


@register.filter
def is_checkbox(field: BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def is_multiple_choice(field: BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect)


@register.filter
def with_aria(field: BoundField) -> SafeString:
    """The widget with aria-invalid and aria-describedby pointing at its help and error."""
    attrs: dict[str, str | bool] = {}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        described.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def kg(grams: int | None) -> str:
    """Grams shown as kilograms in the current locale: 1234500 → « 1 234,5 kg »."""
    if grams is None:
        return "—"
    value = (Decimal(grams) / 1000).normalize()
    places = 1 if value != value.to_integral_value() else 0
    return f"{number_format(value, places, force_grouping=True)}\xa0kg"


@register.filter
def number(value: int | float | Decimal | None) -> str:
    """A count or figure for people to read, grouped in the current locale: « 10 535 »."""
    if value is None or value == "":
        return "—"
    return number_format(value, force_grouping=True)


@register.filter
def role_label(role: str) -> str:
    return str(Role(role).label) if role in Role.values else role
