"""Random workshops in a real pseudo-terminal: nothing typed is lost or recorded wrongly (``assess_player``).

The suite plays a fixed set of seeds chosen to cover every ending and move the player knows (the last
test holds them to it). More are played by hand, e.g. ``SLP_ASSESS_GAMES=300 pytest
tests/test_assess_fuzz.py`` (``SLP_ASSESS_FIRST_SEED`` picks where to start); a failure names its
seed, every run of the game and the end of the last screen.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

from assess_model import load  # noqa: E402
from assess_player import Defect, Game  # noqa: E402

QUESTIONNAIRE = Path(__file__).parent / "fixtures" / "assess" / "fuzz.yaml"
# Seeds 0-9 cover all but six things below; 10, 18, 63 and 84 add them. (Removing the session's note is
# too rare a move to be held to here: test_assess_typed_lines plays it.)
FIXED = (*range(10), 10, 18, 63, 84)
FIRST = int(os.environ.get("SLP_ASSESS_FIRST_SEED", "1000"))
SEEDS = tuple(range(FIRST, FIRST + int(os.environ["SLP_ASSESS_GAMES"]))) if "SLP_ASSESS_GAMES" in os.environ else FIXED
COVERED: dict[int, set[str]] = {}
EXPECTED = {
    "one person", "group", "de", "en", "resumed in the other language",
    "typed at assess.prompt.partnership", "typed at assess.prompt.respondent", "typed at assess.prompt.role",
    "an answer to a scored question", "an answer to a choice question", "an answer to a multiple_choice question",
    "an answer to a text question", "an answer changed", "an option typed as a word", "n (cannot judge)",
    "- (no answer from one person)", "answers typed ahead", "a line that means nothing", "?", "b", "b at the first question",
    "s", "a skipped question offered again", "assess.note_saved (one person)", "assess.note_pending (one person)",
    "assess.note_removed (one person)", "assess.note_saved (the session)", "a note typed ahead",
    "a long assess.note_pending (one person)", "a long assess.note_saved (one person)", "a long assess.note_saved (the session)",
    "the terminal resized", "suspended and continued",
    "ended by quit", "ended by complete", "ended by intr", "ended by term", "ended by hup", "ended by eof", "ended by closed",
    "ended by an interruption before the first question", "ended half-way through a line", "ended at the note prompt",
    "ended at 'whose note'", "an answer and at once the end",
}


@pytest.mark.parametrize("seed", SEEDS)
def test_a_random_workshop_keeps_everything_typed(tmp_path, seed):
    game = Game(load(QUESTIONNAIRE), seed, tmp_path)
    try:
        game.play()
    except (Defect, pexpect.TIMEOUT) as defect:
        raise AssertionError(f"seed {seed}: {defect}\n{game.transcript()}") from None
    COVERED[seed] = game.covered


def test_the_fixed_games_cover_every_move_and_ending():
    if SEEDS != FIXED or set(COVERED) != set(FIXED):
        pytest.skip("only after all the fixed games were played in this session")
    missing = EXPECTED - set().union(*COVERED.values())
    assert not missing, f"no fixed game covers {sorted(missing)}: choose other seeds"
