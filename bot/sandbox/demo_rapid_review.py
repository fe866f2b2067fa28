"""The demo's rapid review: reminders and the chair's digests over Christmas, agency returns, the
decision, every partner's sign-off, the pack for the Panel, the Panel told and its reply."""

from __future__ import annotations

from datetime import date

from bot.sandbox.demo_story import (
    BM,
    CHAIR,
    EDUCATION_LEAD,
    ICB_LEAD,
    LA_LEAD,
    POLICE_LEAD,
    POLICE_SIGNATORY,
    DemoFailed,
    Story,
    day_text,
    element,
    elements,
    label_of,
    sent_on,
)
from bot.sandbox.fake_slack.records import Message
from bot.sandbox.lifecycle_walk import decision_values
from bot.slack.ids import ActionId, CallbackId

RETURNS = (
    (LA_LEAD, "la", "received"),
    (POLICE_LEAD, "police", "received"),
    (ICB_LEAD, "icb", "received"),
    (EDUCATION_LEAD, "education", "nil"),
)
SIGNERS = ((LA_LEAD, "la"), (POLICE_SIGNATORY, "police"), (ICB_LEAD, "icb"))


async def rapid_review(story: Story) -> None:
    await _over_christmas(story)
    await _returns(story)
    await _decision(story)
    await _sign_offs(story)
    await _panel(story)


async def _over_christmas(story: Story) -> None:
    first, last = await story.mornings(date(2027, 1, 6))
    story.step(f"The worker runs every morning from {day_text(first)} to {day_text(last)}:")
    reminders = story.dms(BM)
    story.claim(
        bool(reminders), f"The business manager received {len(reminders)} direct message(s); the latest:"
    )
    story.say(story.shown(reminders[-1]), 8)
    digests = [m for m in story.dms(CHAIR) if "Weekly digest" in (m.text or "")]
    days = [sent_on(m) for m in digests]
    story.claim(
        date(2026, 12, 21) in days and date(2026, 12, 29) in days and date(2026, 12, 28) not in days,
        "The chair's weekly digest came on Monday 21 December and, because Monday 28 December is a "
        "bank holiday, on Tuesday 29 December; sent on: " + ", ".join(day_text(d) for d in days) + ".",
    )
    story.say("The latest digest, as the chair sees it:")
    story.say(story.shown(digests[-1]), 8)


async def _returns(story: Story) -> None:
    story.step("Each agency sends its return for the rapid review, in the case channel:")
    for user, agency, what in RETURNS:
        answer = await story.command(f"returns {agency} {what}", user)
        story.say(f"{story.who(user)}:  /review returns {agency} {what}")
        story.expect(
            f"{RETURNS.index((user, agency, what)) + 1} of 4 in" in answer, f"{agency}'s return counted"
        )
        story.say(answer.splitlines()[0], 8)
    answer = await story.command("returns", BM)
    story.say("The business manager asks who is still to send theirs:  /review returns")
    story.expect("4 of 4" in answer or "all" in answer.lower(), "every agency's return is in")
    story.say(answer, 8)


async def _decision(story: Story) -> None:
    _first, last = await story.mornings(date(2027, 1, 7))
    h = story.h
    story.step(f"{day_text(last)}: the business manager records the decision:  /review decision")
    await story.command("decision", BM)
    stack = h.fake.view_stack(BM)
    story.expect(
        bool(stack) and stack[-1]["callback_id"] == CallbackId.DECISION_MODAL, "the decision form opened"
    )
    request = h.slack.view_submission(
        CallbackId.DECISION_MODAL, user_id=BM, values=decision_values("lcspr"), view_id=stack[-1]["id"]
    )
    reply = await h.submit_view(request, BM)
    story.expect(not (reply.content and reply.json().get("errors")), "the decision was accepted")
    message = _decision_message(story, await story.channel())
    story.say("The decision is posted in the case channel for each partner to sign off:")
    story.say(story.shown(message), 8)


def _decision_message(story: Story, channel: str) -> Message:
    for message in reversed(story.posts(channel)):
        if any(str(e.get("action_id", "")).startswith(ActionId.SIGN_OFF) for e in elements(message)):
            return message
    raise DemoFailed("the decision message with sign-off buttons is in the case channel")


async def _sign_offs(story: Story) -> None:
    await story.mornings(date(2027, 1, 8))
    h = story.h
    channel = await story.channel()
    message = _decision_message(story, channel)
    story.step(f"The police lead ({story.who(POLICE_LEAD)}) tries to sign off for the police:")
    button = element(message, f"{ActionId.SIGN_OFF}:police")
    await h.send(
        h.slack.block_action(
            str(button["action_id"]),
            user_id=POLICE_LEAD,
            value=str(button["value"]),
            channel_id=channel,
            message_ts=message.ts,
        )
    )
    refusal = h.fake.responses[-1].text if h.fake.responses else ""
    story.expect(bool(refusal) and "sign" in refusal.lower(), "the police lead, not a signatory, was refused")
    story.say(story.text(refusal))
    story.step("Each partner's signatory signs off:")
    for user, agency in SIGNERS:
        button = element(h.fake.message(channel, message.ts), f"{ActionId.SIGN_OFF}:{agency}")
        await h.send(
            h.slack.block_action(
                str(button["action_id"]),
                user_id=user,
                value=str(button["value"]),
                channel_id=channel,
                message_ts=message.ts,
            )
        )
        story.say(f"{story.who(user)} presses '{label_of(button)}'.")
    signed = story.shown(h.fake.message(channel, message.ts))
    case = await story.case()
    story.expect(
        all(story.who(user) in signed for user, _ in SIGNERS), "every sign-off shows on the decision"
    )
    story.say("The decision message now reads:")
    story.say(signed, 8)
    story.claim(
        case.stage != "rapid_review", f"Every partner has signed off; the case is now at '{case.stage}'."
    )


async def _panel(story: Story) -> None:
    h = story.h
    channel = await story.channel()
    story.step("The business manager makes the pack for the Panel:  /review export")
    before = len(h.fake.files)
    await story.command("export", BM)
    made = [f for f in h.fake.files[before:] if f.channel_id == channel]
    kinds = sorted(f.name.rsplit(".", 1)[-1] for f in made)
    story.claim(
        kinds == ["docx", "md"], "Uploaded to the case channel only: " + ", ".join(f.name for f in made)
    )
    story.step("The rapid review goes to the Panel:  /review panel sent")
    answer = await story.command("panel sent", BM)
    story.expect("Recorded" in answer, "the sending was recorded")
    story.say(answer)
    _first, last = await story.mornings(date(2027, 1, 20))
    story.step(f"{day_text(last)}: the Panel agrees with the decision:  /review panel reply agrees")
    answer = await story.command("panel reply agrees", BM)
    story.expect("Recorded" in answer, "the Panel's reply was recorded")
    story.say(answer)
    case = await story.case()
    card = story.h.fake.message(channel, story.posts(channel)[0].ts)
    story.say(f"The case card ({case.reference}, stage '{case.stage}') now reads:")
    story.say(story.shown(card), 8)
