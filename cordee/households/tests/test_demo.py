"""The demo households load quickly, look like a counter's year, and load only once."""

import time

import pytest

from cordee.core.demo.load import demo_load
from cordee.households.demo import households_demo_load
from cordee.households.models import Consent, Household, Visit
from cordee.households.selectors.reports import last_month, report_by_organisation


@pytest.mark.django_db
def test_demo_households_load_once():
    demo_load()
    started = time.perf_counter()
    first = households_demo_load()
    assert time.perf_counter() - started < 5
    assert 580 <= first.households <= 640
    assert first.duplicates > 5
    assert first.visits > 5_000
    assert Household.objects.count() == first.households
    assert Visit.objects.count() == first.visits
    assert Consent.objects.filter(purpose="service").count() == first.households
    assert not Household.objects.filter(search_names="").exists()

    again = households_demo_load()
    assert again.created == 0
    assert Household.objects.count() == first.households
    assert Visit.objects.count() == first.visits

    # The report has something to say about last month at every demo organisation.
    orgs = list(Household.objects.values_list("organisation_id", flat=True).distinct())
    figures = report_by_organisation(org_ids=orgs, month=last_month())
    assert all(f.households > 0 and f.requests > 0 for f in figures.values())
