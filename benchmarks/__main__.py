"""``python -m benchmarks [--quick] [--only ack,delivery,delivery-tenants,scale,memory]``: run, print, judge.

Exit status 0 when every judged figure passed, 1 when one failed (skipped parts do not fail).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time

from benchmarks.common import Report, load_average, machine_lines, postgres_base_url, say, workdir

PARTS = ("ack", "delivery", "delivery-tenants", "scale", "memory")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="ReviewBot benchmarks: ack latency vs bare bolt, reminder delivery at Slack's rate "
        "limit, scale, memory. Prints the machine and every figure with its target.",
    )
    parser.add_argument("--quick", action="store_true", help="CI-sized run: fewer requests and rows")
    parser.add_argument(
        "--only",
        default=",".join(PARTS),
        help=f"comma-separated parts to run (default all: {','.join(PARTS)})",
    )
    parser.add_argument(
        "--postgres-url",
        default=None,
        help="PostgreSQL server to use (default REVIEWBOT_BENCH_DATABASE_URL, REVIEWBOT_TEST_DATABASE_URL, "
        "then scripts/start-test-postgres.sh's URL); a separate reviewbot_bench database is created there",
    )
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument(
        "--reminders", type=int, default=None, help="delivery: due reminders (default 10,000)"
    )
    parser.add_argument("--channels", type=int, default=None, help="delivery: channels (default 500)")
    args = parser.parse_args(argv)
    args.parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(args.parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}; choose from {', '.join(PARTS)}")
    return args


async def main(args: argparse.Namespace) -> int:
    for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        os.environ.pop(proxy, None)
    from bot.observability import configure_logging

    configure_logging("WARNING")  # the driver's own log; the servers under test log as in production
    if args.no_postgres:
        pg_base, pg_info = None, "--no-postgres given"
    else:
        pg_base, pg_info = await postgres_base_url(args.postgres_url)
    say("ReviewBot benchmarks" + (" (quick)" if args.quick else ""))
    for line in machine_lines(pg_info if pg_base else None):
        say("  " + line)
    if not pg_base:
        say(f"  !! PostgreSQL parts are SKIPPED: {pg_info}")
    report = Report()
    started = time.monotonic()
    async with workdir("run") as tmp:
        for part in args.parts:
            say(f"\n== {part} ==")
            part_started = time.monotonic()
            if part == "ack":
                from benchmarks import ack

                await ack.run(report, quick=args.quick, pg_base=pg_base, pg_skip_reason=pg_info, workdir=tmp)
            elif part == "delivery":
                from benchmarks import delivery

                await delivery.run(
                    report,
                    quick=args.quick,
                    pg_base=pg_base,
                    pg_skip_reason=pg_info,
                    workdir=tmp,
                    reminders=args.reminders,
                    channels=args.channels,
                )
            elif part == "delivery-tenants":
                from benchmarks import delivery_tenants

                await delivery_tenants.run(
                    report,
                    quick=args.quick,
                    pg_base=pg_base,
                    pg_skip_reason=pg_info,
                    workdir=tmp,
                    reminders=args.reminders,
                )
            elif part == "scale":
                from benchmarks import scale

                await scale.run(
                    report, quick=args.quick, pg_base=pg_base, pg_skip_reason=pg_info, workdir=tmp
                )
            elif part == "memory":
                from benchmarks import memory

                await memory.run(report, quick=args.quick, workdir=tmp)
            say(
                f"   ({part} took {time.monotonic() - part_started:.0f} s; load average now {load_average()})"
            )
    say(f"\n== summary ({time.monotonic() - started:.0f} s) ==")
    for figure in report.figures:
        say(figure.line())
    judged = [f for f in report.figures if f.passed is not None]
    say(
        f"\n{len(judged) - len(report.failed)} of {len(judged)} targets met"
        + ("; FAILED: " + "; ".join(f.name for f in report.failed) if report.failed else "")
    )
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse(sys.argv[1:]))))
