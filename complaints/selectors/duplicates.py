"""Possible duplicates: open cases about the same post, found by post URL or by screenshot.

Two open cases are linked when a post in each has the same normalised URL, or when a screenshot
in each has a perceptual hash within `max_distance` bits (Hamming distance) of the other. Linked
cases form groups; each group is offered as "link these complaints into the oldest case".

Only open cases the user may see are compared (a few thousand at most, out of any number stored).
URL matches are found by the database (a GROUP BY on the indexed normalised URL); screenshot
hashes are compared as 64-bit integers with numpy, block by block, so comparing every pair of
5,000 screenshots costs tens of milliseconds and a bounded amount of memory.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db.models import Count, QuerySet

from complaints.models import Case, Complaint, DuplicateDismissal, Evidence, SocialMediaPost, Stage

_BLOCK = 512


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
    """Index pairs (i, j, distance), i < j, of hashes within `max_distance` bits of each other."""
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


def duplicate_groups(visible: QuerySet[Case], *, max_distance: int | None = None) -> list[DuplicateGroup]:
    """Groups of open cases that look like the same post, each with the complaints to link."""
    if max_distance is None:
        max_distance = default_max_distance()
    open_ids = visible.exclude(stage=Stage.CLOSED).filter(merged_into__isnull=True).values("pk")
    groups = _Groups()
    reasons: dict[int, set[str]] = defaultdict(set)

    posts = SocialMediaPost.objects.filter(case__in=open_ids).exclude(normalised_url="")
    shared_urls = (
        posts.order_by().values("normalised_url").annotate(cases=Count("case_id", distinct=True)).filter(cases__gt=1)
    )
    by_url: dict[str, list[int]] = defaultdict(list)
    for case_id, url in (
        posts.filter(normalised_url__in=shared_urls.values("normalised_url"))
        .order_by()
        .values_list("case_id", "normalised_url")
        .distinct()
    ):
        by_url[url].append(case_id)
    for url, case_ids in by_url.items():
        for case_id in case_ids:
            groups.union(case_ids[0], case_id)
            reasons[case_id].add(f"Same post: {url}")

    screenshots = [
        (case_id, number)
        for case_id, value in Evidence.objects.filter(case__in=open_ids)
        .exclude(perceptual_hash="")
        .order_by()
        .values_list("case_id", "perceptual_hash")
        if (number := hash_to_int(value)) is not None
    ]
    for i, j, distance in similar_pairs([number for _, number in screenshots], max_distance):
        a, b = screenshots[i][0], screenshots[j][0]
        if a == b:
            continue
        groups.union(a, b)
        text = "Identical screenshot" if distance == 0 else f"Similar screenshot ({distance} bits differ)"
        reasons[a].add(text)
        reasons[b].add(text)

    members: dict[int, list[int]] = defaultdict(list)
    for case_id in list(groups.parent):
        members[groups.find(case_id)].append(case_id)
    grouped = [ids for ids in members.values() if len(ids) > 1]
    if not grouped:
        return []
    all_ids = [case_id for ids in grouped for case_id in ids]
    cases = {case.pk: case for case in Case.objects.filter(pk__in=all_ids).select_related("authority")}
    complaints: dict[int, list[Complaint]] = defaultdict(list)
    for complaint in Complaint.objects.filter(case_id__in=all_ids).select_related("case").order_by("submitted_at"):
        complaints[complaint.case_id].append(complaint)
    dismissed = set(DuplicateDismissal.objects.filter(case_id__in=all_ids).values_list("complaint_id", "case_id"))

    result = []
    for ids in grouped:
        target = min((cases[case_id] for case_id in ids if case_id in cases), key=lambda c: (c.opened_at, c.pk))
        group = DuplicateGroup(target=target)
        for case_id in sorted(ids, key=lambda pk: (cases[pk].opened_at, pk)):
            if case_id == target.pk:
                continue
            for complaint in complaints[case_id]:
                if (complaint.pk, target.pk) in dismissed:
                    continue
                group.suggestions.append(Suggestion(complaint=complaint, reasons=sorted(reasons[case_id])))
        if group.suggestions:
            result.append(group)
    result.sort(key=lambda group: (-len(group.suggestions), group.target.opened_at))
    return result


def duplicate_group_for(visible: QuerySet[Case], target_reference: str, **options) -> DuplicateGroup | None:
    for group in duplicate_groups(visible, **options):
        if group.target.reference == target_reference:
            return group
    return None
