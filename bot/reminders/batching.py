"""From claimed rows to messages: route, collapse, compose, hold and group (one read-write session).

For the rows one claim took (whole destinations at a time, see :func:`bot.reminders.dispatch.claim`):

1. **Route.** A row for someone away goes to their deputy, if the deputy may see the case; if not,
   to the business manager, with a line saying why. ``delivered_to`` records it; audited.
2. **Collapse.** Rows for the same thing (a deadline, an action, a return, a meeting) going to the
   same place are one entry: the newest row of each kind is sent, the earlier rungs are marked
   ``superseded`` (kept, pointing at the row sent instead, audited, never sent). A case thread gets
   at most one post per deadline per UK day: a deadline already posted there today is superseded.
3. **Compose** each entry from the current state (the composer may say it is no longer relevant:
   cancelled).
4. **Hold.** A direct message to someone who does not work today (``working_days``) is put back
   until their next working day, never past a statutory date (escalations are not held).
5. **Group** what is left by destination: everything for one person, or one case thread, is one
   :class:`Batch`, sent as one message (see :mod:`bot.reminders.blocks`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from bot import audit
from bot.access import can_view_case
from bot.calendar.partnership_days import partnership_calendar
from bot.cases.models import Case
from bot.cases.service import facts_of
from bot.clock import london_date, london_datetime
from bot.observability import get_logger
from bot.reminders.away import deputies_on
from bot.reminders.blocks import Entry, compact_blocks
from bot.reminders.kinds import ComposeContext, Outgoing
from bot.reminders.models import Reminder, ReminderStatus
from bot.reminders.patterns import hold_until
from bot.runtime.services import Services
from bot.slack.mrkdwn import escape

log = get_logger(__name__)

CASE_CHANNEL = "case_channel"
LATE_AFTER = timedelta(minutes=5)
ENGINE = "reviewbot"  # the audit actor for what the engine decides by itself
NOT_HELD_KINDS = {"escalation"}


def is_person(recipient: str) -> bool:
    """A Slack member id (a direct message), as opposed to a channel or the case thread."""
    return recipient[:1] in ("U", "W")


def subject_of(row: Reminder) -> str:
    """What a row reminds about: rows with one subject going to one place are collapsed."""
    if row.deadline_id is not None:
        return f"deadline:{row.deadline_id}"
    payload = row.payload or {}
    for key in ("action_id", "return_id", "meeting_id"):
        if payload.get(key) is not None:
            return f"{key}:{payload[key]}"
    return f"row:{row.id}"


@dataclass
class Part:
    """One entry of a message: the row it was composed from and every row it delivers."""

    lead: Reminder
    rows: list[Reminder]
    outgoing: Outgoing
    late: bool
    note: str | None = None

    @property
    def reminder_ids(self) -> list[int]:
        return [r.id for r in self.rows]

    def entry(self) -> Entry:
        out = self.outgoing
        line = out.line or escape(out.text)
        blocks = compact_blocks(out.line, out.controls) if out.line else list(out.blocks)
        rank = (-out.overdue_days, out.due_on.isoformat() if out.due_on else "9999", self.lead.id)
        return Entry(line, blocks, out.overdue_days > 0, rank, self.note, out.short_line or "")


@dataclass
class Batch:
    """What goes to one destination in one message: one part as it is, or several as a listing."""

    destination_key: str
    recipient: str  # a person (after routing), "case_channel", or a channel named by the composer
    partnership_id: str
    case_reference: str | None
    case_channel: str | None
    card_ts: str | None
    parts: list[Part] = field(default_factory=list)

    @property
    def reminder_ids(self) -> list[int]:
        return [i for p in self.parts for i in p.reminder_ids]

    @property
    def person(self) -> str | None:
        return self.recipient if is_person(self.recipient) and not self.parts[0].outgoing.channel else None

    @property
    def late(self) -> bool:
        return any(p.late for p in self.parts)


@dataclass
class Outcome:
    batches: list[Batch] = field(default_factory=list)
    cancelled: int = 0
    dead: int = 0
    superseded: int = 0
    held: int = 0


@dataclass
class _Candidate:
    row: Reminder
    case: Case | None
    target: str  # who gets it after routing (the row's recipient unless away)
    note: str | None
    destination: str  # "dm:<user>", "case:<id>" or "row:<id>" (never grouped)


def _may_see(services: Services, user_id: str, case: Case) -> bool:
    return can_view_case(services.actor(user_id, case.partnership_id), facts_of(case))


async def prepare(services: Services, ids: list[int], worker: str) -> Outcome:
    """Route, collapse, compose, hold and group the claimed rows (see the module docstring)."""
    outcome = Outcome()
    now = services.clock.now()
    today = london_date(now)
    async with services.db.session() as session:
        rows = list(
            (
                await session.execute(select(Reminder).where(Reminder.id.in_(ids)).order_by(Reminder.id))
            ).scalars()
        )
        rows = [r for r in rows if r.status == ReminderStatus.SENDING.value and r.claimed_by == worker]
        case_ids = {r.case_id for r in rows if r.case_id is not None}
        cases = {
            c.id: c for c in (await session.execute(select(Case).where(Case.id.in_(case_ids)))).scalars()
        }
        deputies = await deputies_on(session, today) if any(is_person(r.recipient) for r in rows) else {}
        candidates: list[_Candidate] = []
        redirected: dict[tuple[str, int | None, str, str], list[int]] = defaultdict(list)
        for row in rows:
            case = cases.get(row.case_id) if row.case_id is not None else None
            if (
                case is not None
                and row.recipient != CASE_CHANNEL
                and not _may_see(services, row.recipient, case)
            ):
                # Removed from the partnership file, or no longer involved: say nothing about the case.
                row.status, row.last_error = ReminderStatus.CANCELLED.value, "recipient_no_access"
                outcome.cancelled += 1
                continue
            target, note = _route(services, row, case, deputies)
            if target != row.recipient:
                row.delivered_to = target
                redirected[(row.partnership_id, row.case_id, row.recipient, target)].append(row.id)
            candidates.append(_Candidate(row, case, target, note, _destination(row, target)))
        for (partnership_id, case_id, away, to), row_ids in redirected.items():
            audit.record(
                session,
                services.clock,
                actor=ENGINE,
                action="reminder.redirected",
                partnership_id=partnership_id,
                case_id=case_id,
                after={"reminders": row_ids, "recipient": away, "to": to, "why": "away"},
            )
        groups = await _collapse(services, session, candidates, now, outcome)
        parts_by_destination: dict[str, list[tuple[_Candidate, Part]]] = defaultdict(list)
        held: dict[tuple[str, int | None, str], list[int]] = defaultdict(list)
        for lead, covered in groups:
            part = await _compose(services, session, lead, covered, now, outcome)
            if part is None:
                continue
            until = _hold(services, lead, part, now)
            if until is not None:
                for row in part.rows:
                    row.deferred_from = row.deferred_from or row.due_at
                    row.status, row.claimed_by, row.claimed_at = ReminderStatus.PENDING.value, None, None
                    row.due_at, row.next_attempt_at, row.delivered_to = until, None, None
                held[(lead.row.partnership_id, lead.row.case_id, lead.target)] += part.reminder_ids
                outcome.held += len(part.rows)
                continue
            lane = _final_destination(lead, part)
            workspace = services.workspace_key(lead.row.partnership_id)
            # Member and channel ids are unique only within a workspace: lanes are per team too.
            parts_by_destination[f"{workspace}|{lane}" if workspace else lane].append((lead, part))
        for (partnership_id, case_id, person), row_ids in held.items():
            audit.record(
                session,
                services.clock,
                actor=ENGINE,
                action="reminder.held_for_working_days",
                partnership_id=partnership_id,
                case_id=case_id,
                after={"reminders": row_ids, "recipient": person},
            )
        for destination, parts in parts_by_destination.items():
            outcome.batches += _batches(destination, parts)
    return outcome


def _route(
    services: Services, row: Reminder, case: Case | None, deputies: dict[tuple[str, str], str]
) -> tuple[str, str | None]:
    """Who gets a row today: the recipient, their deputy, or (deputy without access) the business manager."""
    if not is_person(row.recipient):
        return row.recipient, None
    deputy = deputies.get((row.partnership_id, row.recipient))
    if deputy is None:
        return row.recipient, None
    if case is None or _may_see(services, deputy, case):
        return deputy, f"for <@{row.recipient}>, who is away"
    try:
        partnership = services.config.partnership(row.partnership_id)
    except KeyError:
        return row.recipient, None
    managers = [p.slack_user_id for p in partnership.people_with_role("business_manager")]
    managers = [m for m in managers if m != row.recipient] or managers
    if not managers:
        return row.recipient, None
    return managers[0], (
        f"for <@{row.recipient}>, who is away: their deputy <@{deputy}> cannot see case "
        f"{escape(case.reference)}, so it comes to you"
    )


def _destination(row: Reminder, target: str) -> str:
    if row.recipient == CASE_CHANNEL:
        return f"case:{row.case_id or 0}"
    if is_person(target):
        return f"dm:{target}"
    return f"row:{row.id}"


async def _collapse(
    services: Services, session: Any, candidates: list[_Candidate], now: datetime, outcome: Outcome
) -> list[tuple[_Candidate, list[Reminder]]]:
    """Group by (destination, subject); keep the newest row of each kind, supersede the rest."""
    grouped: dict[tuple[str, str], list[_Candidate]] = defaultdict(list)
    for c in candidates:
        grouped[(c.destination, subject_of(c.row))].append(c)
    posted_today = await _thread_posts_today(session, candidates, now)
    result: list[tuple[_Candidate, list[Reminder]]] = []
    superseded: dict[tuple[str, int | None], list[int]] = defaultdict(list)
    for (_destination, _subject), members in grouped.items():
        members.sort(key=lambda c: (c.row.due_at, c.row.kind == "escalation", c.row.id))
        lead = members[-1]
        newest_of_kind: dict[str, Reminder] = {}
        for c in members:
            newest_of_kind[c.row.kind] = c.row
        covered = list(newest_of_kind.values())
        covered.sort(key=lambda r: r.id != lead.row.id)  # the lead first
        earlier = [c.row for c in members if c.row not in covered]
        deadline_id = lead.row.deadline_id
        already = (
            posted_today.get(deadline_id)
            if lead.row.recipient == CASE_CHANNEL and deadline_id is not None
            else None
        )
        if already is not None:
            earlier, covered = earlier + covered, []
        by = already if already is not None else lead.row.id
        for row in earlier:
            row.status, row.superseded_by = ReminderStatus.SUPERSEDED.value, by
            superseded[(row.partnership_id, row.case_id)].append(row.id)
            outcome.superseded += 1
        if covered:
            # A row redirected here (someone away) keeps its note when it joins another row's entry.
            note = lead.note or next((c.note for c in members if c.note and c.row in covered), None)
            result.append((_Candidate(lead.row, lead.case, lead.target, note, lead.destination), covered))
    for (partnership_id, case_id), row_ids in superseded.items():
        audit.record(
            session,
            services.clock,
            actor=ENGINE,
            action="reminder.superseded",
            partnership_id=partnership_id,
            case_id=case_id,
            after={"reminders": row_ids},
        )
    if superseded:
        log.info("reminders.superseded", count=sum(len(v) for v in superseded.values()))
    return result


async def _thread_posts_today(session: Any, candidates: list[_Candidate], now: datetime) -> dict[int, int]:
    """Deadline -> a row already posted in its case thread today (UK day), for the thread rows here."""
    deadline_ids = {
        c.row.deadline_id
        for c in candidates
        if c.row.recipient == CASE_CHANNEL and c.row.deadline_id is not None
    }
    if not deadline_ids:
        return {}
    start = london_datetime(london_date(now), 0, 0)
    found = await session.execute(
        select(Reminder.deadline_id, func.min(Reminder.id))
        .where(
            Reminder.deadline_id.in_(deadline_ids),
            Reminder.recipient == CASE_CHANNEL,
            Reminder.status == ReminderStatus.SENT.value,
            Reminder.sent_at >= start,
        )
        .group_by(Reminder.deadline_id)
    )
    return {int(d): int(i) for d, i in found.all()}


async def _compose(
    services: Services,
    session: Any,
    lead: _Candidate,
    covered: list[Reminder],
    now: datetime,
    outcome: Outcome,
) -> Part | None:
    row = lead.row
    late = now - row.due_at > LATE_AFTER
    composer = services.wiring.composer_for(row.kind)
    if composer is None:
        for r in covered:
            r.status, r.last_error = ReminderStatus.DEAD.value, "unknown_kind"
        outcome.dead += len(covered)
        log.error("reminders.unknown_kind", reminder_id=row.id, kind=row.kind)
        return None
    try:
        outgoing = await composer(ComposeContext(services, session, row, late))
    except Exception as exc:
        for r in covered:
            r.status, r.last_error = ReminderStatus.DEAD.value, f"compose:{type(exc).__name__}"[:64]
        outcome.dead += len(covered)
        log.error("reminders.compose_failed", reminder_id=row.id, kind=row.kind, exc_info=True)
        return None
    if outgoing is None:
        for r in covered:
            r.status = ReminderStatus.CANCELLED.value
        outcome.cancelled += len(covered)
        return None
    return Part(row, covered, outgoing, late, lead.note)


def _hold(services: Services, lead: _Candidate, part: Part, now: datetime) -> datetime | None:
    """When a part's direct message should go instead of now (the person's working pattern)."""
    if part.outgoing.channel or not is_person(lead.target) or lead.row.recipient == CASE_CHANNEL:
        return None
    if any(r.kind in NOT_HELD_KINDS for r in part.rows):
        return None
    try:
        partnership = services.config.partnership(lead.row.partnership_id)
    except KeyError:
        return None
    person = partnership.person(lead.target)
    if person is None or person.working_days is None:
        return None
    out = part.outgoing
    return hold_until(
        now,
        person.works_on,
        partnership_calendar(partnership),
        partnership.reminders.delivery_time,
        statutory_due=out.due_on if out.statutory else None,
    )


def _final_destination(lead: _Candidate, part: Part) -> str:
    """The lane a part is sent in: a composer may name another channel."""
    if part.outgoing.channel:
        return part.outgoing.channel
    if lead.row.recipient == CASE_CHANNEL:
        return (lead.case.channel_id if lead.case else None) or ""
    return f"dm:{lead.target}"


def _batches(destination: str, parts: list[tuple[_Candidate, Part]]) -> list[Batch]:
    """One batch for every part that can be listed with others, one each for the rest."""
    listable: list[tuple[_Candidate, Part]] = []
    alone: list[tuple[_Candidate, Part]] = []
    for c, p in parts:
        out_ = p.outgoing
        (alone if out_.files or out_.channel or out_.thread_ts else listable).append((c, p))
    out: list[Batch] = []
    for group in ([listable] if listable else []) + [[one] for one in alone]:
        first, _ = group[0]
        case = first.case
        batch = Batch(
            destination_key=destination,
            recipient=first.target,
            partnership_id=first.row.partnership_id,
            case_reference=case.reference if case else None,
            case_channel=case.channel_id if case else None,
            card_ts=case.card_ts if case else None,
            parts=[p for _, p in group],
        )
        out.append(batch)
    return out


__all__ = ["Batch", "Outcome", "Part", "is_person", "prepare", "subject_of"]
