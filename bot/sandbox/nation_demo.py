"""`reviewbot demo --nation england|wales|scotland|northern_ireland [--database-url URL]`: one nation's
current review type from notification to closure, the clock advancing day by day.

The bot and the local Slack stand-in run on loopback with the synthetic partnerships of
bot/examples/nations.example.yaml. With a database URL the database is left there afterwards (run it
for several nations into the same database, then `reviewbot cases export --all`); without one a
temporary SQLite file is used and removed.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from bot.calendar.working_days import format_day
from bot.cases.models import Case
from bot.clock import FakeClock, london_datetime
from bot.db.engine import Database
from bot.db.migrate import upgrade
from bot.sandbox.fake_slack import FakeSlack
from bot.sandbox.harness import APP_TOKEN, BOT_TOKEN, Harness
from bot.sandbox.lifecycle_walk import Out, Step, Walk, WalkFailed

NATIONS_CONFIG = Path(__file__).resolve().parent.parent / "examples" / "nations.example.yaml"
PARTNERSHIPS = {
    "england": "northshire",
    "wales": "cwm-teg",
    "scotland": "glenmore",
    "northern_ireland": "loughside",
}
START = date(2026, 12, 18)  # Friday 18 December 2026: the local authority becomes aware and notifies


# England's local review follows the Learning Together model (bot.sandbox.learning_together_walk): the
# plan, the family's participation, an introductory and two follow-on case group meetings (each held, an
# absentee sent the record), conversations with practitioners before the follow-ons, key practice
# episodes with their contributory factors and findings linked to them, before the final report.
LEARNING_TOGETHER = [
    Step(date(2027, 1, 21), "lt", "plan"),
    Step(date(2027, 1, 21), "lt", "family"),
    Step(date(2027, 1, 22), "lt", "meeting introductory 2027-02-01"),
    Step(date(2027, 2, 1), "lt", "held introductory"),
    Step(date(2027, 2, 2), "lt", "conversation police 08/02/2027 response sergeant"),
    Step(date(2027, 2, 2), "lt", "conversation la 09/02/2027 social worker"),
    Step(date(2027, 2, 2), "lt", "conversation icb 10/02/2027 health visitor"),
    Step(date(2027, 2, 3), "lt", "meeting follow_on 2027-02-22"),
    Step(date(2027, 2, 11), "lt", "conversations-done"),
    Step(date(2027, 2, 22), "lt", "held follow_on 1"),
    Step(date(2027, 2, 23), "lt", "episodes"),
    Step(date(2027, 3, 1), "lt", "findings"),
    Step(date(2027, 3, 2), "lt", "meeting follow_on 2027-03-15"),
    Step(date(2027, 3, 15), "lt", "held follow_on 2"),
]


def plan(nation: str) -> list[Step]:
    """The steps of each nation's current review, dated so every deadline gets a date."""
    d = date
    steps = {
        "england": [
            Step(START, "notify"),
            Step(START, "record", "partners_told"),
            Step(d(2027, 1, 8), "decision"),
            Step(d(2027, 1, 11), "sign"),
            Step(d(2027, 1, 11), "sent"),
            Step(d(2027, 1, 20), "reply", "agrees"),
            *LEARNING_TOGETHER,
            Step(d(2027, 4, 20), "record", "final_report"),
            # Across the spring bank holiday (Monday 31 May 2027): the advance copy is due Friday 21 May.
            Step(d(2027, 4, 21), "record", "intended_publication 02/06/2027"),
            Step(d(2027, 5, 20), "record", "report_sent"),
            Step(d(2027, 6, 2), "record", "publication https://northshire.example.org/reviews/rr-2026-001"),
            Step(d(2027, 6, 3), "stage", "actions"),
            Step(d(2027, 6, 10), "stage", "closed"),
        ],
        "wales": [
            Step(START, "notify"),
            Step(d(2027, 1, 12), "record", "case_review_group"),
            Step(d(2027, 1, 18), "decision"),
            Step(d(2027, 1, 19), "sign"),
            Step(d(2027, 1, 19), "sent"),
            Step(d(2027, 2, 10), "record", "reviewers_appointed"),
            Step(d(2027, 7, 1), "record", "final_report"),
            Step(d(2027, 7, 20), "record", "action_plan"),
            Step(d(2027, 7, 22), "record", "repository https://cwmteg.example.org/reviews/susr-2026-001"),
            Step(d(2027, 7, 23), "stage", "actions"),
            Step(d(2027, 7, 30), "stage", "closed"),
        ],
        "scotland": [
            Step(START, "notify"),
            Step(d(2027, 1, 14), "decision"),
            Step(d(2027, 1, 15), "sign"),
            Step(d(2027, 1, 15), "sent"),
            Step(d(2027, 6, 1), "record", "final_report"),
            Step(d(2027, 6, 10), "record", "outcome_ratified"),
            Step(d(2027, 6, 14), "record", "outcome_notified"),
            Step(d(2027, 6, 15), "stage", "actions"),
            Step(d(2027, 6, 22), "stage", "closed"),
        ],
        "northern_ireland": [
            Step(START, "notify"),
            Step(d(2027, 1, 15), "decision"),
            Step(d(2027, 1, 18), "sign"),
            Step(d(2027, 1, 18), "sent"),
            Step(d(2027, 6, 30), "record", "final_report"),
            Step(d(2027, 7, 5), "record", "publication https://loughside.example.org/cmr/cmr-2026-001"),
            Step(d(2027, 7, 6), "stage", "actions"),
            Step(d(2027, 7, 13), "stage", "closed"),
        ],
    }
    return steps[nation]


async def _existing_cases(url: str) -> int:
    db = Database(url)
    try:
        await upgrade(db)
        async with db.read() as session:
            return int(await session.scalar(select(func.count()).select_from(Case)) or 0)
    finally:
        await db.dispose()


async def run_nation_demo(nation: str, out: Out, database_url: str | None = None) -> int:
    if nation not in PARTNERSHIPS:
        out(f"Unknown nation {nation!r}: choose one of {', '.join(PARTNERSHIPS)}.")
        return 2
    with tempfile.TemporaryDirectory(prefix="reviewbot-demo-") as tmp:
        url = database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'demo.sqlite3'}"
        earlier = await _existing_cases(url)
        clock = FakeClock(london_datetime(START, 9, 0))
        fake = FakeSlack(bot_token=BOT_TOKEN, app_token=APP_TOKEN, clock=clock)
        # Channel ids must not collide with cases an earlier run left in the same database.
        fake._counter = 100_000 * (earlier + 1)
        await fake.start()
        harness = await Harness.start(
            database_url=url, clock=clock, config_path=NATIONS_CONFIG, fake=fake, run_migrations=False
        )
        try:
            partnership = harness.services.config.partnership(PARTNERSHIPS[nation])
            walk = Walk(harness, partnership, out)
            out(f"ReviewBot demo, {partnership.name}: notification to closure, day by day.")
            await walk.run(plan(nation))
            await _summary(walk, out)
        except WalkFailed as exc:
            out(f"\nDEMO FAILED: {exc}")
            return 1
        except Exception as exc:  # the demo must say what broke, not dump a stack trace
            out(f"\nDEMO FAILED: unexpected {type(exc).__name__}: {exc}")
            return 1
        finally:
            await harness.close()
    if database_url:
        out(f"The database is left at {database_url}: `reviewbot cases export --all --format json`.")
    out("\nDemo finished: every step behaved as expected.")
    return 0


async def _summary(walk: Walk, out: Out) -> None:
    case = await walk.case()
    if case.stage != "closed":
        raise WalkFailed(f"the case ended at {case.stage}, not closed")
    out(f"\n{case.reference}: every deadline, as the bot dated and marked it:")
    for rule_id, row in sorted((await walk.deadlines()).items(), key=lambda kv: kv[1].position):
        due = format_day(row.due_on) if row.due_on else "no date"
        state = (
            f"not applicable ({row.not_applicable_reason})"
            if row.not_applicable_reason
            else (f"met {row.met_on:%d/%m/%Y}" if row.met_on else "open")
        )
        out(f"  {rule_id}: due {due}; {state}")
        if row.due_on is None and not row.not_applicable_reason:
            raise WalkFailed(f"{rule_id} has no date at closure")
