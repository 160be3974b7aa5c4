"""Benchmark of the dedupe, printed by ``make bench`` (``manage.py bench``)."""

import resource
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from .matching import dedupe
from .matching.csvfile import read_person_csv
from .synthetic import SyntheticSet, generate, pairwise_quality

DEDUPE_RECORDS = 100_000
DEDUPE_TARGET_S = 20.0
PRECISION_TARGET = 0.98
RECALL_TARGET = 0.95


def cluster_quality(found: list[list[str]], truth: SyntheticSet) -> float:
    """Share of the true groups found exactly, no record missing and none extra."""
    true_groups = {tuple(g) for g in truth.true_clusters()}
    exact = sum(1 for group in found if tuple(sorted(group)) in true_groups)
    return exact / len(true_groups) if true_groups else 1.0


def _verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def bench_dedupe(count: int = DEDUPE_RECORDS, seed: int = 2026) -> Iterator[str]:
    """Synthetic noisy people → CSV → the command's read + dedupe, timed, against the truth."""
    truth = generate(count, seed=seed)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "people.csv"
        truth.write(path)
        start = time.perf_counter()
        cpu_start = time.process_time()
        clusters = dedupe(read_person_csv(path))
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
    # Peak resident memory of the whole process (Linux: KiB), generator included.
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    precision, recall, _true, _found = pairwise_quality(clusters, truth)
    exact_groups = cluster_quality(clusters, truth)
    yield (
        f"households_dedupe {count:,} records: {elapsed:.1f} s "
        f"(CPU {cpu:.1f} s, peak process memory {peak_mib:.0f} MiB) "
        f"(target ≤ {DEDUPE_TARGET_S:.0f} s) — {_verdict(elapsed <= DEDUPE_TARGET_S)}"
    )
    yield (
        f"households_dedupe pairwise precision {precision:.4f} "
        f"(target ≥ {PRECISION_TARGET}) — {_verdict(precision >= PRECISION_TARGET)}; "
        f"recall {recall:.4f} (target ≥ {RECALL_TARGET}) — {_verdict(recall >= RECALL_TARGET)}; "
        f"{len(clusters):,} groups found, {exact_groups:.1%} of the true groups exactly"
    )
