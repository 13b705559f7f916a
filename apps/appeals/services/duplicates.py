"""Likely duplicates at intake (并单 candidates): the same enterprise or caller, same category, similar text.

Similarity is the Jaccard index of the character bigrams of title and content (Chinese has no spaces, so
bigrams stand in for words). ``THRESHOLD`` = 0.3 was chosen by hand: two wordings of the same complaint
("小区门口道路破损严重" / "小区门口的道路破损很严重") score ≈ 0.5, unrelated appeals of one caller < 0.1.
Only open tickets recorded within ``WINDOW_DAYS`` are compared; a person decides whether to merge.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q

from apps.appeals.models import Appeal
from apps.appeals.models.appeals import State

WINDOW_DAYS = 30
THRESHOLD = 0.3
LIMIT = 10


@dataclass(frozen=True)
class Candidate:
    appeal: Appeal
    similarity: float


def bigrams(text: str) -> set[str]:
    """Character bigrams of the text without whitespace and punctuation."""
    kept = "".join(char for char in text if char.isalnum())
    return {kept[index : index + 2] for index in range(len(kept) - 1)}


def similarity(left: str, right: str) -> float:
    """Jaccard index of the bigram sets (0 for two empty texts)."""
    a, b = bigrams(left), bigrams(right)
    return len(a & b) / len(a | b) if a | b else 0.0


def likely_duplicates(
    *, category, text: str, now: datetime, enterprise=None, phone: str = "", exclude_pk: int | None = None
) -> list[Candidate]:
    """Open tickets of the same enterprise or phone and category, recorded lately, with similar text."""
    same_appellant = Q()
    if enterprise is not None:
        same_appellant |= Q(enterprise=enterprise)
    if phone:
        same_appellant |= Q(phone=phone)
    if not same_appellant:
        return []
    recent = Appeal.objects.filter(
        same_appellant, category=category, created_at__gte=now - timedelta(days=WINDOW_DAYS), created_at__lte=now
    ).exclude(state__in=(State.MERGED, State.REFUSED))
    if exclude_pk is not None:
        recent = recent.exclude(pk=exclude_pk)
    scored = [Candidate(appeal, similarity(text, f"{appeal.title}{appeal.content}")) for appeal in recent[:200]]
    found = [candidate for candidate in scored if candidate.similarity >= THRESHOLD]
    return sorted(found, key=lambda candidate: -candidate.similarity)[:LIMIT]
