"""The identifier guard against the synthetic corpus: recall on identifying text, false positives on
benign safeguarding prose, printed for the dev part, the held-out part and both together.

Targets (issue 16): recall at least 95%, false positives at most 2%. The held-out part was written
before the guard was tuned and is only measured (tests/guard_corpus_held_out.py).
"""

from __future__ import annotations

import pytest

from bot.privacy.findings import GuardMode
from bot.privacy.guard import guard, scan
from tests.guard_corpus import DEV, Line, corpus
from tests.guard_corpus_held_out import HELD_OUT

MIN_RECALL = 0.95
MAX_FALSE_POSITIVES = 0.02


def figures(lines: list[Line]) -> tuple[float, float, list[str], list[str]]:
    identifying = [line for line in lines if line.identifying]
    benign = [line for line in lines if not line.identifying]
    missed = [line.text for line in identifying if not scan(line.text)]
    flagged = [line.text for line in benign if scan(line.text)]
    return 1 - len(missed) / len(identifying), len(flagged) / len(benign), missed, flagged


def test_corpus_is_big_and_balanced_enough() -> None:
    lines = corpus()
    assert len(lines) >= 300
    assert (
        sum(line.identifying for line in lines) >= 150 and sum(not line.identifying for line in lines) >= 150
    )
    assert len({line.text for line in lines}) == len(lines), "duplicate corpus lines"


@pytest.mark.parametrize(("name", "lines"), [("dev", DEV), ("held-out", HELD_OUT), ("all", corpus())])
def test_recall_and_false_positives(name: str, lines: list[Line], capsys: pytest.CaptureFixture[str]) -> None:
    recall, false_positive_rate, missed, flagged = figures(lines)
    identifying = sum(line.identifying for line in lines)
    with capsys.disabled():
        print(
            f"\nidentifier guard, {name} corpus: recall {recall:.1%} of {identifying} identifying lines, "
            f"false positives {false_positive_rate:.1%} of {len(lines) - identifying} benign lines"
        )
    assert recall >= MIN_RECALL, f"missed: {missed}"
    assert false_positive_rate <= MAX_FALSE_POSITIVES, f"flagged: {flagged}"


def test_every_identifying_line_is_refused_and_every_benign_one_passes_through_guard() -> None:
    """The same verdicts through guard() in refuse mode, as every free-text surface calls it."""
    for line in corpus():
        result = guard(line.text, mode=GuardMode.REFUSE)
        assert result.ok == (not scan(line.text))
        if not result.ok:
            assert result.message and line.text not in result.message
