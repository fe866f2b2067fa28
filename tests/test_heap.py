"""Long-running processes freeze what start-up built and collect young objects less often."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from bot.heap import YOUNG_THRESHOLD, settle_after_startup


@pytest.fixture
def restored_gc() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_start_up_objects_are_frozen_and_young_collections_are_rarer(restored_gc: None) -> None:
    survivor = [object()]  # lives past start-up
    settle_after_startup()
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold()[0] == YOUNG_THRESHOLD
    assert survivor  # still reachable: freezing changes what is walked, never what is alive


def test_cycles_made_after_start_up_are_still_collected(restored_gc: None) -> None:
    settle_after_startup()

    class Node:
        other: object = None

    a, b = Node(), Node()
    a.other, b.other = b, a
    del a, b
    assert gc.collect() >= 2
