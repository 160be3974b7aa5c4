"""Template helpers of transport: clock times, durations and distances in plain French."""

from datetime import date

from django import template
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language

from ..models import WEEKDAY_CHOICES

register = template.Library()


@register.filter
def clock(seconds: int | None) -> str:
    """Seconds since midnight as a time of day: « 9 h 05 » (fr-CA), « 9:05 » (en)."""
    if seconds is None or seconds == "":
        return "—"
    hours, minutes = divmod(round(int(seconds) / 60), 60)
    if (get_language() or "").startswith("en"):
        return f"{hours}:{minutes:02d}"
    return f"{hours}\xa0h\xa0{minutes:02d}"


@register.filter
def duration(seconds: int | None) -> str:
    """« 1 h 25 min », « 40 min »."""
    if seconds is None or seconds == "":
        return "—"
    hours, minutes = divmod(round(int(seconds) / 60), 60)
    if hours:
        return f"{hours}\xa0h\xa0{minutes:02d}\xa0min"
    return f"{minutes}\xa0min"


@register.filter
def km(metres: int | None) -> str:
    if metres is None or metres == "":
        return "—"
    return f"{number_format(round(int(metres) / 1000, 1), 1, force_grouping=True)}\xa0km"


@register.filter
def index(values: list | None, position: int) -> object:
    """values[position], or None."""
    try:
        return values[position] if values else None
    except (IndexError, TypeError):
        return None


def _french() -> bool:
    return (get_language() or "").startswith("fr")


def _day(value: date) -> str:
    """The day of the month; in French the first is « 1er » (« 1er janvier »)."""
    return "1er" if value.day == 1 and _french() else str(value.day)


@register.filter
def day_month(value: date | None) -> str:
    """« 1er janvier », « 15 mars » (fr); « 1 January » (en)."""
    if not value:
        return ""
    return f"{_day(value)} {date_format(value, 'F')}"


@register.filter
def long_date(value: date | None) -> str:
    """« lundi 1er janvier », « mercredi 2 décembre » (fr); « Monday 1 January » (en)."""
    if not value:
        return ""
    return f"{date_format(value, 'l')} {day_month(value)}"


@register.filter
def weekdays(digits: str | None) -> str:
    """« 01234 » (Monday = 0) as day names: « lundi, mardi, mercredi »."""
    names = dict(WEEKDAY_CHOICES)
    days = [
        str(names[int(d)]) for d in sorted(set(digits or "")) if d.isdigit() and int(d) in names
    ]
    return ", ".join(days) or "—"
