"""A local review run with the Learning Together model, walked through the real HTTP endpoint as the
review team would: used by the England demo (`reviewbot demo --nation england`) and its tests.

Each step is one of the walk's dated steps (kind ``lt``): commission the plan, set out the family's
participation, schedule the introductory and follow-on case group meetings, hold them (attendance, what
was agreed, an absentee who is sent the record and comments on it), arrange and complete conversations
with practitioners, add key practice episodes with their contributory factors and record findings
linked to them. Every step goes through Slack's requests (slash commands, modals, buttons).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any, Protocol

from sqlalchemy import select

from bot.actions.models import Finding
from bot.cases.models import Case
from bot.config.partnership import Partnership
from bot.learning_together.models import KeyPracticeEpisode
from bot.meetings.models import Meeting
from bot.sandbox.harness import Harness
from bot.sandbox.signed_requests import (
    checkboxes,
    datepicker,
    multi_static_select,
    multi_users_select,
    radio_buttons,
    static_select,
    text_value,
    timepicker,
    users_select,
)
from bot.slack.ids import ActionId, CallbackId


class WalkFailed(Exception):
    pass


class WalkLike(Protocol):
    h: Harness
    partnership: Partnership
    manager: str
    out: Callable[[str], None]

    async def case(self) -> Case: ...
    async def command(self, text: str, *, user: str | None = None) -> str: ...


RECORD = {
    "case_group_introductory": "Agreed the timeline to use in conversations and who else to invite.",
    "case_group_follow_on": "Agreed the practitioners' story and the episodes to analyse further.",
}
EPISODE_FACTORS = (
    "The referral form had no field for the history of earlier referrals",
    "Supervision was fortnightly and taken up by allocation",
)


def _v(block: str, state: dict[str, Any]) -> dict[str, Any]:
    return {block: {block: state}}


class LearningTogetherWalk:
    """The review team of one walked case: the lead reviewer and a reviewer (the partnership's people
    with the reviewer role), and the agency leads as the case group."""

    def __init__(self, walk: WalkLike) -> None:
        self.w = walk
        self.h = walk.h
        reviewers = [p.slack_user_id for p in walk.partnership.people_with_role("reviewer")]
        if not reviewers:
            raise WalkFailed("the partnership file names no reviewer to lead the review")
        self.lead = reviewers[0]
        self.team = reviewers[1:]
        self.group = [p.slack_user_id for p in walk.partnership.people_with_role("agency_lead")]
        self.held = 0

    async def step(self, arg: str, on: date) -> None:
        words = arg.split()
        actions: dict[str, Callable[[list[str], date], Awaitable[None]]] = {
            "plan": self._plan,
            "family": self._family,
            "meeting": self._meeting,
            "held": self._held,
            "conversation": self._conversation,
            "conversations-done": self._conversations_done,
            "episodes": self._episodes,
            "findings": self._findings,
        }
        if not words or words[0] not in actions:
            raise WalkFailed(f"unknown Learning Together step {arg!r}")
        await actions[words[0]](words[1:], on)

    # -- helpers ---------------------------------------------------------------------------------

    async def _expect(self, text: str, word: str, *, user: str | None = None) -> str:
        answer = await self.w.command(text, user=user or self.lead)
        if word not in answer:
            raise WalkFailed(f"/review {text}: expected '{word}', got: {answer[:300]}")
        return answer

    async def _submit(self, user: str, callback: str, values: dict[str, Any]) -> dict[str, Any]:
        stack = self.h.fake.view_stack(user)
        if not stack or stack[-1].get("callback_id") != callback:
            raise WalkFailed(f"the {callback} form did not open")
        request = self.h.slack.view_submission(callback, user_id=user, values=values, view_id=stack[-1]["id"])
        answer = await self.h.submit_view(request, user)
        body: dict[str, Any] = answer.json() if answer.content else {}
        if body.get("response_action") == "errors":
            raise WalkFailed(f"the {callback} form was refused: {body.get('errors')}")
        return body

    async def _meetings(self, kind: str) -> list[Meeting]:
        case = await self.w.case()
        async with self.h.services.db.read() as session:
            query = (
                select(Meeting).where(Meeting.case_id == case.id, Meeting.kind == kind).order_by(Meeting.id)
            )
            return list((await session.execute(query)).scalars())

    # -- steps -------------------------------------------------------------------------------------

    async def _plan(self, _words: list[str], _on: date) -> None:
        team = " ".join(f"<@{u}>" for u in self.team)
        await self._expect(
            f"plan learning-together <@{self.lead}> {team}",
            "Learning Together review planned",
            user=self.w.manager,
        )

    async def _family(self, _words: list[str], on: date) -> None:
        await self._expect("family invited yes the family asked to take part after the police visit", "Saved")
        await self._expect("family contact police family liaison officer", "Saved")
        await self._expect(f"family update {on:%d/%m/%Y} explained the review and how it works", "Saved")
        await self._expect("family comment yes 09/04/2027", "Saved")

    async def _meeting(self, words: list[str], _on: date) -> None:
        kind, day = f"case_group_{words[0]}", words[1]
        case = await self.w.case()
        await self.h.command("meeting", user=self.lead, channel=case.channel_id or "")
        values = (
            _v("kind", static_select(kind))
            | _v("date", datepicker(day))
            | _v("time", timepicker("09:30"))
            | _v("duration", text_value("60", type="number_text_input"))
            | _v("place", text_value("Room 2.14, County Hall"))
            | _v("invitees", multi_users_select([*self.group, *self.team]))
            | _v("chair", users_select(self.lead))
            | _v("pre_reading", text_value(None))
        )
        await self._submit(self.lead, CallbackId.MEETING_MODAL, values)
        self.w.out(f"    scheduled a {kind.replace('_', ' ')} for {day}")

    async def _held(self, words: list[str], _on: date) -> None:
        kind = f"case_group_{words[0]}"
        meeting = (await self._meetings(kind))[int(words[1]) - 1 if len(words) > 1 else 0]
        absentee = self.group[self.held % len(self.group)]
        self.held += 1
        came = [u for u in meeting.invitee_ids if u != absentee]
        await self.h.send(
            self.h.slack.block_action(
                ActionId.MEETING_RECORD_ATTENDANCE,
                user_id=self.lead,
                value=str(meeting.id),
                channel_id=meeting.channel_id,
                message_ts=meeting.message_ts,
            )
        )
        values = _v("attended_0", checkboxes(came)) | _v("record", text_value(RECORD[kind]))
        await self._submit(self.lead, CallbackId.MEETING_ATTENDANCE_MODAL, values)
        await self.h.services.tasks.drain()
        # The absentee was sent what was agreed; they comment on its accuracy.
        dm = self.h.fake.dm_channel(absentee)
        if not any("which you missed" in m.rendered() for m in self.h.fake.messages(dm)):
            raise WalkFailed("the absentee was not sent what was agreed")
        await self.h.send(
            self.h.slack.block_action(
                ActionId.MEETING_RECORD_COMMENT, user_id=absentee, value=str(meeting.id), channel_id=dm
            )
        )
        await self._submit(
            absentee,
            CallbackId.MEETING_RECORD_COMMENT_MODAL,
            _v("comment", text_value("Accurate, but the health visitor's concern was raised earlier.")),
        )
        self.w.out(
            f"    held: {len(came)} of {len(meeting.invitee_ids)} attended; the absentee was sent the record"
        )

    async def _conversation(self, words: list[str], on: date) -> None:
        agency, day, role = words[0], words[1], " ".join(words[2:])
        await self._expect(f"conversation add {agency} {day} 10:00 {role}", "arranged")

    async def _conversations_done(self, _words: list[str], _on: date) -> None:
        for meeting in await self._meetings("conversation"):
            await self._expect(f"conversation done {meeting.id}", "marked done")

    async def _episodes(self, _words: list[str], _on: date) -> None:
        await self._expect("episode list", "key practice episodes")
        values = (
            _v("title", text_value("Missed referral in October"))
            | _v("period_from", datepicker("2026-10-01"))
            | _v("period_to", datepicker("2026-10-31"))
            | _v("agencies", multi_static_select(["la", "education"]))
            | _v("factors", text_value("\n".join(EPISODE_FACTORS)))
        )
        await self.w.command("episode edit 1", user=self.lead)
        await self._submit(self.lead, CallbackId.EPISODE_MODAL, values)
        values = (
            _v("title", text_value("Strategy discussion after the hospital visit"))
            | _v("period_from", datepicker("2026-12-18"))
            | _v("period_to", datepicker("2026-12-18"))
            | _v("agencies", multi_static_select(["police", "la", "icb"]))
            | _v("factors", text_value("The out-of-hours team could not see the health record"))
        )
        await self.w.command("episode add", user=self.lead)
        await self._submit(self.lead, CallbackId.EPISODE_MODAL, values)

    async def _findings(self, _words: list[str], _on: date) -> None:
        case = await self.w.case()
        async with self.h.services.db.read() as session:
            episodes = list(
                (
                    await session.execute(
                        select(KeyPracticeEpisode.id)
                        .where(KeyPracticeEpisode.case_id == case.id)
                        .order_by(KeyPracticeEpisode.number)
                    )
                ).scalars()
            )
        findings = [
            (
                "human_tool",
                "recommendation",
                "local",
                [episodes[0]],
                "Referral forms do not show earlier referrals, so patterns are missed.",
            ),
            (
                "longer_term_work",
                "board_issue",
                None,
                [episodes[0], episodes[-1]],
                "Health and social care records are not visible to each other out of hours.",
            ),
        ]
        for typology, kind, rec, linked, summary in findings:
            await self.w.command("finding", user=self.lead)
            values = (
                _v("typology", static_select(typology))
                | _v("finding_kind", radio_buttons(kind))
                | _v("recommendation_kind", static_select(rec))
                | _v("summary", text_value(summary))
                | _v("episodes", multi_static_select([str(e) for e in linked]))
            )
            await self._submit(self.lead, CallbackId.FINDING_MODAL, values)
        async with self.h.services.db.read() as session:
            count = len(
                list((await session.execute(select(Finding.id).where(Finding.case_id == case.id))).scalars())
            )
        self.w.out(f"    {count} finding(s) recorded, linked to key practice episodes")
