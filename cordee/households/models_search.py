"""The check-in search's word index: one row per distinct name word of a household.

The search looks the typed words up here (an indexed lookup by organisation and word)
instead of reading every household's names on each keystroke. Rows are written by the
services that change names (register, update, merge, anonymise): see
services/search_index.py.
"""

from django.db import models

from cordee.core.models import Organisation

from .models import Household

__all__ = ["HouseholdSearchWord"]


class HouseholdSearchWord(models.Model):
    # Denormalised so that the lookup never joins the household table.
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="search_words")
    # A word of Household.search_names: folded by matching.normalise.fold (no accents,
    # lower case, no punctuation).
    word = models.CharField(max_length=220)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["household", "word"], name="household_search_word_unique"
            )
        ]
        indexes = [models.Index(fields=["organisation", "word"], name="household_search_org_word")]

    def __str__(self) -> str:
        return self.word
