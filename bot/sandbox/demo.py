"""`reviewbot demo`: the bot and the local Slack stand-in on loopback, one review told from start to end.

No Slack account and no settings: a temporary SQLite database, the bundled synthetic partnership
file, and signed HTTP requests to the real endpoint, sent the way Slack sends them. The story runs
from the notification to the case's closure (agency returns, the decision, every partner's sign-off,
the Panel, the pack, meetings, findings, actions, publication), with the worker ticking each morning
in between. It prints what each person saw, with Block Kit rendered as text, people named by their
role label and times in UK time, and checks every claim it prints against what happened: it exits 0
when every step behaved as expected, non-zero (saying which claim failed) otherwise.

The chapters are bot.sandbox.demo_intake, demo_rapid_review and demo_afterwards; the people and
what they can do are bot.sandbox.demo_story.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bot.clock import FakeClock
from bot.sandbox.demo_afterwards import afterwards
from bot.sandbox.demo_intake import intake
from bot.sandbox.demo_rapid_review import rapid_review
from bot.sandbox.demo_story import DEMO_START, DemoFailed, Out, Story
from bot.sandbox.harness import Harness


async def run_demo(out: Out) -> int:
    with tempfile.TemporaryDirectory(prefix="reviewbot-demo-") as tmp:
        clock = FakeClock(DEMO_START)
        harness = await Harness.start(
            database_url=f"sqlite+aiosqlite:///{Path(tmp) / 'demo.sqlite3'}", clock=clock, over_http=True
        )
        try:
            story = Story(harness, out)
            out(f"ReviewBot demo: bot at {harness.url}, local Slack stand-in at {harness.fake.url}")
            out(
                f"Partnership: {story.partnership.name}. Everyone in it is a role from the partnership "
                "file, shown by its label; every time is UK time."
            )
            await intake(story)
            await rapid_review(story)
            await afterwards(story)
        except DemoFailed as exc:
            out(f"\nDEMO FAILED: this did not happen as the demo expected: {exc}")
            return 1
        except Exception as exc:  # the demo must say what broke, not dump a stack trace
            out(f"\nDEMO FAILED: unexpected {type(exc).__name__}: {exc}")
            return 1
        finally:
            await harness.close()
    out(
        "\nDemo finished: every step behaved as expected. "
        "Every claim above was checked against what happened."
    )
    return 0
