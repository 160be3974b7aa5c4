"""Whatever a volunteer types in the quick registration, the page answers (never a crash);
what it accepts is saved tidy, and what it refuses leaves nothing half-written."""

from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cordee.households.matching.normalise import phone_normalise
from cordee.households.models import Household

FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
names = st.one_of(
    st.sampled_from(["Marie", "Côté", "O'Neil", "Jean-François", "  ", "", "Lévesque Beauchamp"]),
    st.text(max_size=120),
)
phones = st.one_of(
    st.from_regex(r"\A[+(]?[0-9 ().\-]{0,18}( poste [0-9]{1,4})?\Z"), st.text(max_size=35)
)
counts = st.one_of(st.integers(-5, 40).map(str), st.text(max_size=6))


@FUZZ
@given(first=names, last=names, phone=phones, people=counts, town=st.sampled_from(["", "ok", "x"]))
@example(first="Marie", last="Côté", phone="819 555-1234", people="2", town="ok")
@example(first="A" * 101, last="B", phone="", people="1", town="")
def test_quick_registration_never_crashes(
    client, volunteer_a, town_pk, first, last, phone, people, town
):
    client.force_login(volunteer_a)
    before = Household.objects.count()
    data = {
        "first_name": first,
        "last_name": last,
        "phone": phone,
        "people_count": people,
        "municipality": {"": "", "ok": town_pk, "x": "999999"}[town],
    }
    response = client.post(reverse("households:new"), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert Household.objects.count() == before
        assert 'class="form-errors"' in response.content.decode()
        return
    household = Household.objects.order_by("-pk").first()
    assert Household.objects.count() == before + 1
    assert household.card_number == before + 1
    assert household.first_name == " ".join(first.split()) != ""
    assert household.last_name == " ".join(last.split()) != ""
    assert 1 <= household.people_count <= 30
    assert household.phone_digits == phone_normalise(phone.strip())
    assert len(household.phone_digits) in (0, 7, 10)
    assert bool(household.phone) == bool(household.phone_digits)
