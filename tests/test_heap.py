"""Long-running processes freeze what start-up built and collect young objects less often."""

from __future__ import annotations

import gc
import inspect
import weakref
from collections.abc import Iterator

import pytest

from bot.cli import server
from bot.runtime.heap import YOUNG_THRESHOLD, settle_after_startup


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
    alive = _unreachable_cycle()
    gc.collect()
    assert alive() is None


def test_start_up_garbage_is_collected_before_the_freeze(restored_gc: None) -> None:
    class Node:
        other: object = None

    a, b = Node(), Node()
    a.other, b.other = b, a
    alive = weakref.ref(a)
    del a, b
    settle_after_startup()  # frozen garbage would never be freed
    assert alive() is None


def test_serve_and_worker_settle_the_heap_after_start_up() -> None:
    source = inspect.getsource(server)
    assert source.count("settle_after_startup()") == 2  # in _serve and in _work


class _Node:
    other: object = None


def _unreachable_cycle() -> weakref.ref[_Node]:
    """Two objects that only refer to each other; the weak reference tells when they are freed."""
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    return weakref.ref(a)
