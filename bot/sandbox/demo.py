"""`reviewbot demo`: the bot and the local Slack stand-in on loopback, driven by a script.

No Slack account and no settings: a temporary SQLite database, the bundled synthetic partnership
file, and signed HTTP requests to the real endpoint. It prints what each person saw, with Block
Kit rendered as text, and exits 0 when every step behaved as expected (non-zero otherwise).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bot.clock import FakeClock
from bot.reminders.models import Reminder
from bot.reminders.scheduler import tick
from bot.sandbox.harness import OUTSIDER, Harness
from bot.sandbox.render import render_blocks_as_text
from bot.sandbox.signed_requests import (
    checkboxes,
    datepicker,
    multi_static_select,
    radio_buttons,
    static_select,
    text_value,
)
from bot.slack.ids import ActionId, CallbackId

BM = "U0BM00001"
CHAIR = "U0CHAIR01"
POLICE_LEAD = "U0POLEAD1"
DEMO_START = datetime(2026, 12, 18, 10, 0, tzinfo=UTC)  # Friday 18 December 2026, 10:00 in London

Out = Callable[[str], None]


class DemoFailed(Exception):
    pass


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


def notification_values(summary: str) -> dict[str, Any]:
    return {
        "type": {"type": static_select("death")},
        "aware_date": {"aware_date": datepicker("2026-12-18")},
        "abuse": {"abuse": radio_buttons("suspected")},
        "child_0_pseudonym": {"child_0_pseudonym": text_value("Child A")},
        "child_0_age": {"child_0_age": static_select("5_9")},
        "child_0_status": {"child_0_status": static_select("child_in_need")},
        "agencies": {"agencies": multi_static_select(["la", "police", "icb", "education"])},
        "police": {"police": static_select("yes")},
        "media": {"media": checkboxes([])},
        "summary": {"summary": text_value(summary)},
    }


async def run_demo(out: Out) -> int:
    with tempfile.TemporaryDirectory(prefix="reviewbot-demo-") as tmp:
        clock = FakeClock(DEMO_START)
        harness = await Harness.start(
            database_url=f"sqlite+aiosqlite:///{Path(tmp) / 'demo.sqlite3'}", clock=clock, over_http=True
        )
        try:
            await _script(harness, out)
        except DemoFailed as exc:
            out(f"\nDEMO FAILED: {exc}")
            return 1
        except Exception as exc:  # the demo must say what broke, not dump a stack trace
            out(f"\nDEMO FAILED: unexpected {type(exc).__name__}: {exc}")
            return 1
        finally:
            await harness.close()
    out("\nDemo finished: every step behaved as expected.")
    return 0


def _expect(condition: bool, what: str) -> None:
    if not condition:
        raise DemoFailed(what)


async def _script(h: Harness, out: Out) -> None:
    out(f"ReviewBot demo: bot at {h.url}, local Slack stand-in at {h.fake.url}")
    out("Business clock: Friday 18 December 2026, 10:00 (London). Partnership: Northshire (synthetic).\n")

    out("1. The business manager asks for help:  /review help")
    reply = await h.command("help", user=BM)
    _expect(reply.status_code == 200 and "/review notify" in reply.json()["text"], "help answered")
    out(_indent(reply.json()["text"]))

    out("\n2. The business manager checks a date:  /review due 15 working days from 23/12/2026")
    reply = await h.command("due 15 working days from 23/12/2026", user=BM)
    _expect("2027" in reply.json()["text"], "due date answered")
    out(_indent(reply.json()["text"]))

    out("\n3. The business manager starts a notification:  /review notify")
    reply = await h.command("notify", user=BM)
    stack = h.fake.view_stack(BM)
    _expect(reply.status_code == 200 and bool(stack), "modal opened")
    out(f"    A modal opens: '{stack[-1]['title']['text']}' with {len(stack[-1]['blocks'])} blocks.")

    out("\n4. They type a summary that contains an address and a name; the bot refuses it beside the field:")
    bad = notification_values("Child A was found at 12 Example Road by Mrs Sampleperson.")
    reply = await h.submit_view(
        h.slack.view_submission(CallbackId.NOTIFICATION_MODAL, user_id=BM, values=bad), BM
    )
    errors = reply.json().get("errors", {})
    _expect("summary" in errors, "identifying summary refused")
    out(_indent("Summary: " + errors["summary"]))

    out("\n5. They resubmit with a pseudonymised summary:")
    good = notification_values("Child A was taken to hospital; police attended the family home.")
    reply = await h.submit_view(
        h.slack.view_submission(CallbackId.NOTIFICATION_MODAL, user_id=BM, values=good), BM
    )
    _expect(reply.status_code == 200 and reply.json().get("response_action") == "update", "case opened")
    out(_indent(render_blocks_as_text(reply.json()["view"]["blocks"])))
    channels = [c for c in h.fake.channels.values() if c.name.startswith("rr-")]
    _expect(len(channels) == 1, "case channel created")
    channel = channels[0]
    out(f"    Private channel #{channel.name} created; members: {', '.join(sorted(channel.members))}")
    card = h.fake.messages(channel.id)[0]
    _expect(card.pinned, "card pinned")
    out("    Pinned case card:")
    out(_indent(_indent(card.rendered())))

    out(f"\n6. Someone outside the partnership ({OUTSIDER}) tries /review status in the case channel:")
    reply = await h.command("status", user=OUTSIDER, channel=channel.id)
    _expect("not set up" in reply.json()["text"], "outsider refused")
    out(_indent(reply.json()["text"]))

    out("\n7. The police lead presses 'Notification sent today' on the card (only the business unit may):")
    press = h.slack.block_action(
        ActionId.RECORD_NOTIFICATION_SENT,
        user_id=POLICE_LEAD,
        value=_case_id(card),
        channel_id=channel.id,
        message_ts=card.ts,
    )
    await h.send(press)
    refusal = h.fake.responses[-1].text if h.fake.responses else ""
    _expect("Only" in refusal, "police lead refused on the button")
    out(_indent(refusal))

    out("\n8. The business manager records that the notification was sent today:")
    await h.send(
        h.slack.block_action(
            ActionId.RECORD_NOTIFICATION_SENT,
            user_id=BM,
            value=_case_id(card),
            channel_id=channel.id,
            message_ts=card.ts,
        )
    )
    updated = h.fake.message(channel.id, card.ts)
    _expect(updated is not None and updated.edited > 0, "card updated in place")
    assert updated is not None
    out(f"    The same card (ts {card.ts}) now reads:")
    out(_indent(_indent(updated.rendered())))

    out("\n9. The business manager lists cases:  /review cases")
    reply = await h.command("cases", user=BM)
    out(_indent(reply.json()["text"]))

    out("\n10. The checklist for the rapid review is in the case channel:  /review checklist")
    reply = await h.command("checklist", user=BM, channel=channel.id)
    _expect(reply.status_code == 200, "checklist answered")
    checklist_posts = [m for m in h.fake.messages(channel.id) if m.ts != card.ts]
    _expect(bool(checklist_posts), "checklist message posted")
    out(_indent(_indent("\n".join(checklist_posts[0].rendered().splitlines()[:14]) + "\n    ...")))

    out("\n11. The worker runs each morning up to Wednesday 6 January 2027 (reminders go out at 09:00):")
    clock = h.services.clock
    assert isinstance(clock, FakeClock)
    day = datetime(2026, 12, 19, 8, 30, tzinfo=UTC)  # 08:30 and 09:00 London are UTC in winter
    while day <= datetime(2027, 1, 6, 8, 30, tzinfo=UTC):
        for moment in (day, day + timedelta(minutes=30)):
            clock.set(moment)
            await tick(h.services)
            await h.services.tasks.drain()
        day += timedelta(days=1)
    dm = h.fake.messages(h.fake.dm_channel(BM))
    _expect(bool(dm), "a reminder reached the business manager")
    out(f"    {len(dm)} direct message(s) to the business manager; the latest:")
    out(_indent(_indent(dm[-1].rendered())))
    digests = h.fake.messages(h.fake.dm_channel(CHAIR))
    out(
        f"    The chair received {len(digests)} direct message(s), including the Monday digests "
        "(Monday 28 December is a bank holiday, so that week's went on Tuesday 29th)."
    )

    out("\n12. The chair asks for a partnership summary on the board channel:  /review board")
    await h.command("board", user=CHAIR)
    board = h.fake.messages("C0BOARD001")
    _expect(bool(board), "board summary posted")
    text = h.fake.all_text_for_channel("C0BOARD001")
    _expect("Child A" not in text, "no pseudonym on the board channel")
    out(_indent(_indent("\n".join(board[-1].rendered().splitlines()[:16]))))
    out("    (references only: no pseudonyms or free text reach the board channel)")

    out("\n13. The chair previews this week's digest:  /review digest preview")
    reply = await h.command("digest preview", user=CHAIR)
    out(_indent(_indent("\n".join(str(reply.json().get("text", "")).splitlines()[:12]))))

    async with h.services.db.session() as session:
        counts = dict(
            (await session.execute(select(Reminder.status, func.count()).group_by(Reminder.status)))
            .tuples()
            .all()
        )
    out(
        f"\n14. Reminder rows in the database: {counts} (each sent exactly once, by its unique key; "
        "a 'superseded' one was covered by a newer one sent to the same place)."
    )


def _case_id(card: Any) -> str:
    for block in card.blocks or []:
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element.get("action_id") == ActionId.RECORD_NOTIFICATION_SENT:
                return str(element["value"])
    raise DemoFailed("the card has no 'Notification sent' button: " + json.dumps(card.blocks)[:200])
