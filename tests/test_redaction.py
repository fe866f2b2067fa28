"""`/review redact` through the real endpoint: a business manager replaces stored text that should
never have been stored, with a reason, audited; nothing of the text is kept anywhere."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.actions.models import Action
from bot.audit import AuditEvent
from bot.audit_trail import verify
from bot.cases.models import Case
from bot.rapid_review.models import RapidReviewDecision
from bot.records.models import Redaction
from bot.records.redaction import MARKER
from bot.sandbox.harness import Harness, ephemeral_text
from tests.intake_helpers import BM, CHAIR, all_cases, notify

SLIPPED = "known locally as Jazzy Bee"  # identifying, yet nothing the guard recognises (synthetic)
REASON = "a nickname that identifies the child was typed into it"


async def _case_with_text(harness: Harness) -> tuple[Case, int]:
    await notify(harness, summary=f"Found at home, {SLIPPED}")
    case = (await all_cases(harness))[-1]
    now = datetime(2026, 12, 18, 10, 0, tzinfo=UTC)
    async with harness.services.db.session() as session:
        action = Action(
            partnership_id="northshire",
            case_id=case.id,
            source="immediate",
            description=f"Visit the family, {SLIPPED}",
            owner_agency="la",
            status="open",
            created_by=BM,
            created_at=now,
            updated_at=now,
        )
        session.add(action)
        session.add(
            RapidReviewDecision(
                case_id=case.id,
                version=1,
                recommendation="no_further_review",
                national_review="not_suitable",
                rationale="Partners agreed the learning is captured",
                key_practice_episodes=["Referral in June", f"Home visit, {SLIPPED}"],
                recorded_by=BM,
                recorded_at=now,
                updated_by=BM,
                updated_at=now,
            )
        )
        await session.flush()
        action_id = action.id
    return case, action_id


async def redact(harness: Harness, case: Case, args: str, user: str = BM) -> str:
    return ephemeral_text(await harness.command(f"redact {args}", user=user, channel=str(case.channel_id)))


async def test_a_business_manager_redacts_stored_text_with_a_reason(harness: Harness) -> None:
    case, action_id = await _case_with_text(harness)

    listing = await redact(harness, case, "")
    assert f"`summary {case.reference}`" in listing and f"`action {action_id}`" in listing
    assert "`episode 2`" in listing

    for args, label in (
        (f"summary {case.reference} {REASON}", "the case summary"),
        (f"action {action_id} {REASON}", "an action's description"),
        (f"episode 2 {REASON}", "a key practice episode"),
    ):
        reply = await redact(harness, case, args)
        assert reply.startswith(f"Redacted {label}") and MARKER in reply, reply

    async with harness.services.db.read() as session:
        fresh_case = await session.get(Case, case.id)
        action = await session.get(Action, action_id)
        decision = await session.get(RapidReviewDecision, case.id)
        redactions = list((await session.scalars(select(Redaction).order_by(Redaction.id))).all())
        audited = list(
            (await session.scalars(select(AuditEvent).where(AuditEvent.action == "record.redacted"))).all()
        )
    assert fresh_case is not None and fresh_case.summary == MARKER
    assert action is not None and action.description == MARKER
    assert decision is not None and decision.key_practice_episodes == ["Referral in June", MARKER]
    assert [(r.what, r.record_id, r.redacted_by, r.reason) for r in redactions] == [
        ("summary", case.id, BM, REASON),
        ("action", action_id, BM, REASON),
        ("episode", 2, BM, REASON),
    ]
    assert [a.after for a in audited] == [
        {"what": "summary", "record": case.id, "redaction": redactions[0].id},
        {"what": "action", "record": action_id, "redaction": redactions[1].id},
        {"what": "episode", "record": 2, "redaction": redactions[2].id},
    ]
    assert all(a.actor == BM and a.case_id == case.id for a in audited)
    # Neither the text nor the reason is in the audit trail, and the chain still verifies.
    async with harness.services.db.read() as session:
        trail = " ".join(str((a.before, a.after)) for a in (await session.scalars(select(AuditEvent))).all())
    assert "Jazzy" not in trail and "nickname" not in trail
    assert (await verify(harness.services.db)).ok

    again = await redact(harness, case, f"action {action_id} {REASON}")
    assert "redacted already" in again
    assert "Nothing in" not in await redact(harness, case, "")  # the rationale still holds text


async def test_redaction_is_refused_to_others_outside_a_case_and_with_an_identifying_reason(
    harness: Harness,
) -> None:
    case, action_id = await _case_with_text(harness)
    refused = await redact(harness, case, f"action {action_id} {REASON}", user=CHAIR)
    assert "Only a business manager can redact stored text" in refused

    elsewhere = ephemeral_text(await harness.command(f"redact action {action_id} {REASON}", user=BM))
    assert "works in a case channel" in elsewhere

    identifying = await redact(harness, case, f"action {action_id} Jane Smithson asked on 07700 900123")
    assert "The reason cannot be stored" in identifying and "07700" not in identifying

    assert "I can't redact `colour`" in await redact(harness, case, f"colour {action_id} {REASON}")
    missing = await redact(harness, case, f"action 999 {REASON}")
    assert f"There is no `action 999` in {case.reference}" in missing
    assert "Say what to redact" in await redact(harness, case, "action")

    async with harness.services.db.read() as session:
        action = await session.get(Action, action_id)
        count = len((await session.scalars(select(Redaction))).all())
    assert action is not None and SLIPPED in action.description and count == 0


@pytest.mark.parametrize("what", ["summary", "rationale"])
async def test_case_level_fields_are_named_by_this_cases_reference(harness: Harness, what: str) -> None:
    case, _ = await _case_with_text(harness)
    reply = await redact(harness, case, f"{what} RR-1999-001 {REASON}")
    assert "Name it by the case reference" in reply
