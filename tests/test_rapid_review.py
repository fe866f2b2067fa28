"""The rapid review end to end: checklist ticks by agency, refusals, the decision, sign-offs voided by
an edit, and the pack for the Panel, through signed requests against the Slack stand-in."""

from __future__ import annotations

import asyncio
import io
from datetime import date

import docx
from sqlalchemy import select

from bot.actions.models import Action
from bot.cases.models import Case
from bot.sandbox.harness import Harness, ephemeral_text
from bot.slack.ids import ActionId
from tests.intake_helpers import BM, EDU_LEAD, LA_LEAD, POLICE_LEAD, all_cases
from tests.rapid_review_helpers import (
    ICB_LEAD,
    POLICE_SIGNATORY,
    decision_of,
    decision_values,
    items,
    last_response,
    open_rapid_review,
    review_of,
    sign,
    sign_offs,
    submit_decision,
    tick,
)


async def _case(h: Harness) -> Case:
    [case] = await all_cases(h)
    return case


async def test_rapid_review_end_to_end(harness: Harness) -> None:
    case = await open_rapid_review(harness)
    assert case.stage == "rapid_review" and case.channel_id
    rr = await review_of(harness, case.id)
    ts = rr.checklist_ts
    assert ts is not None
    first = harness.fake.message(case.channel_id, ts)
    assert first is not None and first.pinned
    first_seen = first.rendered()
    assert first.text.startswith("RR-2026-001 rapid review checklist") and "R17" in first_seen
    listed = await items(harness, case.id)
    assert "R6" not in listed  # looked-after child deaths only
    assert listed["R10"].owner_agency == "la" and listed["R11"].owner_agency == "police"
    assert listed["R12"].owner_agency == "icb" and listed["R13"].owner_agency == "education"
    # day 0 Friday 18 December 2026; working day 10 skips Christmas, Boxing Day (28th) and New Year's Day
    assert listed["R10"].target_on == date(2027, 1, 6)
    assert listed["R21"].target_on == date(2027, 1, 13)

    # three agencies tick their own items
    for code, user in (("R10", LA_LEAD), ("R11", POLICE_LEAD), ("R12", ICB_LEAD)):
        assert (await tick(harness, case, listed[code], user)).status_code == 200
    # someone from a fourth agency is refused on another agency's item, and nothing changes
    await tick(harness, case, listed["R17"], EDU_LEAD)
    assert "belongs to Northshire Council Children's Services" in last_response(harness)
    after = await items(harness, case.id)
    assert [after[c].status for c in ("R10", "R11", "R12", "R17")] == ["done", "done", "done", "todo"]
    assert after["R10"].changed_by == LA_LEAD and after["R10"].done_on == date(2026, 12, 18)

    # the same message, edited in place, now shows the ticks
    message = harness.fake.message(case.channel_id, ts)
    assert message is not None and message.edited >= 3
    assert (await review_of(harness, case.id)).checklist_ts == ts
    shown = message.rendered()
    assert "✓ R10" in shown and shown != first_seen
    # the police's and the ICB's only items are done: their groups collapse to one line
    assert (
        "*Northshire Constabulary* · all done" in shown
        and "*NHS Northshire Integrated Care Board* · all done" in shown
    )
    assert "✓ R1 · ✓ R2" in shown  # ticked by the notification being sent

    # the decision
    ack = await submit_decision(harness, case, decision_values())
    assert "response_action" not in ack, ack
    decision = await decision_of(harness, case.id)
    assert decision is not None and decision.version == 1 and decision.recommendation == "lcspr"
    assert decision.constraints == ["nothing_to_family"]
    async with harness.services.db.session() as s:
        actions = list((await s.execute(select(Action).where(Action.case_id == case.id))).scalars())
    assert [(a.source, a.owner_agency, a.due_on) for a in actions] == [
        ("rapid_review_immediate", "la", date(2027, 1, 8))
    ]
    rr = await review_of(harness, case.id)
    assert rr.decision_ts is not None
    decision_message = harness.fake.message(case.channel_id, rr.decision_ts)
    assert decision_message is not None
    assert "Police ask that nothing is shared with the family yet" in decision_message.rendered()
    assert (await items(harness, case.id))["R19"].status == "done"  # ticked by recording the decision

    # a signatory can only sign for their own agency
    await sign(harness, case, "police", LA_LEAD)
    assert "Only a signatory for Northshire Constabulary" in last_response(harness)
    # three sign-offs
    for agency, user in (("la", LA_LEAD), ("police", POLICE_SIGNATORY), ("icb", ICB_LEAD)):
        assert (await sign(harness, case, agency, user)).status_code == 200
    assert [(s.agency_id, s.decision_version, s.voided_at) for s in await sign_offs(harness, case.id)] == [
        ("la", 1, None),
        ("police", 1, None),
        ("icb", 1, None),
    ]
    assert (await _case(harness)).stage == "decision"
    assert (await items(harness, case.id))["R20"].status == "done"
    decision_message = harness.fake.message(case.channel_id, rr.decision_ts)
    assert decision_message is not None and "3 of 3 partners" in decision_message.rendered()

    # an edit after sign-off voids them and tells the signatories
    ack = await submit_decision(
        harness,
        case,
        decision_values(
            rationale="Agencies held different parts of the picture; the police view changed the weighting."
        ),
    )
    assert "response_action" not in ack, ack
    assert (await decision_of(harness, case.id)).version == 2  # type: ignore[union-attr]
    assert all(s.voided_at is not None for s in await sign_offs(harness, case.id))
    assert (await _case(harness)).stage == "rapid_review"
    assert (await items(harness, case.id))["R20"].status == "todo"
    for user in (LA_LEAD, POLICE_SIGNATORY, ICB_LEAD):
        dms = harness.fake.messages(harness.fake.dm_channel(user))
        assert any("sign-off is void" in m.text and "version 2" in m.text for m in dms), user
    decision_message = harness.fake.message(case.channel_id, rr.decision_ts)
    assert decision_message is not None
    assert "version 2" in decision_message.rendered() and "0 of 3 partners" in decision_message.rendered()
    async with harness.services.db.session() as s:  # the same immediate action was not added twice
        assert len(list((await s.execute(select(Action).where(Action.case_id == case.id))).scalars())) == 1

    # the pack for the Panel
    reply = await harness.command("export", user=BM, channel=case.channel_id)
    assert "Preparing the pack" in ephemeral_text(reply)
    files = {f.name: f for f in harness.fake.files}
    assert set(files) == {"RR-2026-001-rapid-review-pack.docx", "RR-2026-001-rapid-review-pack.md"}
    assert all(f.channel_id == case.channel_id for f in files.values())
    document = docx.Document(io.BytesIO(files["RR-2026-001-rapid-review-pack.docx"].content or b""))
    headings = [
        p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")
    ]
    for title in (
        "Case facts",
        "Rapid review timeline",
        "Agency returns",
        "Key practice episodes",
        "Decision and rationale",
        "Immediate safeguarding actions",
        "Sign-offs",
        "Deadlines met or missed",
    ):
        assert title in headings, title
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Missed referral in October" in text and "Strategy discussion for the siblings" in cells
    assert "Constraint: Police ask that nothing is shared with the family yet" in text
    assert "RR-2026-001" in text and "Child A" in cells
    markdown = (files["RR-2026-001-rapid-review-pack.md"].content or b"").decode()
    assert "## Decision and rationale" in markdown and "## Deadlines met or missed" in markdown


async def test_two_people_ticking_at_the_same_moment_both_show(harness: Harness) -> None:
    case = await open_rapid_review(harness)
    listed = await items(harness, case.id)
    rr = await review_of(harness, case.id)
    responses = await asyncio.gather(
        tick(harness, case, listed["R10"], LA_LEAD, drain=False),
        tick(harness, case, listed["R7"], BM, drain=False),
        tick(harness, case, listed["R11"], POLICE_LEAD, drain=False),
    )
    assert [r.status_code for r in responses] == [200, 200, 200]
    await harness.services.tasks.drain()
    after = await items(harness, case.id)
    assert after["R10"].status == after["R7"].status == after["R11"].status == "done"
    assert rr.checklist_ts
    message = harness.fake.message(case.channel_id or "", rr.checklist_ts)
    assert message is not None
    shown = message.rendered()
    # R1 and R2 were ticked by the notification; the three clicks all show, whatever order they landed in
    assert "5 of 27 done" in shown and "✓ R10" in shown and "✓ R7" in shown
    assert "*Northshire Constabulary* · all done" in shown
    assert len([m for m in harness.fake.messages(case.channel_id or "") if "checklist" in m.text]) == 1


async def test_refusals_are_plain_and_change_nothing(harness: Harness) -> None:
    case = await open_rapid_review(harness)
    listed = await items(harness, case.id)
    # a business unit item: only the business unit (or an assignee)
    await tick(harness, case, listed["R7"], POLICE_LEAD)
    assert "Only the business unit" in last_response(harness)
    # the decision is the business unit's or the chair's to record
    reply = await harness.command("decision", user=LA_LEAD, channel=case.channel_id or "")
    assert "Only a business manager or the chair" in ephemeral_text(reply)
    # export: business unit, chair, signatories; an agency lead without the role is refused
    reply = await harness.command("export", user=POLICE_LEAD, channel=case.channel_id or "")
    assert "can export the pack" in ephemeral_text(reply)
    assert harness.fake.files == []
    # commands that need the case say so elsewhere
    reply = await harness.command("checklist", user=BM)
    assert "works in a case channel" in ephemeral_text(reply)
    # no sign-off before there is a decision
    assert (await review_of(harness, case.id)).decision_ts is None
    assert ActionId.SIGN_OFF == "rr_sign_off"
