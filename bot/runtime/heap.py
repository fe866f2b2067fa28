"""Keep the garbage collector's pauses short in long-running processes.

Two measured causes of pauses in ``reviewbot serve`` under load (benchmarks/ack.py, button clicks at
concurrency 20, a gc callback timing each pass):

- everything start-up builds (modules, the ORM's mappers, rule sets, the bolt app: about 178,000
  objects) lives until the process ends, yet every full collection walked it again: passes of
  80-115 ms. ``gc.freeze`` moves what exists after start-up into a generation the collector never
  walks (what CPython's documentation suggests for long-lived processes);
- CPython's default first threshold (700 allocations) runs a young collection in the middle of
  almost every request, promoting its short-lived objects into older generations, which then fill
  and trigger full passes (35-60 ms each, several a second). At 50,000 those objects are gone
  before a collection sees them; no pass over 5 ms was left in the same run.

Later allocations are collected as usual, so reference cycles are still freed.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 50_000


def settle_after_startup() -> None:
    """Collect start-up garbage once, freeze the survivors, and collect the young less often."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
