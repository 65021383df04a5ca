"""People who answered more than once in one partnership's assessment.

A folder given to ``slp report`` or ``slp score --group-by partnership`` may hold the answer files of
two rounds of the same partnership (the example data does: ``lindenau/`` and ``lindenau-2025/``).
Grouped by partnership and questionnaire, both rounds become one assessment in which a person who
answered in each counts twice, and the verdict mixes last year's answers with this year's. Every
answer still counts (which file is the right one only the user knows), but the report names these
people, so that nobody defends a verdict in which somebody voted twice.

A person is the same when the name (as ``models.answers.person_key`` reads it: white space, case,
titles and "Surname, First name" aside) and the side are the same. Two namesakes on one side are taken
for one person; nameless answers are never compared.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from slp_assess.aggregate import Assessment
from slp_assess.models.report import RepeatedRespondent


def repeated_count(people: Iterable[tuple[str, str]]) -> int:
    """How many of the (``person_key``, side) pairs come more than once; nameless ones never count."""
    counts = Counter(person for person in people if person[0])
    return sum(1 for count in counts.values() if count > 1)


def repeated_respondents(group: Sequence[Assessment], side_labels: Mapping[str, str], anonymize: bool = False) -> list[RepeatedRespondent]:
    """Each person with more than one answer in ``group``, in the order of their first answer.

    The name is the one first written, with white space collapsed (None when ``anonymize``); the
    dates are those of the answers, the earliest first, answers without a date last.
    """
    seen: dict[tuple[str, str], list[Assessment]] = {}
    names: dict[tuple[str, str], str] = {}
    for assessment in group:
        if not assessment.person:
            continue
        key = (assessment.person, assessment.side)
        seen.setdefault(key, []).append(assessment)
        names.setdefault(key, " ".join((assessment.answers.respondent.name or "").split()))
    repeated = []
    for (folded, side), answered in seen.items():
        if len(answered) > 1:
            dates = sorted((a.date for a in answered), key=lambda date: (date is None, date or ""))
            repeated.append(RepeatedRespondent(name=None if anonymize else names[(folded, side)], role=side,
                                               role_label=side_labels[side], dates=dates))
    return repeated
