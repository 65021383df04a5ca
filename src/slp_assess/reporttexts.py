"""What a report takes from its questionnaire in the reader's language, worked out once per questionnaire.

Texts, levels, advice, source passages, and the models of answer counts that recur from report to
report. Everything here is frozen or only read once made, so reports share it.
"""

from __future__ import annotations

from functools import lru_cache

from slp_assess.i18n import pick, side_label
from slp_assess.models.questionnaire import NOT_APPLICABLE, Factor, Item, Questionnaire
from slp_assess.models.report import Advice, LevelInfo, OptionCount, SideAnswers, SourcePassage
from slp_assess.rounding import reached_from
from slp_assess.trusted import made


def levels_of(questionnaire: Questionnaire, lang: str) -> list[LevelInfo]:
    """Levels top first, each with its upper bound, both as the lowest score shown (a tenth) that reaches them.

    Scores are decided as shown, so a threshold of 33.35 starts at 33.4: a legend that named 33 (or
    33.35) would put the score 33.3 in a band it is not in.
    """
    ordered = questionnaire.ordered_levels()
    return [
        LevelInfo(id=lv.id, label=pick(lv.label, lang), threshold=reached_from(lv.threshold),
                  upper=reached_from(ordered[i - 1].threshold) if i else 100.0, description=pick(lv.description, lang), rank=i)
        for i, lv in enumerate(ordered)
    ]


def short_title(factor: Factor, lang: str) -> str:
    """The factor's short name in ``lang``; its title where the questionnaire has no short one in that language."""
    if factor.short_title and lang in factor.short_title:
        return factor.short_title[lang]
    return pick(factor.title, lang)


# A side's answers to an item are one shared model when the side has at most this many respondents:
# with five options, n/a and blank that is at most 343 different answers per scale and side, and in a
# portfolio of small partnerships they recur across items and reports (a 500 x 6 portfolio asks for
# 38,000 of them and has 2,700 different ones); the answers of larger sides hardly ever recur.
_SHARED_UP_TO = 3
_SHARED_KEPT = 4096  # about 4 MB at most


class QuestionnaireTexts:
    """What every report of one questionnaire in one language takes from it, worked out once.

    A portfolio's reports share their questionnaire: picking its texts, levels and advice again for
    each partnership was a good part of building one.
    """

    def __init__(self, questionnaire: Questionnaire, lang: str) -> None:
        self.questionnaire = questionnaire
        self.lang = lang
        self.title = pick(questionnaire.title, lang)
        self.levels = tuple(levels_of(questionnaire, lang))
        self.level_ids = [lv.id for lv in self.levels]
        self.level_rank: dict[str, int] = {}
        for rank, level_id in enumerate(self.level_ids):
            self.level_rank.setdefault(level_id, rank)  # the first, as list.index finds it
        self.options = {
            name: tuple((o.key, pick(o.label, lang)) for o in scale.options) for name, scale in questionnaire.scales.items()
        }
        self.item_texts = {item.id: pick(item.text, lang) for _, item in questionnaire.items()}
        self.item_factors = {item.id: factor.id for factor, item in questionnaire.items()}
        self.factor_titles = {factor.id: pick(factor.title, lang) for _, factor in questionnaire.factors()}
        self.short_titles = {factor.id: short_title(factor, lang) for _, factor in questionnaire.factors()}
        self.descriptions = {factor.id: pick(factor.description, lang) for _, factor in questionnaire.factors()}
        self.sources = _sources(questionnaire, lang)
        self.context = [
            (question, pick(question.text, lang), [(o.key, pick(o.label, lang)) for o in question.options])
            for question in questionnaire.context
        ]
        self.side_labels = _SideLabels(lang)
        self._advice: dict[tuple[str, str], tuple[Advice, ...]] = {}
        self._sides: dict[tuple[str, str, tuple[str | None, ...]], SideAnswers] = {}

    def advice(self, factor: Factor, level: str | None) -> tuple[Advice, ...]:
        if level is None:
            return ()
        found = self._advice.get((factor.id, level))
        if found is None:
            found = self._advice[(factor.id, level)] = tuple(
                Advice(text=pick(r.text, self.lang), practice=r.basis == "practice") for r in factor.recommendations.get(level, [])
            )
        return found

    def counts(self, scale: str, given: tuple[str | None, ...]) -> tuple[list[OptionCount], int, int]:
        """Respondents per option of ``scale`` (in scale order), answers ``n/a`` and blanks among ``given``."""
        return ([_option_count(key, label, given.count(key)) for key, label in self.options[scale]],
                given.count(NOT_APPLICABLE), given.count(None))

    def side_answers(self, scale: str, side: str, given: tuple[str | None, ...]) -> SideAnswers:
        """The answers of one side to an item of ``scale``; a few respondents' answers are one shared model.

        Like every report model it is frozen, and its list of counts is never changed either: report
        data is only read, or copied with ``model_copy`` (user templates run in an immutable sandbox).
        """
        shared = len(given) <= _SHARED_UP_TO
        key = (scale, side, given)
        if shared and (found := self._sides.get(key)) is not None:
            return found
        options, not_applicable, unanswered = self.counts(scale, given)
        answers = made(SideAnswers, role=side, label=self.side_labels[side], options=options,
                       not_applicable=not_applicable, unanswered=unanswered, n=len(given))
        if shared:
            if len(self._sides) >= _SHARED_KEPT:
                self._sides.clear()
            self._sides[key] = answers
        return answers


class _SideLabels(dict[str, str]):
    """Each side's label in one language, looked up like a dict."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def __missing__(self, side: str) -> str:
        label = self[side] = side_label(side, self.lang)
        return label


_texts: dict[tuple[int, str], QuestionnaireTexts] = {}


def texts_for(questionnaire: Questionnaire, lang: str) -> QuestionnaireTexts:
    """The texts of ``questionnaire`` in ``lang``, worked out on first use (as ``scoring.plan_for`` does)."""
    texts = _texts.get((id(questionnaire), lang))
    if texts is None or texts.questionnaire is not questionnaire:
        if len(_texts) > 64:  # questionnaires are few; drop those no longer used
            _texts.clear()
        texts = _texts[(id(questionnaire), lang)] = QuestionnaireTexts(questionnaire, lang)
    return texts


@lru_cache(maxsize=4096)
def _option_count(key: str, label: str, count: int) -> OptionCount:
    # Frozen, so one instance can stand wherever the same count of the same option appears:
    # a report has some thousand of them and most repeat.
    return OptionCount(key=key, label=label, count=count)


def _sources(questionnaire: Questionnaire, lang: str) -> tuple[SourcePassage, ...]:
    """Each passage of the paper with its items' ids and their factors' short names."""
    by_text: dict[str, list[tuple[Factor, Item]]] = {}
    for factor, item in questionnaire.items():
        by_text.setdefault(item.source, []).append((factor, item))
    return tuple(
        SourcePassage(text=text, items=[item.id for _, item in pairs],
                      factors=list(dict.fromkeys(short_title(factor, lang) for factor, _ in pairs)))
        for text, pairs in by_text.items()
    )
