"""Display filters for hours and money: minutes → « 3 h 05 », cents → « 1 234,56 $ »."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def hm(minutes: int | None) -> str:
    """Minutes as hours and minutes, the way people say it (« 3 h 05 »)."""
    minutes = int(minutes or 0)
    sign = "−" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours} h {rest:02d}"


@register.filter
def money(cents: int | None) -> str:
    """Cents as dollars in the active language's format."""
    cents = int(cents or 0)
    sign = "−" if cents < 0 else ""
    dollars, rest = divmod(abs(cents), 100)
    return f"{sign}{number_format(dollars, force_grouping=True)},{rest:02d} $"


@register.filter
def percent_bp(basis_points: int | None) -> str:
    """Basis points as a percentage (1250 → « 12,5 % »)."""
    bp = int(basis_points or 0)
    whole, rest = divmod(bp, 100)
    return f"{whole},{rest:02d} %".replace(",00 %", " %")
