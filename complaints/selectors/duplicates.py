"""Possible duplicates: open cases about the same post, found by post URL or by screenshot.

Two open cases are linked when a post in each has the same normalised URL, or when a screenshot
in each has a perceptual hash within `max_distance` bits (Hamming distance) of the other. Linked
cases form groups; each group is offered as "link these complaints into the oldest case".

Only open cases the user may see are compared (a few thousand at most, out of any number stored).
One query reads the post URLs and screenshot hashes of those cases, from indexes alone (migration
0023), and Python groups them: URLs by a dictionary, hashes by multi-index hashing (`near_pairs`),
so comparing a few thousand screenshots costs about a millisecond. Then one query each reads the
grouped cases, their complaints and the dismissed suggestions: four queries whatever the number of
cases, screenshots or suggestions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np
from django.conf import settings
from django.db.models import F, QuerySet, Value

from complaints.models import Case, Complaint, DuplicateDismissal, Evidence, SocialMediaPost, Stage

_BLOCK = 512
_URL, _HASH = "url", "hash"  # which of the two the one query's row is (text: no conversion per row)


@dataclass
class Suggestion:
    complaint: Complaint
    reasons: list[str]


@dataclass
class DuplicateGroup:
    target: Case
    suggestions: list[Suggestion] = field(default_factory=list)

    @property
    def complaint_references(self) -> list[str]:
        return [suggestion.complaint.reference for suggestion in self.suggestions]


def default_max_distance() -> int:
    return settings.DUPLICATE_SCREENSHOT_MAX_DISTANCE


class _Groups:
    """Union-find over case ids."""

    def __init__(self):
        self.parent: dict[int, int] = {}

    def find(self, item: int) -> int:
        self.parent.setdefault(item, item)
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def hash_to_int(value: str) -> int | None:
    try:
        number = int(value, 16)
    except (TypeError, ValueError):
        return None
    return number if 0 <= number < 2**64 else None


def similar_pairs(hashes: list[int], max_distance: int) -> list[tuple[int, int, int]]:
    """Index pairs (i, j, distance), i < j, of hashes within `max_distance` bits of each other,
    in order of i then j. Every pair is compared, block by block."""
    if len(hashes) < 2:
        return []
    values = np.array(hashes, dtype=np.uint64)
    pairs = []
    for start in range(0, len(values), _BLOCK):
        block = values[start : start + _BLOCK]
        # Compare the block only with itself and what follows it: each pair once.
        rest = values[start:]
        distances = np.bitwise_count(block[:, None] ^ rest[None, :])
        rows, cols = np.nonzero(distances <= max_distance)
        for row, col in zip(rows.tolist(), cols.tolist(), strict=True):
            i, j = start + row, start + col
            if i < j:
                pairs.append((i, j, int(distances[row, col])))
    return pairs


def _same_key_pairs(keys: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Every index pair (i, j), i < j, with keys[i] == keys[j]; None if there are over `limit`."""
    count = len(keys)
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    sizes = np.diff(np.append(starts, count))
    # Each position of the sorted keys pairs with the later positions of its run of equal keys.
    later = np.repeat(starts + sizes, sizes) - np.arange(count) - 1
    total = int(later.sum())
    if total > limit:
        return None
    left = np.repeat(np.arange(count), later)
    right = left + np.arange(1, total + 1) - np.repeat(np.cumsum(later) - later, later)
    first, second = order[left], order[right]
    return np.minimum(first, second), np.maximum(first, second)


def near_pairs(hashes: list[int], max_distance: int) -> list[tuple[int, int, int]]:
    """What `similar_pairs` answers, for hashes that are all different, without comparing every pair.

    Multi-index hashing: cut the 64 bits into `max_distance + 1` bands. Two hashes at most
    `max_distance` bits apart differ in at most that many bands, so at least one band is the same
    in both: only hashes sharing a band are compared. Random hashes share a band of 7 bits
    (the default threshold, 8, makes 9 bands) one time in 14, rather than being compared always.
    Narrow bands (a high threshold), or hashes so alike that a band holds more pairs than a block
    of `similar_pairs` would, share too often: then every pair is compared, block by block.
    """
    count = len(hashes)
    bands = max_distance + 1
    if count < 2 or 64 // bands < 5:
        return similar_pairs(hashes, max_distance)
    values = np.array(hashes, dtype=np.uint64)
    edges = [64 * band // bands for band in range(bands + 1)]
    found = []
    for low, high in pairwise(edges):
        keys = (values >> np.uint64(low)) & np.uint64((1 << (high - low)) - 1)
        if (candidates := _same_key_pairs(keys, limit=count * _BLOCK)) is None:
            return similar_pairs(hashes, max_distance)
        first, second = candidates
        distances = np.bitwise_count(values[first] ^ values[second])
        near = distances <= max_distance
        found.append((first[near], second[near], distances[near]))
    first, second, distances = (np.concatenate(parts) for parts in zip(*found, strict=True))
    # A pair sharing several bands was found once per band: keep it once, in order of i then j.
    _, index = np.unique(first * count + second, return_index=True)
    return list(zip(first[index].tolist(), second[index].tolist(), distances[index].tolist(), strict=True))


def duplicate_groups(visible: QuerySet[Case], *, max_distance: int | None = None) -> list[DuplicateGroup]:
    """Groups of open cases that look like the same post, each with the complaints to link."""
    if max_distance is None:
        max_distance = default_max_distance()
    open_ids = visible.exclude(stage=Stage.CLOSED).filter(merged_into__isnull=True).values("pk")
    urls = (
        SocialMediaPost.objects.filter(case__in=open_ids)
        .exclude(normalised_url="")
        .order_by()
        .annotate(kind=Value(_URL))
        .values_list("case_id", "normalised_url", "kind")
    )
    screenshots = (
        Evidence.objects.filter(case__in=open_ids)
        .exclude(perceptual_hash="")
        .order_by()
        .annotate(kind=Value(_HASH))
        .values_list("case_id", "perceptual_hash", "kind")
    )
    cases_by_url: dict[str, set[int]] = defaultdict(set)
    cases_by_hash: dict[int, set[int]] = defaultdict(set)
    for case_id, value, kind in urls.union(screenshots, all=True):
        if kind == _URL:
            cases_by_url[value].add(case_id)
        elif (number := hash_to_int(value)) is not None:
            cases_by_hash[number].add(case_id)

    groups = _Groups()
    reasons: dict[int, set[str]] = defaultdict(set)

    def link(case_ids, reason: str) -> None:
        first = min(case_ids)
        for case_id in case_ids:
            groups.union(first, case_id)
            reasons[case_id].add(reason)

    for url, case_ids in cases_by_url.items():
        if len(case_ids) > 1:
            link(case_ids, f"Same post: {url}")
    hashes = list(cases_by_hash)
    for case_ids in cases_by_hash.values():
        if len(case_ids) > 1:
            link(case_ids, "Identical screenshot")
    for i, j, distance in near_pairs(hashes, max_distance):
        these, those = cases_by_hash[hashes[i]], cases_by_hash[hashes[j]]
        # Screenshots of the same case are not a reason to link it to itself.
        if len(these) == 1 and these == those:
            continue
        link(these | those, f"Similar screenshot ({distance} bits differ)")

    members: dict[int, list[int]] = defaultdict(list)
    for case_id in list(groups.parent):
        members[groups.find(case_id)].append(case_id)
    grouped = [ids for ids in members.values() if len(ids) > 1]
    if not grouped:
        return []
    all_ids = [case_id for ids in grouped for case_id in ids]
    # Each case as the page shows it: its reference, when it was opened, its council's name.
    cases = {
        case.pk: case
        for case in Case.objects.filter(pk__in=all_ids)
        .only("reference", "opened_at")
        .annotate(authority_name=F("authority__name"))
        .order_by()
    }
    # Each group's oldest case, with the group's other cases from the oldest.
    targets = {}
    for ids in grouped:
        ordered = sorted((case_id for case_id in ids if case_id in cases), key=lambda pk: (cases[pk].opened_at, pk))
        if ordered:
            targets[ordered[0]] = ordered[1:]
    complaints: dict[int, list[Complaint]] = defaultdict(list)
    for complaint in (
        Complaint.objects.filter(case_id__in=[case_id for others in targets.values() for case_id in others])
        .only("reference", "case_id", "confidentiality_requested", "submitted_at")
        .order_by("submitted_at", "pk")
    ):
        complaint.case = cases[complaint.case_id]
        complaints[complaint.case_id].append(complaint)
    dismissed = set(DuplicateDismissal.objects.filter(case_id__in=list(targets)).values_list("complaint_id", "case_id"))

    result = []
    for target_id, others in targets.items():
        group = DuplicateGroup(target=cases[target_id])
        for case_id in others:
            case_reasons = sorted(reasons[case_id])
            for complaint in complaints[case_id]:
                if (complaint.pk, target_id) not in dismissed:
                    group.suggestions.append(Suggestion(complaint=complaint, reasons=case_reasons))
        if group.suggestions:
            result.append(group)
    # The most suggestions first, then the oldest case (the lower id if two were opened together).
    result.sort(key=lambda group: (-len(group.suggestions), group.target.opened_at, group.target.pk))
    return result


def duplicate_group_for(visible: QuerySet[Case], target_reference: str, **options) -> DuplicateGroup | None:
    for group in duplicate_groups(visible, **options):
        if group.target.reference == target_reference:
            return group
    return None
