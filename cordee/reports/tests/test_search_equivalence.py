"""The check-in search was sped up for the benchmark (word by word, in C): it must find
exactly what the original rule (`_name_score`, every typed word close to a name word) finds.
Kept here with the benchmark's other checks."""

import random

from rapidfuzz import process

from cordee.households.selectors.households import (
    NAME_CUTOFF,
    _name_matches,
    _name_score,
    search_names_for,
)
from cordee.households.synthetic import generate


def test_word_by_word_search_finds_what_the_original_rule_finds():
    rows = generate(3_000, seed=11).rows
    keys = {i: search_names_for(r["first_name"], r["last_name"]) for i, r in enumerate(rows)}
    rng = random.Random(5)
    names = list(keys.values())
    for _ in range(200):
        words = rng.choice(names).split()
        query = " ".join(rng.sample(words, k=min(len(words), rng.randint(1, 2))))
        if len(query) > 5 and rng.random() < 0.5:
            query = query[:2] + query[3:]  # a letter missing
        expected = {
            pk: score
            for _, score, pk in process.extract(
                query, keys, scorer=_name_score, score_cutoff=NAME_CUTOFF, limit=None
            )
        }
        assert _name_matches(query, keys) == expected, query
