"""How many questions each blueprint domain gets in a sitting of a given size.

One function, used by the bank linter (can a bank fill a mini exam or a full simulation?) and by
the quiz engine when it draws an exam simulation, so both agree on what "at blueprint weight"
means (docs/questions-format.md).
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol


class WeightedDomain(Protocol):
    code: str
    weight_min: int
    weight_max: int


def domain_quota(domains: Sequence[WeightedDomain], size: int) -> dict[str, int]:
    """Per-domain question counts adding up to `size`.

    Each domain weighs the midpoint of its range; the weights are scaled to add up to 100 (Microsoft
    ranges do not), and counts are the largest-remainder rounding of size x weight, ties going to
    the earlier domain.
    """
    if size < 0:
        raise ValueError("size must not be negative")
    if not domains:
        return {}
    mids = [Decimal(d.weight_min + d.weight_max) / 2 for d in domains]
    total = sum(mids)
    if total == 0:
        mids = [Decimal(1)] * len(domains)
        total = Decimal(len(domains))
    exact = [size * mid / total for mid in mids]
    counts = [int(value) for value in exact]  # floor: values are never negative
    short = size - sum(counts)
    by_remainder = sorted(range(len(domains)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in by_remainder[:short]:
        counts[i] += 1
    return {domain.code: count for domain, count in zip(domains, counts, strict=True)}
