"""The check-in search's word index: kept in step by the services, backfilled by the
migration, and finding exactly what the original whole-table search found."""

import importlib
import random

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rapidfuzz import process

from cordee.households.models import Household
from cordee.households.models_search import HouseholdSearchWord
from cordee.households.selectors.households import (
    NAME_CUTOFF,
    SEARCH_LIMIT,
    _name_score,
    household_search,
    search_names_for,
)
from cordee.households.services.matching import household_merge
from cordee.households.services.privacy import household_anonymise
from cordee.households.services.search_index import search_words_rebuild
from cordee.households.synthetic import generate


def _words(household):
    return sorted(
        HouseholdSearchWord.objects.filter(household=household).values_list("word", flat=True)
    )


def _original_search(org, query: str) -> list[int]:
    """The search before the index: every household's key read and scored."""
    keys = dict(Household.objects.filter(organisation=org).values_list("pk", "search_names"))
    scores = {
        pk: score
        for _, score, pk in process.extract(
            query, keys, scorer=_name_score, score_cutoff=NAME_CUTOFF, limit=None
        )
    }
    # (pk last: the original left households of the same name in any order)
    return sorted(scores, key=lambda pk: (-scores[pk], keys[pk], pk))[:SEARCH_LIMIT]


@pytest.fixture
def many(org_a, org_b):
    """600 synthetic households at org_a (near-duplicates included), 50 at org_b."""
    rows = generate(650, seed=3).rows
    households = Household.objects.bulk_create(
        Household(
            organisation=org_a if i < 600 else org_b,
            first_name=row["first_name"],
            last_name=row["last_name"],
            card_number=i + 1,
            search_names=search_names_for(row["first_name"], row["last_name"]),
        )
        for i, row in enumerate(rows)
    )
    search_words_rebuild(households=households)
    return households


def test_register_indexes_the_words(register):
    household = register("Jean-François", "D'Amours")
    assert _words(household) == ["damours", "francois", "jean"]


def test_the_index_finds_what_the_whole_table_search_found(many, org_a):
    rng = random.Random(9)
    keys = [h.search_names for h in many[:600]]
    for _ in range(150):
        words = rng.choice(keys).split()
        query = " ".join(rng.sample(words, k=min(len(words), rng.randint(1, 2))))
        if len(query) > 5 and rng.random() < 0.5:
            query = query[:2] + query[3:]  # a letter missing
        found = [h.pk for h in household_search(org=org_a, q=query)]
        assert found == _original_search(org_a, query), query
        assert found, query


def test_a_name_search_reads_a_few_rows_in_a_few_queries(many, org_a):
    name = many[0].search_names.split()[-1]
    with CaptureQueriesContext(connection) as captured:
        found = household_search(org=org_a, q=name)
    assert found
    # vocabulary, word owners, the households (best score groups, then the last one cut)
    assert len(captured.captured_queries) <= 4


def test_another_organisation_words_are_not_seen(many, org_a, org_b):
    b_only = {w for h in many[600:] for w in h.search_names.split()} - {
        w for h in many[:600] for w in h.search_names.split()
    }
    assert b_only
    for word in list(b_only)[:10]:
        assert all(h.organisation_id == org_a.pk for h in household_search(org=org_a, q=word))


def test_anonymise_removes_the_words(register, admin_a, org_a):
    household = register("Ginette", "O'Neil")
    household_anonymise(actor=admin_a, household=household, reason="test")
    assert _words(household) == []
    assert household_search(org=org_a, q="oneil") == []


def test_merge_keeps_the_kept_household_words(register, admin_a, org_a):
    keep = register("Luc", "Roy")
    remove = register("Luc", "Roi")
    household_merge(actor=admin_a, organisation=org_a, keep=keep, remove=remove)
    assert _words(keep) == ["luc", "roy"]
    assert HouseholdSearchWord.objects.filter(household_id=remove.pk).count() == 0
    assert [h.pk for h in household_search(org=org_a, q="luc roy")] == [keep.pk]


def test_the_migration_backfills_existing_households(register, org_a):
    household = register("Marie", "Côté")
    HouseholdSearchWord.objects.all().delete()
    assert household_search(org=org_a, q="cote") == []
    migration = importlib.import_module("cordee.households.migrations.0005_search_words")
    migration.backfill(apps, None)
    assert _words(household) == ["cote", "marie"]
    assert [h.pk for h in household_search(org=org_a, q="cote")] == [household.pk]
