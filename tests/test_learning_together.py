"""A local review run with the Learning Together model, through the real HTTP endpoint: from the
partners' decision to the draft report. The plan appears with the three case group meetings and their
purposes; the meetings are held and their absentees are sent what was agreed and comment on it; the
conversations with practitioners wait while the police ask for no contact (the scheduler is warned
and may go ahead only on purpose); key practice episodes and findings are linked; publication on hold
shows beside the publication deadline and lifts with its event; the review team sees its work on the
Home tab. And the England demo's export carries all of it."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from bot.actions.models import Finding
from bot.audit import AuditEvent
from bot.case_record.gather import case_records
from bot.clock import FakeClock
from bot.db.engine import Database
from bot.learning_together.models import CaseHold, FindingEpisode, KeyPracticeEpisode, ReviewPlan
from bot.meetings.kinds import MeetingKind
from bot.meetings.models import Meeting, MeetingRecordComment
from bot.rapid_review.models import RapidReviewDecision
from bot.reminders.models import Reminder
from bot.reminders.scheduler import tick
from bot.rules.learning_together import learning_together
from bot.sandbox.harness import Harness
from bot.sandbox.lifecycle_walk import Step, Walk
from bot.sandbox.nation_demo import NATIONS_CONFIG, run_nation_demo
from bot.slack.blockkit import validate_message, validate_view

D = date
LEAD = "U0ENRV0001"
REVIEWER = "U0ENRV0002"
BM = "U0ENBM0001"
LA_LEAD = "U0ENLA0001"
POLICE_LEAD = "U0ENPO0001"
EDU_LEAD = "U0ENED0001"

TO_COMMISSIONING = [
    Step(D(2026, 12, 18), "notify"),
    Step(D(2027, 1, 8), "decision"),
    Step(D(2027, 1, 11), "sign"),
    Step(D(2027, 1, 11), "sent"),
    Step(D(2027, 1, 20), "reply", "agrees"),
]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 12, 18, 9, 0, tzinfo=UTC))


async def rows(h: Harness, model: Any, case_id: int) -> list[Any]:
    async with h.services.db.read() as session:
        query = select(model).where(model.case_id == case_id).order_by(model.id)
        return list((await session.execute(query)).scalars())


def dms(h: Harness, user: str) -> list[str]:
    return [m.rendered() for m in h.fake.messages(h.fake.dm_channel(user))]


async def card(h: Harness, w: Walk) -> str:
    case = await w.case()
    assert case.channel_id and case.card_ts
    message = h.fake.message(case.channel_id, case.card_ts)
    assert message is not None
    return message.rendered()


async def test_learning_together_from_commissioning_to_the_draft_report(
    database_url: str, clock: FakeClock
) -> None:
    h = await Harness.start(
        database_url=database_url, clock=clock, run_migrations=False, config_path=NATIONS_CONFIG
    )
    try:
        w = Walk(h, h.services.config.partnership("northshire"))
        await w.run(TO_COMMISSIONING)
        case = await w.case()
        assert case.stage == "local_review_commissioned"

        # -- the plan appears ----------------------------------------------------------------------
        refused = await w.command("plan", user=LA_LEAD)  # an agency lead is not the review team
        assert "Only" in refused and not await rows(h, ReviewPlan, case.id)
        assert "Name people with @" in await w.command("plan learning-together lead")
        answer = await w.command(f"plan learning-together <@{LEAD}> <@{REVIEWER}>")
        model = learning_together()
        assert "Learning Together review planned" in answer
        assert "2 key practice episode(s) from the rapid review" in answer
        assert "1. *Introductory case group meeting*" in answer
        assert "3. *Follow-on case group meeting 2*: The findings and the draft report" in answer
        assert model.case_group.follow_ons_default == 2
        [plan] = await rows(h, ReviewPlan, case.id)
        assert plan.lead_reviewer_user_id == LEAD and plan.review_team == [REVIEWER] and plan.follow_ons == 2
        case = await w.case()
        assert {LEAD, REVIEWER} <= {m.user_id for m in case.members}  # the review team can see the case
        posted = [m.rendered() for m in h.fake.messages(case.channel_id or "")]
        assert any(
            "Learning Together review plan" in t and "Follow-on case group meeting 1" in t for t in posted
        )
        episodes = await rows(h, KeyPracticeEpisode, case.id)
        assert [e.title for e in episodes] == [
            "Missed referral in October",
            "Health visiting contact after the move",
        ]
        # Commissioning twice changes nothing.
        assert "already has its plan" in await w.command(f"plan learning-together <@{LEAD}>")

        # -- the introductory meeting is held; the absentee is sent what was agreed -----------------
        await w.run(
            [
                Step(D(2027, 1, 22), "lt", "meeting introductory 2027-02-01"),
                Step(D(2027, 2, 1), "lt", "held introductory"),
            ],
            ticks=False,
        )
        [intro] = [m for m in await rows(h, Meeting, case.id) if m.kind == "case_group_introductory"]
        assert intro.purpose == model.case_group.introductory.purpose
        invitation = h.fake.message(intro.channel_id or "", intro.message_ts or "")
        assert invitation is not None and "Purpose:" in invitation.rendered()
        absent = [i.user_id for i in intro.invitees if i.attended is False]
        assert absent == [LA_LEAD] and intro.record_text
        sent = [t for t in dms(h, LA_LEAD) if "which you missed" in t]
        assert sent and "Agreed the timeline" in sent[0] and "Comment on its accuracy" in sent[0]
        assert not [t for t in dms(h, POLICE_LEAD) if "which you missed" in t]  # who came is not sent it
        [comment] = [c for c in await _comments(h) if c.meeting_id == intro.id]
        assert comment.user_id == LA_LEAD and "health visitor" in comment.comment
        assert any(f"@{LA_LEAD} commented on the record" in t for t in dms(h, LEAD))  # the lead reviewer
        shown = await w.command("plan", user=LEAD)
        assert "1 of 1 absent sent what was agreed, 1 comment(s)" in shown and "health visitor" in shown
        actions = [a.action for a in await rows(h, AuditEvent, case.id)]
        assert {"review.plan_commissioned", "meeting.record_sent", "meeting.record_commented"} <= set(actions)

        # -- police ask for no contact: conversations and family contact wait ----------------------
        placed = await w.command("hold no-contact police 01/03/2027 awaiting a charging decision", user=LEAD)
        assert "Held for" in placed
        warned = await w.command("conversation add police 08/02/2027 10:00 response sergeant", user=LEAD)
        assert "Not scheduled" in warned and "the police asked for no contact" in warned
        assert "awaiting a charging decision" in warned and "01/03/2027" in warned and "anyway" in warned
        assert not [m for m in await rows(h, Meeting, case.id) if m.kind == "conversation"]
        family_warned = await w.command("family next 15/02/2027", user=LEAD)
        assert "Not scheduled" in family_warned and "Contact with the family" in family_warned
        done = await w.command("conversation add police 08/02/2027 10:00 response sergeant anyway", user=LEAD)
        assert "arranged during the no-contact hold" in done
        [talk] = [m for m in await rows(h, Meeting, case.id) if m.kind == "conversation"]
        assert (
            talk.during_hold
            and talk.practitioner_agency == "police"
            and talk.practitioner_role == "response sergeant"
        )
        assert "lifted" in await w.command("hold lift no-contact", user=LEAD)
        answer = await w.command("conversation add la 09/02/2027 10:00 social worker", user=LEAD)
        assert "arranged" in answer and "Not scheduled" not in answer
        await w.run(
            [Step(D(2027, 2, 11), "lt", "conversations-done"), Step(D(2027, 2, 11), "lt", "family")],
            ticks=False,
        )
        talks = [m for m in await rows(h, Meeting, case.id) if m.kind == "conversation"]
        assert len(talks) == 2 and all(m.done for m in talks)

        # -- the follow-on meetings; the chair is told who missed the last one ---------------------
        await w.run(
            [
                Step(D(2027, 2, 12), "lt", "meeting follow_on 2027-02-22"),
                Step(D(2027, 2, 22), "lt", "held follow_on 1"),
                Step(D(2027, 2, 23), "lt", "episodes"),
                Step(D(2027, 3, 1), "lt", "findings"),
                Step(D(2027, 3, 2), "lt", "meeting follow_on 2027-03-15"),
                Step(D(2027, 3, 15), "lt", "held follow_on 2"),
            ]
        )
        follow = [
            m for m in await rows(h, Meeting, case.id) if m.kind == MeetingKind.CASE_GROUP_FOLLOW_ON.value
        ]
        assert [m.purpose for m in follow] == [model.follow_on_purpose(1), model.follow_on_purpose(2)]
        assert all(m.attendance_recorded_at and m.record_text for m in follow)
        reminders = [t for t in dms(h, LEAD) if "missed the last case group meeting" in t]
        assert reminders and f"Sent what was agreed: @{LA_LEAD}" in reminders[0]

        # -- episodes and findings are linked ------------------------------------------------------
        episodes = await rows(h, KeyPracticeEpisode, case.id)
        assert (
            len(episodes) == 3
            and episodes[0].contributory_factors
            and episodes[0].agencies == ["la", "education"]
        )
        findings = await rows(h, Finding, case.id)
        async with h.services.db.read() as session:
            links = list((await session.execute(select(FindingEpisode))).scalars())
        assert {(f.typology, f.kind) for f in findings} == {
            ("human_tool", "recommendation"),
            ("longer_term_work", "board_issue"),
        }
        assert len(links) == 3 and {link.finding_id for link in links} == {f.id for f in findings}
        listing = await w.command("episode list", user=LEAD)
        assert (
            "1. *Missed referral in October* (01/10/2026 to 31/10/2026; la, education; 2 finding(s))"
            in listing
        )
        assert "no finding yet" in listing  # episode 2 has none
        assert "Only" in await w.command("episode add", user=POLICE_LEAD)

        # -- the review team's Home tab ------------------------------------------------------------
        await h.send(h.slack.app_home_opened(LEAD))
        home = h.fake.home_view(LEAD)
        assert validate_view(home) == []
        text = json.dumps(home)
        assert "My Learning Together reviews" in text and "with no finding yet" in text
        assert "Family update due" in text
        await h.send(h.slack.app_home_opened(POLICE_LEAD))
        assert "My Learning Together reviews" not in json.dumps(h.fake.home_view(POLICE_LEAD))

        # -- the family's participation, with its reminders -------------------------------------------
        family = await w.command("family", user=LEAD)
        assert "invited to take part" in family and "police family liaison officer" in family
        assert "11/02/2027: explained the review" in family and "Next update: 25/03/2027" in family
        clock.set(datetime(2027, 3, 25, 9, 5, tzinfo=UTC))
        await tick(h.services)
        await h.services.tasks.drain()
        assert any(
            "An update to the family on the review's progress is due 25/03/2027" in t for t in dms(h, LEAD)
        ), (
            [
                (r.kind, r.rung, r.status, r.due_at, r.recipient, r.last_error)
                for r in await rows(h, Reminder, case.id)
                if r.kind == "family"
            ],
            dms(h, LEAD)[-3:],
        )
        clock.set(datetime(2027, 3, 30, 9, 5, tzinfo=UTC))
        await tick(h.services)
        await h.services.tasks.drain()
        assert any("chance to comment before publication closes 09/04/2027" in t for t in dms(h, LEAD)), (
            [
                (r.kind, r.rung, r.status, r.due_at, r.recipient, r.last_error)
                for r in await rows(h, Reminder, case.id)
                if r.kind == "family"
            ],
            dms(h, LEAD)[-3:],
        )

        # -- publication on hold shows, then lifts with its event -----------------------------------
        assert "Held for" in await w.command("hold publication awaiting the criminal trial", user=LEAD)
        shown = await card(h, w)
        assert "HELD: publication on hold (awaiting the criminal trial)" in shown
        [record] = await _export(h)
        [publication] = [d for d in record["deadlines"] if d["rule_id"] == "lcspr_publication"]
        assert publication["held"] == "awaiting the criminal trial"
        await w.run([Step(D(2027, 4, 20), "record", "final_report")], ticks=False)  # the draft is approved
        [record] = await _export(h)
        [publication] = [d for d in record["deadlines"] if d["rule_id"] == "lcspr_publication"]
        assert publication["held"] == "awaiting the criminal trial" and publication["due_on"]
        due_before = publication["due_on"]
        refused = await w.command("record publication 20/04/2027 https://northshire.example.org/r/1")
        assert "on hold" in refused
        assert "Recorded" in await w.command("record publication_hold_lifted 20/04/2027")
        [hold] = [x for x in await rows(h, CaseHold, case.id) if x.kind == "publication"]
        assert hold.lifted_at is not None
        assert "HELD" not in await card(h, w)
        [record] = await _export(h)
        [publication] = [d for d in record["deadlines"] if d["rule_id"] == "lcspr_publication"]
        assert publication["held"] is None and publication["due_on"] == due_before  # the date never moved
        assert "no holds in force" in await w.command("hold", user=LEAD)
        assert {m["kind"] for m in record["meetings"]} >= {
            "case_group_introductory",
            "case_group_follow_on",
            "conversation",
        }
    finally:
        await h.close()


async def _comments(h: Harness) -> list[MeetingRecordComment]:
    async with h.services.db.read() as session:
        return list((await session.execute(select(MeetingRecordComment))).scalars())


async def _export(h: Harness) -> list[dict[str, Any]]:
    async with h.services.db.read() as session:
        return await case_records(session, None, D(2027, 4, 21))


async def test_england_demo_export_follows_learning_together(database_url: str) -> None:
    lines: list[str] = []
    assert await run_nation_demo("england", lines.append, database_url) == 0, "\n".join(lines[-20:])
    if database_url.startswith("sqlite"):
        command = [sys.executable, "-m", "bot.cli", "cases", "export", "--all", "--format", "json"]
        result = await asyncio.to_thread(
            subprocess.run,
            [*command, "--database-url", database_url],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        records = json.loads(result.stdout)
    else:
        db = Database(database_url)
        try:
            async with db.read() as session:
                records = json.loads(json.dumps(await case_records(session, None, D(2027, 7, 1))))
        finally:
            await db.dispose()
    [record] = records
    kinds = [m["kind"] for m in record["meetings"]]
    assert kinds.count("case_group_introductory") == 1 and kinds.count("case_group_follow_on") >= 2
    assert kinds.count("conversation") >= 1
    held = [m for m in record["meetings"] if m["kind"].startswith("case_group")]
    assert all(m["attended"] and m["record_agreed"] for m in held)
    assert any(m["absentees_sent_record"] for m in held)
    assert any(m["done"] for m in record["meetings"] if m["kind"] == "conversation")
    episodes = record["key_practice_episodes"]
    assert episodes and any(e["contributory_factors"] for e in episodes)
    assert all(
        {"title", "period_from", "period_to", "agencies", "contributory_factors"} <= set(e) for e in episodes
    )
    categories = {c.id for c in learning_together().typology}
    findings = record["findings"]
    assert findings and all(
        f["typology_category"] in categories and f["key_practice_episodes"] for f in findings
    )
    numbers = {e["number"] for e in episodes}
    assert all(set(f["key_practice_episodes"]) <= numbers for f in findings)
    assert any(f["recommendation_kind"] for f in findings) and any(f["issue_for_board"] for f in findings)
    family = record["family_participation"]
    assert family and family["invited"] is True and family["contact_role"] and family["updates"]
    assert record["review_plan"]["follow_ons"] == 2


async def test_the_decisions_constraints_become_holds_that_act(database_url: str, clock: FakeClock) -> None:
    """ "Speak to practitioners only once the police agree" and "publication must wait" were labels on the
    decision; commissioning the plan makes them holds that act."""
    h = await Harness.start(
        database_url=database_url, clock=clock, run_migrations=False, config_path=NATIONS_CONFIG
    )
    try:
        w = Walk(h, h.services.config.partnership("northshire"))
        await w.run(TO_COMMISSIONING, ticks=False)
        case = await w.case()
        async with h.services.db.session() as session:
            decision = await session.get(RapidReviewDecision, case.id)
            assert decision is not None
            decision.constraints = ["no_practitioner_contact", "publication_on_hold"]
            decision.constraint_note = "The police await the charging decision"
        answer = await w.command(f"plan learning-together <@{LEAD}>")
        assert "Holds from the decision's constraints: no contact, publication" in answer
        assert "No contact with the family or practitioners, asked by the police" in answer
        warned = await w.command("conversation add icb 08/02/2027 10:00 health visitor", user=LEAD)
        assert "Not scheduled" in warned and "The police await the charging decision" in warned
        assert "HELD: publication on hold (The police await the charging decision)" in await card(h, w)
        holds = await rows(h, CaseHold, case.id)
        assert {(x.kind, x.requested_by) for x in holds} == {("no_contact", "police"), ("publication", None)}
        # The business manager can redact the stored reason, as any other free text.
        answer = await w.command(f"redact hold-reason {holds[0].id} entered in error", user=BM)
        assert "edact" in answer, answer
        assert (await rows(h, CaseHold, case.id))[0].reason == "[redacted]"
    finally:
        await h.close()


async def test_help_lists_the_learning_together_commands_in_valid_block_kit(
    database_url: str, clock: FakeClock
) -> None:
    h = await Harness.start(
        database_url=database_url, clock=clock, run_migrations=False, config_path=NATIONS_CONFIG
    )
    try:
        body = (await h.command("help", user=BM)).json()
        assert validate_message(body["blocks"], body["text"]) == []  # past 3000 characters: several sections
        for usage in (
            "/review plan",
            "/review episode",
            "/review conversation",
            "/review family",
            "/review hold",
        ):
            assert usage in body["text"]
    finally:
        await h.close()
