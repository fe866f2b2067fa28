"""``python -m benchmarks.guard [--runs N]``: the identifier guard's latency on a 2,000-character text.

Prints the start-up cost (the first call in a fresh process, which loads the English word counts and
the confusables table) and p50/p99 of :func:`bot.privacy.guard.guard` over repeated calls on three
2,000-character texts: benign practice prose, prose with identifiers in it, and the same text with
fullwidth digits, zero-width spaces and Cyrillic lookalikes (the slow path of the folding). Wall time
and the process's CPU time are both given: on a shared machine the first includes waiting for a core.
Figures only: nothing here is judged, and no test asserts on time.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from benchmarks.common import machine_lines, percentile, say

TEXT_LENGTH = 2_000

_BENIGN = (
    "Child A was seen by the health visitor on two occasions. Police and Children's Social Care held a "
    "strategy discussion on 3 March 2026 and agreed a Section 47 enquiry. The GP practice did not share "
    "the referral with the school nurse. The Designated Safeguarding Lead made a referral to the MASH; "
    "Early Help had been offered in January but declined. Working Together 2023 sets out the timescales. "
)
_IDENTIFYING = (
    "Oluwaseun Adeyemi was the child's stepfather and lived at 12 acacia avenue, ne1 4st. "
    "SMITH, Jane (DoB 20160714) attends St Mary's RC Primary School; NHS 943 476 5919, QQ123456C. "
)
_LOOKALIKE = str.maketrans({"0": "０", "1": "１", "4": "４", "a": "а", "o": "о", " ": " \u200b"})


def _text(seed: str) -> str:
    return (seed * (TEXT_LENGTH // len(seed) + 1))[:TEXT_LENGTH]


TEXTS = {
    "benign prose": _text(_BENIGN),
    "with identifiers": _text(_BENIGN + _IDENTIFYING),
    "obfuscated": _text(_BENIGN + _IDENTIFYING).translate(_LOOKALIKE)[:TEXT_LENGTH],
}


def cold_start_ms() -> tuple[float, float]:
    """Import and first call in a fresh interpreter: (import ms, first call ms)."""
    code = (
        "import time; t0 = time.perf_counter(); from bot.privacy.guard import guard; "
        "t1 = time.perf_counter(); guard('Oluwaseun Adeyemi was seen.'); t2 = time.perf_counter(); "
        "print((t1 - t0) * 1000, (t2 - t1) * 1000)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    first, second = out.split()
    return float(first), float(second)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.guard", description=__doc__)
    parser.add_argument("--runs", type=int, default=500, help="calls per text (default 500)")
    args = parser.parse_args(argv)
    from bot.privacy.guard import guard

    say("Identifier guard latency")
    for line in machine_lines():
        say("  " + line)
    imported, first = cold_start_ms()
    say(f"  start-up: import {imported:.0f} ms, first call {first:.0f} ms (loads word counts, confusables)")
    guard("warm up")
    for name, text in TEXTS.items():
        findings = len(guard(text).findings)
        times, cpu = [], []
        for _ in range(args.runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            guard(text)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        say(
            f"  {name:<17} {len(text)} chars, {findings:>3} findings: "
            f"p50 {percentile(times, 50):.2f} ms  p99 {percentile(times, 99):.2f} ms  "
            f"max {max(times):.2f} ms  ({args.runs} calls; CPU time p50 {percentile(cpu, 50):.2f} ms, "
            f"p99 {percentile(cpu, 99):.2f} ms)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
