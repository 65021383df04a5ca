"""Scores within a hair of a rounding tie are rounded as their exact value, in any order of the files.

Points and weights may have six decimals, so a mean can be 49.9499999995: shown as 49.9, a key requirement
not met. Floating point puts it a hair to either side, and which side depended on the order the answers
were summed in (the order of the files) and on dropping "noise" digits that were no noise. The cases
are generated: crafted points and weights whose exact means lie on a tie or within 1e-9 of one, on
either side, and each is checked against exact arithmetic with fractions.
"""

from __future__ import annotations

import json
import math
import random
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import yaml
from typer.testing import CliRunner

from slp_assess import api
from slp_assess.cli import app

runner = CliRunner()
WIDE = Decimal(1_000_000)  # the wide scale runs from -WIDE to +WIDE points
# Offsets from a tie, in percent: on it, and a hair below or above it (below: the exact value rounds down).
OFFSETS = [Decimal(0), Decimal("-0.0000000005"), Decimal("0.0000000005"), Decimal("-0.00000000045"), Decimal("0.0000000003")]


def _half_up(value: Fraction) -> float:
    return math.floor(value * 10 + Fraction(1, 2)) / 10


def _text(name: str) -> dict[str, str]:
    return {"de": name, "en": name}


def _write(folder: Path, doc: dict) -> Path:
    folder.parent.mkdir(parents=True, exist_ok=True)
    # through JSON: equal parts become copies, not YAML aliases (which answer and questionnaire files refuse)
    folder.write_text(yaml.safe_dump(json.loads(json.dumps(doc)), allow_unicode=True), encoding="utf-8")
    return folder


def _questionnaire(path: Path, scales: dict, *sections: list[dict]) -> Path:
    return _write(path, {
        "id": "exact", "version": "1.0", "title": _text("E"), "description": _text("E"), "scales": scales,
        "sections": [{"id": f"s{n}", "title": _text("S"), "factors": factors} for n, factors in enumerate(sections)],
    })


def _answer(path: Path, name: str, side: str, answers: dict) -> Path:
    return _write(path, {"questionnaire": "exact", "version": "1.0", "partnership": "P",
                         "respondent": {"name": name, "role": side}, "answers": answers})


def _score(path: Path, questionnaire: Path) -> dict:
    result = runner.invoke(app, ["score", str(path), "-q", str(questionnaire), "-f", "json"])
    assert result.exit_code == 0, result.output
    [scored] = json.loads(result.stdout)
    return scored


def _points_with_mean(rng: random.Random, count: int, percent: Decimal) -> list[Decimal]:
    """``count`` points of the wide scale (six decimals each) whose mean item score is ``percent`` exactly."""
    total = percent * 2 * WIDE / 100 * count  # the sum of (points + WIDE)
    parts: list[Decimal] = []
    for left in range(count, 1, -1):
        rest = total - sum(parts)
        share = rest / left
        low, high = max(Decimal(0), rest - 2 * WIDE * (left - 1)), min(2 * WIDE, rest)
        spread = min(share - low, high - share) * Decimal(rng.random())
        parts.append((share + spread * rng.choice((-1, 1))).quantize(Decimal("0.000001")))
    parts.append(total - sum(parts))
    assert all(0 <= p <= 2 * WIDE and p == p.quantize(Decimal("0.000001")) for p in parts)
    return [p - WIDE for p in parts]


def _critical_case(rng: random.Random, count: int) -> tuple[Decimal, list[Decimal]]:
    tenth = rng.choice((499, 499, 499, rng.randrange(1000)))  # mostly the 49.95 of the key requirement
    percent = min(Decimal(tenth) / 10 + Decimal("0.05") + rng.choice(OFFSETS), Decimal("99.95"))
    return percent, _points_with_mean(rng, count, percent)


def test_a_critical_items_mean_is_exact_and_the_same_in_any_order_of_the_files(tmp_path):
    rng = random.Random(4711)
    for case in range(16):
        count = rng.randint(2, 5)
        percent, points = _critical_case(rng, count)
        keys = [f"k{n}" for n in range(count)]
        options = [{"key": "min", "points": float(-WIDE), "label": _text("min")}, {"key": "max", "points": float(WIDE), "label": _text("max")}]
        options += [{"key": key, "points": float(p), "label": _text(key)} for key, p in zip(keys, points, strict=True)]
        folder = tmp_path / f"c{case}"
        q = _questionnaire(folder / "q.yaml", {"wide": {"options": options}}, [{
            "id": "f", "title": _text("F"),
            "items": [{"id": "f.must", "text": _text("M"), "scale": "wide", "critical": True, "source": "paper"}],
        }])
        expected = _half_up(Fraction(percent))
        seen = set()
        for order in range(3):
            shuffled = keys[:]
            rng.shuffle(shuffled)
            answers = folder / f"order{order}"
            for n, key in enumerate(shuffled):
                _answer(answers / f"{n}.yaml", f"R{key}", "stadt", {"f.must": key})
            [report] = api.aggregate([answers], [q])
            item = report["sections"][0]["factors"][0]["items"][0]
            blockers = [(b["item"], b["score"], [s["role"] for s in b["sides"]]) for b in report["overall"]["blockers"]]
            assert item["score"] == expected, (percent, points, shuffled)
            assert blockers == ([("f.must", expected, ["stadt"])] if expected < 50 else []), (percent, points, shuffled)
            seen.add(json.dumps([item["score"], blockers]))
        assert len(seen) == 1
        # The same rule for one respondent: the item's own percentage decides.
        single = _answer(folder / "single.yaml", "one", "land", {"f.must": "k0"})
        own = Fraction(points[0] + WIDE) / Fraction(2 * WIDE) * 100
        scored = _score(single, q)
        assert scored["factors"][0]["score"] == _half_up(own)
        assert [b["score"] for b in scored["overall"]["blockers"]] == ([_half_up(own)] if _half_up(own) < 50 else [])


def _weights_near_a_tie(rng: random.Random, high: int, low: int) -> tuple[Decimal, Decimal, Fraction]:
    """Weights (six decimals) whose weighted mean of ``high`` and ``low`` tenths lies within 1e-9 of a tie."""
    while True:
        tie = Fraction(rng.randrange(low, high) * 2 + 1, 20)  # halfway between two tenths, inside (low, high)
        first = Decimal(rng.randrange(100_000_000_000, 1_000_000_000_000)) / 1_000_000
        ratio = (Fraction(high, 10) - tie) / (tie - Fraction(low, 10))
        second = (first * ratio.numerator / ratio.denominator).quantize(Decimal("0.000001"))
        if not 0 < second <= WIDE:
            continue
        mean = (Fraction(first) * Fraction(high, 10) + Fraction(second) * Fraction(low, 10)) / (Fraction(first) + Fraction(second))
        if abs(mean - tie) < Fraction(1, 10**9):
            return first, second, mean


def test_weighted_means_within_a_hair_of_a_tie_are_rounded_exactly(tmp_path):
    # Item weights make factor c's score; factor weights make the score of the section of a and b.
    rng = random.Random(1234)
    tenths_scale = {"options": [{"key": str(k), "points": k, "label": _text(str(k))} for k in range(1001)]}
    for case in range(12):
        low, high = sorted(rng.sample(range(1001), 2))
        first, second, mean = _weights_near_a_tie(rng, high, low)
        item = {"text": _text("I"), "scale": "tenths", "source": "paper"}
        folder = tmp_path / f"c{case}"
        q = _questionnaire(folder / "q.yaml", {"tenths": tenths_scale}, [
            {"id": "a", "title": _text("A"), "weight": float(first), "items": [{**item, "id": "a.i"}]},
            {"id": "b", "title": _text("B"), "weight": float(second), "items": [{**item, "id": "b.i"}]},
        ], [
            {"id": "c", "title": _text("C"), "items": [
                {**item, "id": "c.high", "weight": float(first)}, {**item, "id": "c.low", "weight": float(second)}]},
        ])
        answers = {"a.i": str(high), "b.i": str(low), "c.high": str(high), "c.low": str(low)}
        path = _answer(folder / "a.yaml", "A", "stadt", answers)
        scored = _score(path, q)
        assert {f["id"]: f["score"] for f in scored["factors"]} == {"a": high / 10, "b": low / 10, "c": _half_up(mean)}, (first, second, mean)
        assert [s["score"] for s in scored["sections"]] == [_half_up(mean), _half_up(mean)], (first, second, mean)
        weights = Fraction(first) + Fraction(second) + 1
        overall = (Fraction(first) * Fraction(high, 10) + Fraction(second) * Fraction(low, 10) + Fraction(Decimal(repr(_half_up(mean))))) / weights
        assert scored["overall"]["score"] == _half_up(overall), (first, second, mean)


def test_a_standard_deviation_on_a_tie_is_rounded_exactly():
    # Two scores 2d apart have the deviation d exactly; d = 19.95 is shown as 20.0 and flags low consensus.
    # Random lists of shown scores are compared with the root computed to 40 digits.
    from decimal import getcontext

    from slp_assess.aggregate import low_consensus, stats

    getcontext().prec = 40
    rng = random.Random(99)
    for _ in range(400):
        half = rng.randrange(0, 500) + Fraction(1, 2)  # d in tenths: x.x5
        low = rng.randrange(0, 1001 - int(2 * half))
        scores = [low / 10, int(low + 2 * half) / 10] * rng.randint(1, 3)
        assert stats(scores).stdev == _half_up(half / 10), scores
        tenths = [rng.randrange(1001) for _ in range(rng.randint(1, 30))]
        count = len(tenths)
        root = (Decimal(count * sum(t * t for t in tenths) - sum(tenths) ** 2).sqrt() / count / 10)
        expected = float(root.quantize(Decimal("0.1"), rounding="ROUND_HALF_UP"))
        spread = stats([t / 10 for t in tenths])
        assert spread.stdev == expected, tenths
        assert low_consensus(spread) == (count > 1 and expected >= 20.0)
