"""Clustering accepted pairs into people, without chaining.

Plain union-find would glue "Jean Tremblay 1950" and his son "Jean Tremblay 1978" through
one record without a birth year that resembles both. Pairs are merged strongest first, and
two groups are joined only when *every* cross pair is compatible (complete linkage on a
low bar), so a group never holds two records that contradict each other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

# Nobody registers at more counters than this; a bigger group means the names are too common.
MAX_CLUSTER = 8


def cluster(
    size: int,
    accepted: Sequence[tuple[float, int, int]],
    compatible: Callable[[int, int], bool],
) -> list[list[int]]:
    """Groups (of indices, size ≥ 2) from accepted pairs (score, i, j).

    ``compatible(i, j)`` says whether two records may share a group; it is only asked about
    pairs inside the groups being joined, which stay small.
    """
    parent = list(range(size))
    members: dict[int, list[int]] = {}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for _score, i, j in sorted(accepted, key=lambda pair: (-pair[0], pair[1], pair[2])):
        root_i, root_j = find(i), find(j)
        if root_i == root_j:
            continue
        group_i = members.get(root_i, [root_i])
        group_j = members.get(root_j, [root_j])
        if len(group_i) + len(group_j) > MAX_CLUSTER:
            continue
        if not all(compatible(a, b) for a in group_i for b in group_j):
            continue
        if len(group_i) < len(group_j):
            root_i, root_j, group_i, group_j = root_j, root_i, group_j, group_i
        parent[root_j] = root_i
        members[root_i] = group_i + group_j
        members.pop(root_j, None)
    return [sorted(group) for group in members.values() if len(group) >= 2]
