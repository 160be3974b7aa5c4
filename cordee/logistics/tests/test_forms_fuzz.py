"""Whatever a person types in a reception line, the form answers (never a crash), and a
line it accepts always has a positive whole number of grams and follows the cold chain."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from cordee.logistics.forms import ReceptionLineForm, WeightKgField, grams

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CATEGORIES = ["Produits laitiers", "Épicerie sèche", "Viande"]
COLD_LIMIT = {"Produits laitiers": 4, "Viande": -18}
DECISIONS = ["", "accepted", "quarantined", "discarded", "nimporte"]


def typed(low: int, high: int) -> st.SearchStrategy[str]:
    """A number the way people type it: « 12,5 », « 12.5 », « 12,5 kg », « −18 °C »..."""
    styles = [
        lambda d: str(d).replace(".", ","),
        str,
        lambda d: f"{str(d).replace('.', ',')} kg",
        lambda d: f"{d}°C",
        lambda d: f"{str(d).replace('-', '−').replace('.', ',')} °C",
    ]
    return st.tuples(
        st.decimals(min_value=low, max_value=high, places=2), st.sampled_from(styles)
    ).map(lambda t: t[1](t[0]))


numberish = st.from_regex(r"\A[ \-−+]?[0-9 \xa0]{0,9}([,.][0-9]{0,4})?( ?(kg|°C|°))?\Z")
any_text = st.one_of(numberish, st.text(max_size=30))
any_date = st.one_of(
    st.dates().map(date.isoformat),
    st.from_regex(r"\A[0-9]{1,5}[-/][0-9]{1,3}[-/][0-9]{1,5}\Z"),
    st.text(max_size=20),
)
good_date = st.one_of(st.just(""), st.dates(date(2020, 1, 1), date(2040, 1, 1)).map(date.isoformat))


def _check(org, catalogue, category, data, language):
    data = {"category": str(catalogue[category].pk), **data}
    with translation.override(language):
        form = ReceptionLineForm(data, org=org)
        valid = form.is_valid()
        form.as_div()  # rendering the answer never crashes either
    if not valid:
        assert form.errors
        return False
    line = form.line()
    assert isinstance(line.weight_g, int) and line.weight_g > 0
    limit = COLD_LIMIT.get(category)
    if limit is not None:  # cold food: a temperature, and a decision when too warm
        assert line.temperature_c is not None
        assert line.temperature_c <= limit or (
            line.decision in {"accepted", "quarantined", "discarded"}
            and line.decision_reason.strip()
        )
    for day in (line.best_before, line.expiry_date):
        assert day is None or 2000 <= day.year <= 2100
    return True


@FUZZ
@given(
    category=st.sampled_from(CATEGORIES),
    weight=any_text,
    temperature=any_text,
    best_before=any_date,
    expiry=any_date,
    decision=st.sampled_from(DECISIONS),
    reason=st.text(max_size=40),
    language=st.sampled_from(["fr-ca", "en"]),
)
@example("Viande", "1e400", "NaN", "9999-12-31", "0001-01-01", "", "", "fr-ca")
@example("Produits laitiers", "-0,0", "Infinity", "", "", "accepted", "\x00", "en")
@example("Épicerie sèche", "1_000", "1e2", "31/12/2026", "2026-02-30", "", "", "fr-ca")
def test_any_text_gets_an_answer(
    org_a,
    catalogue_a,
    category,
    weight,
    temperature,
    best_before,
    expiry,
    decision,
    reason,
    language,
):
    data = {
        "weight_kg": weight,
        "temperature_c": temperature,
        "best_before": best_before,
        "expiry_date": expiry,
        "decision": decision,
        "decision_reason": reason,
    }
    _check(org_a, catalogue_a, category, data, language)


@FUZZ
@given(
    category=st.sampled_from(CATEGORIES),
    weight=typed(0, 999),
    temperature=st.one_of(st.just(""), typed(-30, 12)),
    best_before=good_date,
    decision=st.sampled_from(DECISIONS),
    reason=st.sampled_from(["", "  ", "Camion en panne de froid"]),
    language=st.sampled_from(["fr-ca", "en"]),
)
def test_what_people_type_is_understood(
    org_a, catalogue_a, category, weight, temperature, best_before, decision, reason, language
):
    data = {
        "weight_kg": weight,
        "temperature_c": temperature,
        "best_before": best_before,
        "decision": decision,
        "decision_reason": reason,
    }
    event("accepted" if _check(org_a, catalogue_a, category, data, language) else "refused")


@FUZZ
@given(kg=st.decimals(min_value=Decimal("0.001"), max_value=Decimal("999999"), places=3))
def test_typed_weights_round_trip_to_grams(kg):
    """A weight typed the French way (comma) or the English way (dot) is the same grams."""
    field = WeightKgField()
    with translation.override("fr-ca"):
        french = field.clean(str(kg).replace(".", ","))
    with translation.override("en"):
        english = field.clean(str(kg))
    assert grams(french) == grams(english) == int(kg * 1000)


@pytest.mark.parametrize(
    ("typed_text", "grams_expected"),
    [
        ("12,5", 12_500),
        ("12.5", 12_500),
        ("12,5 kg", 12_500),
        ("1 250", 1_250_000),
        ("0,25", 250),
        ("1,250", 1_250),
    ],
)
def test_french_weights(typed_text, grams_expected):
    with translation.override("fr-ca"):
        assert grams(WeightKgField().clean(typed_text)) == grams_expected
