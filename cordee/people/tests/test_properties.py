"""Whatever the order of sign-ups and cancellations, a shift never has more confirmed
people than it needs, and a free place never stays free while someone qualified waits."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cordee.people.models import ShiftSignup
from cordee.people.services.shifts import shift_cancel, shift_signup

from .conftest import make_shift

actions = st.lists(
    st.tuples(st.sampled_from(["signup", "standby", "cancel"]), st.integers(0, 5)),
    max_size=25,
)


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(needed=st.integers(1, 3), steps=actions)
def test_confirmed_never_exceeds_needed(org_a, people, admin_a, needed, steps):
    from .conftest import make_volunteer

    shift = make_shift(org_a, needed=needed)
    volunteers = people.volunteers + [
        make_volunteer(org_a, f"Extra {shift.pk}-{i}") for i in range(2)
    ]
    for action, index in steps:
        volunteer = volunteers[index]
        try:
            if action == "cancel":
                signup = (
                    shift.signups.exclude(status="cancelled").filter(volunteer=volunteer).first()
                )
                if signup:
                    shift_cancel(actor=admin_a, signup=signup)
            else:
                shift_signup(
                    actor=admin_a, shift=shift, volunteer=volunteer, standby=action == "standby"
                )
        except ValidationError:
            pass
        confirmed = shift.signups.filter(status=ShiftSignup.Status.CONFIRMED).count()
        waiting = shift.signups.filter(status=ShiftSignup.Status.WAITING).count()
        assert confirmed <= needed
        # Nobody here lacks a certification, so nobody waits while a place is free.
        assert waiting == 0 or confirmed == needed
