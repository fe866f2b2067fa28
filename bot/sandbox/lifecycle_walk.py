"""A case walked from notification to closure through the real HTTP endpoint, the clock advancing day
by day: used by `reviewbot demo --nation` and by the lifecycle tests.

A walk is a list of dated steps (notify, decide, sign off, send, the Panel's reply, record an event,
move the stage); on each day the worker ticks first (reminders go out), then that day's steps run as
the partnership's people would, with signed Slack requests. Nothing here computes a deadline: the
tests check the dates the bot gave against their own hand-worked values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from bot.cases.models import Case
from bot.clock import FakeClock, london_datetime
from bot.config.partnership import Partnership
from bot.deadlines.models import Deadline
from bot.rapid_review.models import RapidReview
from bot.reminders.scheduler import tick
from bot.sandbox.harness import Harness
from bot.sandbox.learning_together_walk import LearningTogetherWalk
from bot.sandbox.learning_together_walk import WalkFailed as LTWalkFailed
from bot.sandbox.signed_requests import (
    checkboxes,
    datepicker,
    multi_static_select,
    radio_buttons,
    static_select,
    text_value,
)
from bot.slack.ids import ActionId, CallbackId

Out = Callable[[str], None]
EPISODES = "Missed referral in October\nHealth visiting contact after the move"
RATIONALE = "Agencies held different parts of the picture and did not share them."


class WalkFailed(Exception):
    pass


@dataclass(frozen=True)
class Step:
    on: date
    kind: str  # notify | decision | sign | sent | reply | record | stage | lt (Learning Together)
    arg: str = ""


def _dmy(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def people(partnership: Partnership, role: str) -> list[str]:
    return [p.slack_user_id for p in partnership.people_with_role(role)]


def notification_values(partnership: Partnership, on: date, kind: str = "death") -> dict[str, Any]:
    agencies = [a.id for a in partnership.agencies if a.statutory_partner or str(a.kind) == "education"]
    return {
        "type": {"type": static_select(kind)},
        "aware_date": {"aware_date": datepicker(on.isoformat())},
        "sent_date": {"sent_date": datepicker(on.isoformat())},
        "abuse": {"abuse": radio_buttons("suspected")},
        "child_0_pseudonym": {"child_0_pseudonym": text_value("Child A")},
        "child_0_age": {"child_0_age": static_select("5_9")},
        "child_0_status": {"child_0_status": static_select("child_in_need")},
        "agencies": {"agencies": multi_static_select(agencies)},
        "police": {"police": static_select("yes")},
        "media": {"media": checkboxes([])},
        "summary": {"summary": text_value("Child A was taken to hospital; police attended the family home.")},
    }


def decision_values(recommendation: str = "lcspr") -> dict[str, Any]:
    values: dict[str, Any] = {
        "recommendation": {"recommendation": static_select(recommendation)},
        "national_review": {"national_review": static_select("not_recommended")},
        "rationale": {"rationale": text_value(RATIONALE)},
        "episodes": {"episodes": text_value(EPISODES)},
        "processes": {"processes": checkboxes(["criminal_investigation"])},
        "constraints": {"constraints": checkboxes([])},
        "constraint_note": {"constraint_note": text_value(None)},
        "learning": {"learning": text_value("Information sharing at the front door.")},
    }
    for i in range(3):
        values[f"action_{i}_text"] = {f"action_{i}_text": text_value(None)}
        values[f"action_{i}_owner"] = {f"action_{i}_owner": static_select(None)}
        values[f"action_{i}_due"] = {f"action_{i}_due": datepicker(None)}
    return values


class Walk:
    """One partnership's case walked through ``steps``; ``case`` is set once the notification is in."""

    def __init__(self, h: Harness, partnership: Partnership, out: Out | None = None) -> None:
        self.h = h
        self.partnership = partnership
        self.out = out or (lambda _line: None)
        self.manager = people(partnership, "business_manager")[0]
        self.case_id: int | None = None
        self.replies: list[str] = []
        self.learning: LearningTogetherWalk | None = None

    async def case(self) -> Case:
        async with self.h.services.db.read() as session:
            case = await session.get(Case, self.case_id) if self.case_id else None
        if case is None:
            raise WalkFailed("no case yet")
        return case

    async def deadlines(self) -> dict[str, Deadline]:
        async with self.h.services.db.read() as session:
            rows = await session.execute(select(Deadline).where(Deadline.case_id == self.case_id))
            return {row.rule_id: row for row in rows.scalars()}

    async def run(self, steps: list[Step], *, until: date | None = None, ticks: bool = True) -> None:
        clock = self.h.services.clock
        assert isinstance(clock, FakeClock)
        day = steps[0].on
        last = until or steps[-1].on
        while day <= last:
            if ticks:
                clock.set(london_datetime(day, 9, 5))
                await tick(self.h.services)
                await self.h.services.tasks.drain()
            clock.set(london_datetime(day, 10, 0))
            for step in (s for s in steps if s.on == day):
                await self.step(step)
            day += timedelta(days=1)

    async def command(self, text: str, *, user: str | None = None) -> str:
        case = await self.case()
        reply = await self.h.command(text, user=user or self.manager, channel=case.channel_id or "")
        answer = str(reply.json().get("text", "")) if reply.content else ""
        self.replies.append(answer)
        self.out(f"    /review {text}\n      -> {answer[:300]}")
        return answer

    async def step(self, step: Step) -> None:
        self.out(f"  {step.on:%a %d %b %Y}: {step.kind} {step.arg}".rstrip())
        if step.kind == "notify":
            await self._notify(step.on, step.arg or "death")
        elif step.kind == "decision":
            await self._decide(step.arg or "lcspr")
        elif step.kind == "sign":
            await self._sign_all()
        elif step.kind == "sent":
            await self._expect(await self.command(f"panel sent {_dmy(step.on)}"), "Recorded")
        elif step.kind == "reply":
            await self._expect(await self.command(f"panel reply {step.arg or 'agrees'}"), "Recorded")
        elif step.kind == "record":
            await self._expect(await self.command(f"record {step.arg}"), "Recorded")
        elif step.kind == "stage":
            await self._expect(await self.command(f"stage {step.arg}"), "moved to")
        elif step.kind == "lt":  # a step of a Learning Together review (bot.sandbox.learning_together_walk)
            if self.learning is None:
                self.learning = LearningTogetherWalk(self)
            try:
                await self.learning.step(step.arg, step.on)
            except LTWalkFailed as exc:
                raise WalkFailed(str(exc)) from exc
        else:
            raise WalkFailed(f"unknown step {step.kind}")

    async def _expect(self, answer: str, word: str) -> None:
        if word not in answer:
            raise WalkFailed(f"expected '{word}' in the answer, got: {answer[:300]}")

    async def _notify(self, on: date, kind: str) -> None:
        h = self.h
        await h.command("notify", user=self.manager)
        stack = h.fake.view_stack(self.manager)
        if not stack:
            raise WalkFailed("the notification form did not open")
        request = h.slack.view_submission(
            CallbackId.NOTIFICATION_MODAL,
            user_id=self.manager,
            values=notification_values(self.partnership, on, kind),
            view_id=stack[-1]["id"],
        )
        answer = await h.submit_view(request, self.manager)
        body = answer.json() if answer.content else {}
        if body.get("response_action") != "update":
            raise WalkFailed(f"the case did not open: {str(body)[:300]}")
        async with h.services.db.read() as session:
            found = await session.scalar(
                select(Case.id).where(Case.partnership_id == self.partnership.id).order_by(Case.id.desc())
            )
        self.case_id = int(found) if found is not None else None
        case = await self.case()
        self.out(f"    opened {case.reference} ({case.ruleset_id}); stage {case.stage}")

    async def _decide(self, recommendation: str) -> None:
        h = self.h
        case = await self.case()
        await h.command("decision", user=self.manager, channel=case.channel_id or "")
        stack = h.fake.view_stack(self.manager)
        if not stack or stack[-1]["callback_id"] != CallbackId.DECISION_MODAL:
            raise WalkFailed("the decision form did not open")
        request = h.slack.view_submission(
            CallbackId.DECISION_MODAL,
            user_id=self.manager,
            values=decision_values(recommendation),
            view_id=stack[-1]["id"],
        )
        answer = await h.submit_view(request, self.manager)
        if answer.content and answer.json().get("errors"):
            raise WalkFailed(f"the decision was refused: {answer.json()['errors']}")

    async def _sign_all(self) -> None:
        h = self.h
        case = await self.case()
        for agency in self.partnership.signatory_agencies():
            signer = next(
                p.slack_user_id for p in self.partnership.people_with_role("signatory", agency=agency.id)
            )
            async with h.services.db.read() as session:
                rr = await session.get(RapidReview, case.id)
            if rr is None or rr.decision_ts is None:
                raise WalkFailed("no decision message to sign")
            await h.send(
                h.slack.block_action(
                    f"{ActionId.SIGN_OFF}:{agency.id}",
                    user_id=signer,
                    value=str(case.id),
                    channel_id=case.channel_id,
                    message_ts=rr.decision_ts,
                )
            )
        case = await self.case()
        self.out(f"    every partner signed off; stage {case.stage}")
