"""Key requirements as the partner sides see them, in the report's language (pure, no I/O).

``aggregate.critical_sides`` computes each critical item's mean per partner side and the gap between
them; this puts the questionnaire's texts beside the numbers, for the item (``ItemReport.critical_gap``)
and for the summary (``Summary.critical_gaps``).
"""

from __future__ import annotations

from collections.abc import Sequence

from slp_assess.aggregate import CriticalSides, SideMean
from slp_assess.models.report import CriticalGap, SideScore
from slp_assess.reporttexts import QuestionnaireTexts
from slp_assess.trusted import made


def critical_gaps(texts: QuestionnaireTexts, found: Sequence[CriticalSides]) -> dict[str, CriticalGap]:
    """Each critical item a partner side scored, by item id."""
    gaps = {}
    for c in found:
        sides = {m.side: _side_score(texts, m) for m in c.sides}
        low, high = c.low, c.high
        gaps[c.item] = made(
            CriticalGap, item=c.item, text=texts.item_texts[c.item], factor=c.factor, factor_title=texts.factor_titles[c.factor],
            sides=list(sides.values()), points=c.points, low=sides[low.side] if low else None,
            high=sides[high.side] if high else None, flagged=c.flagged,
        )
    return gaps


def flagged_gaps(gaps: dict[str, CriticalGap]) -> list[CriticalGap]:
    """The flagged ones, largest first (questionnaire order on a tie), for the summary."""
    return sorted((g for g in gaps.values() if g.flagged), key=lambda g: -(g.points or 0.0))


def _side_score(texts: QuestionnaireTexts, mean: SideMean) -> SideScore:
    return made(SideScore, role=mean.side, label=texts.side_labels[mean.side], score=mean.score, n=mean.n)
