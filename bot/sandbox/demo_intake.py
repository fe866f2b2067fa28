"""The demo's first day: help, a due date, the notification (refused, then accepted), the case
channel and card, two refusals, the notification recorded as sent, the checklist and a ticked item."""

from __future__ import annotations

import re
from typing import Any

from bot.sandbox.demo_story import (
    BM,
    LA_LEAD,
    POLICE_LEAD,
    DemoFailed,
    Story,
    element,
    elements,
    latest_case_id,
)
from bot.sandbox.fake_slack.records import Message
from bot.sandbox.harness import OUTSIDER
from bot.sandbox.signed_requests import (
    checkboxes,
    datepicker,
    multi_static_select,
    radio_buttons,
    static_select,
    text_value,
)
from bot.slack.ids import ActionId, CallbackId


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


async def intake(story: Story) -> None:
    h = story.h
    story.say("Business clock: Friday 18 December 2026, 10:00.", 0)

    story.step(f"The business manager ({story.who(BM)}) asks for help:  /review help")
    answer = await story.command("help", BM, "C0GENERAL")
    story.expect("/review notify" in answer, "help lists /review notify")
    story.say(answer)

    story.step("The business manager checks a date:  /review due 15 working days from 23/12/2026")
    answer = await story.command("due 15 working days from 23/12/2026", BM, "C0GENERAL")
    story.expect("Monday 18 January 2027" in answer, "15 working days from 23/12/2026 is 18 January 2027")
    story.say(answer)

    story.step("The business manager starts a notification:  /review notify")
    await story.command("notify", BM, "C0GENERAL")
    stack = h.fake.view_stack(BM)
    story.expect(bool(stack), "the notification form opened")
    story.say(f"A form opens, '{stack[-1]['title']['text']}':")
    story.say(story.blocks(stack[-1]["blocks"]), 8)

    story.step("They type a summary with an address and a name in it; the form refuses it beside the field:")
    bad = notification_values("Child A was found at 12 Example Road by Mrs Sampleperson.")
    reply = await h.submit_view(
        h.slack.view_submission(CallbackId.NOTIFICATION_MODAL, user_id=BM, values=bad), BM
    )
    errors = reply.json().get("errors", {}) if reply.content else {}
    story.expect("summary" in errors, "the identifying summary was refused")
    story.say("Summary: " + errors["summary"])
    story.expect(await latest_case_id(story) is None, "nothing was saved")
    story.say("Nothing was saved.")

    story.step("They resubmit with a pseudonymised summary:")
    good = notification_values("Child A was taken to hospital; police attended the family home.")
    reply = await h.submit_view(
        h.slack.view_submission(CallbackId.NOTIFICATION_MODAL, user_id=BM, values=good), BM
    )
    body = reply.json() if reply.content else {}
    story.expect(body.get("response_action") == "update", "the case opened")
    story.say(story.blocks(body["view"]["blocks"]))
    story.case_id = await latest_case_id(story)
    case = await story.case()
    channel = h.fake.channels.get(case.channel_id or "")
    story.expect(channel is not None and channel.is_private, "a private case channel was created")
    assert channel is not None
    members = sorted(story.who(m) for m in channel.members if m != h.fake.bot_user_id)
    story.say(f"Private channel #{channel.name} created; the bot invited: {'; '.join(members)}.")
    card = story.posts(channel.id)[0]
    story.expect(card.pinned, "the case card is pinned")
    story.say("The pinned case card:")
    story.say(story.shown(card), 8)

    story.step(f"{story.who(OUTSIDER).capitalize()} tries /review status in the case channel:")
    answer = await story.command("status", OUTSIDER)
    story.expect("not set up" in answer, "the outsider was refused")
    story.say(answer)

    story.step(f"The police lead ({story.who(POLICE_LEAD)}) presses 'Notification sent today' on the card:")
    button = element(card, ActionId.RECORD_NOTIFICATION_SENT)
    press = h.slack.block_action(
        str(button["action_id"]),
        user_id=POLICE_LEAD,
        value=str(button["value"]),
        channel_id=channel.id,
        message_ts=card.ts,
    )
    await h.send(press)
    refusal = h.fake.responses[-1].text if h.fake.responses else ""
    story.expect("Only" in refusal, "the police lead was refused on the button")
    story.say(story.text(refusal))
    story.expect(card.edited == 0, "the card did not change")
    story.say("The card did not change.")

    story.step("The business manager presses it:")
    await h.send(
        h.slack.block_action(
            str(button["action_id"]),
            user_id=BM,
            value=str(button["value"]),
            channel_id=channel.id,
            message_ts=card.ts,
        )
    )
    updated = h.fake.message(channel.id, card.ts)
    story.expect(updated is not None and updated.edited > 0, "the card was updated in place")
    story.expect("Rapid review" in story.shown(updated), "the case moved to the rapid review")
    story.say("The same message now reads (the case is at the rapid review, its clock started):")
    story.say(story.shown(updated), 8)

    story.step("The business manager records that the partners were told:  /review record partners_told")
    answer = await story.command("record partners_told", BM)
    story.expect("Recorded" in answer, "telling the partners was recorded")
    story.say(answer)

    story.step("The business manager lists cases:  /review cases")
    answer = await story.command("cases", BM, "C0GENERAL")
    story.expect(case.reference in answer, "the case is listed")
    story.say(answer)

    story.step("The rapid review checklist, posted in the case channel:  /review checklist")
    await story.command("checklist", BM)
    checklist = _checklist(story, channel.id, card.ts)
    story.say(story.shown(checklist), 8)

    story.step(f"The LA lead ({story.who(LA_LEAD)}) ticks the first open item, from its menu:")
    menu = element(checklist, ActionId.CHECKLIST_ITEM)
    done = next(o for o in menu.get("options", []) if str(o.get("value", "")).startswith("done|"))
    before = _done_count(story.shown(checklist))
    await h.send(
        h.slack.block_action(
            str(menu["action_id"]),
            user_id=LA_LEAD,
            selected_option=str(done["value"]),
            channel_id=channel.id,
            message_ts=checklist.ts,
        )
    )
    after_message = h.fake.message(channel.id, checklist.ts)
    after = _done_count(story.shown(after_message))
    story.claim(after == before + 1, f"The checklist message now says {after} done (it said {before}):")
    story.say("\n".join(story.shown(after_message).splitlines()[:6]), 8)


def _checklist(story: Story, channel: str, card_ts: str) -> Message:
    for message in story.posts(channel):
        if message.ts != card_ts and any(
            str(e.get("action_id", "")).startswith(ActionId.CHECKLIST_ITEM) for e in elements(message)
        ):
            return message
    raise DemoFailed("the checklist was posted in the case channel")


def _done_count(text: str) -> int:
    found = re.search(r"(\d+) of \d+ done", text)
    if found is None:
        raise DemoFailed("the checklist says how many items are done")
    return int(found.group(1))
