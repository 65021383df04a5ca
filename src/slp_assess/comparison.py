"""Compare two assessments of one partnership: change per factor and overall."""

from __future__ import annotations

from slp_assess.errors import UsageError
from slp_assess.models.questionnaire import version_order
from slp_assess.models.report import (
    AggregateReport,
    Change,
    Comparison,
    LevelInfo,
)
from slp_assess.models.results import QuestionnaireRef
from slp_assess.oneline import bare, quoted
from slp_assess.rounding import difference


def _direction(delta: float | None) -> str:
    if delta is None:
        return "no_data"
    if delta > 0:
        return "improved"
    if delta < 0:
        return "worsened"
    return "unchanged"


def _change(
    id_: str, number: int, title: str, old: tuple[float | None, str | None], new: tuple[float | None, str | None],
    levels: list[LevelInfo],
) -> Change:
    rank = {lv.id: lv.rank for lv in levels}
    label = {lv.id: lv.label for lv in levels}
    # Scores are rounded to the tenth; their difference is exact, so "unchanged" means equal as shown.
    delta = None if old[0] is None or new[0] is None else difference(new[0], old[0])
    return Change(
        id=id_, number=number, title=title, old_score=old[0], new_score=new[0], delta=delta,
        old_level=old[1], new_level=new[1], old_level_label=label.get(old[1] or "", ""),
        new_level_label=label.get(new[1] or "", ""), direction=_direction(delta),
        # Rank 0 is the top level, so climbing means a smaller rank.
        level_change=rank[old[1]] - rank[new[1]] if old[1] and new[1] else None,
    )


def refuse_other_version(old: QuestionnaireRef, new: QuestionnaireRef, old_name: str = "the earlier assessment",
                         new_name: str = "the later one") -> None:
    """Refuse to compare answers given to two versions of a questionnaire.

    Versions differ in items, scales and weights, so their scores do not measure the same thing: a
    change between them would be an artefact. ``slp migrate`` carries the older answers over first.
    """
    if old.version == new.version:
        return
    older = min(old.version, new.version, key=version_order)
    raise UsageError(
        f"{old_name} uses questionnaire {quoted(old.id)} version {bare(old.version)}, {new_name} version {bare(new.version)}: "
        f"versions differ in items and scoring and cannot be compared; run `slp migrate` on the files of version {bare(older)} first"
    )


_DIRECTION_ORDER = {"improved": 0, "worsened": 1, "unchanged": 2, "no_data": 3}


def compare(old: AggregateReport, new: AggregateReport) -> Comparison:
    """Progress between two reports of the same questionnaire: improved, then worsened factors first.

    Within improved and worsened, the largest change comes first; ties keep document order. Reports of
    two versions of the questionnaire are refused (``refuse_other_version``).
    """
    refuse_other_version(old.meta.questionnaire, new.meta.questionnaire)
    old_factors = {f.id: f for f in old.factors()}
    changes = [
        _change(f.id, f.number, f.title, (o.score, o.level) if (o := old_factors.get(f.id)) else (None, None),
                (f.score, f.level), new.levels)
        for f in new.factors()
    ]
    changes.sort(key=lambda c: (_DIRECTION_ORDER[c.direction], -abs(c.delta or 0.0), c.number))
    return Comparison(
        partnership=new.meta.partnership,
        questionnaire=new.meta.questionnaire,
        questionnaire_title=new.meta.questionnaire_title,
        language=new.meta.language,
        generated=new.meta.generated,
        generator=new.meta.generator,
        old_date=old.meta.assessed_to,
        new_date=new.meta.assessed_to,
        old_respondents=old.respondent_count,
        new_respondents=new.respondent_count,
        overall=_change("overall", 0, "", (old.overall.score, old.overall.level),
                        (new.overall.score, new.overall.level), new.levels),
        factors=changes,
        levels=new.levels,
    )
