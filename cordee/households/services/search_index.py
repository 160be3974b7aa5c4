"""Keeps the check-in search's word index (HouseholdSearchWord) in step with the names.

Called by the services that change a household's names: register, update, merge, anonymise
(no signals, like the match tokens). The words are those of Household.search_names, so the
index and the original whole-table search always agree.
"""

from collections.abc import Iterable

from django.db import transaction

from ..models import Household
from ..models_search import HouseholdSearchWord


def search_words_of(search_names: str) -> list[str]:
    return sorted(set(search_names.split()))


def household_search_words_refresh(*, household: Household) -> int:
    """Replace the household's words by those of its current search_names; returns how many."""
    words = search_words_of(household.search_names)
    with transaction.atomic():
        HouseholdSearchWord.objects.filter(household=household).delete()
        HouseholdSearchWord.objects.bulk_create(
            HouseholdSearchWord(
                organisation_id=household.organisation_id, household=household, word=word
            )
            for word in words
        )
    return len(words)


def search_words_rebuild(*, households: Iterable[Household]) -> int:
    """Backfill for households written in bulk (demo, bench) without the services."""
    rows = [
        HouseholdSearchWord(organisation_id=h.organisation_id, household_id=h.pk, word=word)
        for h in households
        for word in search_words_of(h.search_names)
    ]
    HouseholdSearchWord.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    return len(rows)
