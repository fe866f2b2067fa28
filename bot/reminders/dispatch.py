"""Delivering due reminders exactly once, by construction.

Each tick: put back rows whose sender died mid-send (lease expired), claim due rows atomically
(PostgreSQL: ``FOR UPDATE SKIP LOCKED`` under an advisory lock; SQLite: one writer at a time),
skipping destinations another worker is sending to; compose each claimed row and hand it to the
sender of its destination (one per channel or person, paced at Slack's one post a second); before
each post the row is fenced (still ours, lease renewed) and after it marked sent with channel and
ts, both through the batched :mod:`bot.reminders.ledger`. No database transaction is held while
Slack is called, and claiming goes on while earlier claims are being sent.

Several rows become one message where they can: everything due to one person (or one case thread)
in one delivery is one message, and missed rungs for one thing collapse to the newest (see
:mod:`bot.reminders.batching`). A claim therefore takes whole destinations: the rows due in the
direct messages and case threads it touched, however many. A message's rows are fenced together
before it is posted and marked sent together (same channel and ts) after it.

What "exactly once" means here: a row is claimed by one worker at a time and marked sent only by
the worker holding the claim, so two workers never both send it. The one window that can repeat a
message is a crash (kill -9) after Slack accepted the post and before the row's mark was committed:
when the lease expires the row is sent again. A destination's sender waits for its mark to commit
before its next post, so that is at most one duplicate per destination being sent to at the moment
of the crash, and it is chosen over the alternative (possibly never sending a statutory reminder).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, and_, case, cast, func, literal, or_, select, update

from bot.clock import london_date
from bot.observability import get_logger
from bot.reminders.away import deputies_on
from bot.reminders.batching import CASE_CHANNEL, Batch, is_person, prepare
from bot.reminders.blocks import Delivery, delivery_message
from bot.reminders.ledger import Ledger, Mark
from bot.reminders.models import Reminder, ReminderStatus
from bot.runtime.services import Services
from bot.runtime.wiring import Provisions
from bot.slack.blocks import local_time
from bot.slack.errors import RateLimited, SlackError, SlackUnavailable

log = get_logger(__name__)

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 5
BACKOFF = (timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=5), timedelta(minutes=15))
UNREACHABLE_WAIT = timedelta(seconds=30)
DEFAULT_BATCH = 500

# Slack errors that another attempt will not fix: give up at once and tell the business unit.
PERMANENT = {
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "invalid_blocks",
    "invalid_arguments",
    "user_not_found",
    "cannot_dm_bot",
    "user_disabled",
    "account_inactive",
    "msg_too_long",
}


_PROCESS_TOKEN = secrets.token_hex(4)


def worker_id() -> str:
    """Unique per process start, so a restarted container reusing a pid is a different claimant."""
    return f"{socket.gethostname()}-{os.getpid()}-{_PROCESS_TOKEN}"


@dataclass
class DispatchReport:
    slack_unreachable: bool = False
    claimed: int = 0
    sent: int = 0
    late: int = 0
    cancelled: int = 0
    retried: int = 0
    dead: int = 0
    reclaimed: int = 0
    superseded: int = 0
    held: int = 0
    messages: int = 0
    sent_ids: list[int] = field(default_factory=list)
    # messages sent to each person (direct messages) in this delivery
    per_person: dict[str, int] = field(default_factory=dict)


async def dispatch_due(
    services: Services, *, worker: str | None = None, batch: int = DEFAULT_BATCH
) -> DispatchReport:
    """Send everything due now. Safe to run in several processes at once.

    Claims go on while earlier claims are being sent: each batch is composed and handed to the
    senders of its destinations (one per channel, paced there), so a slow channel never holds up
    the others and the next batch never waits for the last one to finish.
    """
    worker = worker or worker_id()
    report = DispatchReport()
    now = services.clock.now()
    report.reclaimed = await reclaim_expired(services, now)
    ledger = Ledger(services, worker)
    ledger.start()
    lanes: dict[str, asyncio.Queue[Batch | None]] = {}
    senders: list[asyncio.Task[None]] = []

    async def run_lane(queue: asyncio.Queue[Batch | None]) -> None:
        while (item := await queue.get()) is not None:
            try:
                await _send_one(services, ledger, item, worker, report)
            except Exception as exc:  # one message's trouble (e.g. no database connection) stops only it
                log.error("reminders.send_failed", reminder_id=item.reminder_ids[0], error=type(exc).__name__)
            finally:
                for reminder_id in item.reminder_ids:  # left 'sending' after a failure: back after the lease
                    ledger.release(reminder_id)

    try:
        while True:
            claimed = await claim(services, now, worker, batch)
            if not claimed:
                break
            report.claimed += len(claimed)
            outcome = await prepare(services, claimed, worker)
            report.cancelled += outcome.cancelled
            report.dead += outcome.dead
            report.superseded += outcome.superseded
            report.held += outcome.held
            for item in outcome.batches:
                queue = lanes.get(item.destination_key)
                if queue is None:
                    queue = lanes[item.destination_key] = asyncio.Queue()
                    senders.append(asyncio.create_task(run_lane(queue), name="reminder-lane"))
                for reminder_id in item.reminder_ids:
                    ledger.hold(reminder_id)
                queue.put_nowait(item)
            if len(claimed) < batch:
                break
    finally:
        for queue in lanes.values():
            queue.put_nowait(None)
        try:
            await asyncio.gather(*senders)
        finally:
            await ledger.close()
    for count in report.per_person.values():
        services.metrics.messages_per_person.observe(count)
    return report


async def reclaim_expired(services: Services, now: datetime) -> int:
    """Rows left 'sending' by a worker that died: back to pending (see the module docstring)."""
    async with services.db.session() as session:
        result = await session.execute(
            update(Reminder)
            .where(Reminder.status == ReminderStatus.SENDING.value, Reminder.claimed_at < now - LEASE)
            .values(status=ReminderStatus.PENDING.value, claimed_by=None, claimed_at=None)
            .execution_options(synchronize_session=False)
        )
        count = int(result.rowcount or 0)  # type: ignore[attr-defined]
    if count:
        log.warning("reminders.reclaimed", count=count)
    return count


CLAIM_LOCK = 0x52455642  # PostgreSQL advisory lock taken while claiming ("REVB")


def lane_of() -> Any:
    """A row's destination in SQL: its case's channel, or the person or channel it names. Posts to
    one destination are paced at about one a second, so one worker at a time sends a lane."""
    return case(
        (
            Reminder.recipient == "case_channel",
            literal("case:") + cast(func.coalesce(Reminder.case_id, 0), String),
        ),
        else_=Reminder.recipient,
    )


async def claim(services: Services, now: datetime, worker: str, batch: int) -> list[int]:
    """Claim up to ``batch`` due rows, skipping destinations another worker is sending to.

    Two workers posting to one channel would each pace themselves at Slack's limit and together
    exceed it (429s, and retries). Claims are taken one worker at a time (an advisory lock on
    PostgreSQL; SQLite has one writer anyway) so the "held by another worker" check cannot race.
    """
    held_elsewhere = (
        select(lane_of())
        .where(
            Reminder.status == ReminderStatus.SENDING.value,
            Reminder.claimed_by != worker,
            Reminder.claimed_at >= now - LEASE,
        )
        .scalar_subquery()
    )
    due = (
        select(Reminder.id)
        .where(
            Reminder.status == ReminderStatus.PENDING.value,
            Reminder.due_at <= now,
            or_(Reminder.next_attempt_at.is_(None), Reminder.next_attempt_at <= now),
            lane_of().not_in(held_elsewhere),
        )
        .order_by(Reminder.due_at, Reminder.id)
        .limit(batch)
    )
    chosen: Any = due.scalar_subquery()
    if not services.db.is_sqlite:
        # A materialised CTE: PostgreSQL may otherwise run a LIMIT ... SKIP LOCKED subquery more
        # than once in one UPDATE and claim several batches at once (measured: 58 rows for 10).
        cte = due.with_for_update(skip_locked=True).cte("due").prefix_with("MATERIALIZED")
        chosen = select(cte.c.id).scalar_subquery()
    stmt = (
        update(Reminder)
        .where(Reminder.id.in_(chosen), Reminder.status == ReminderStatus.PENDING.value)
        .values(status=ReminderStatus.SENDING.value, claimed_by=worker, claimed_at=now)
        .returning(Reminder.id, Reminder.recipient, Reminder.case_id, Reminder.partnership_id)
        .execution_options(synchronize_session=False)
    )
    async with services.db.session() as session:
        if not services.db.is_sqlite:
            await session.execute(select(func.pg_advisory_xact_lock(CLAIM_LOCK)))
        first = (await session.execute(stmt)).all()
        ids = {int(r.id) for r in first}
        people = {(r.partnership_id, r.recipient) for r in first if is_person(r.recipient)}
        threads = {int(r.case_id) for r in first if r.recipient == CASE_CHANNEL and r.case_id is not None}
        if people or threads:
            ids |= await _claim_rest(services, session, now, worker, people, threads)
        return sorted(ids)


async def _claim_rest(
    services: Services,
    session: Any,
    now: datetime,
    worker: str,
    people: set[tuple[str, str]],
    threads: set[int],
) -> set[int]:
    """Everything else due in the direct messages and case threads a claim touched (and in the
    direct messages of the deputies of the people in it, and of those they deputise for), so each
    goes out as one message. Rows waiting for a retry come too: this destination is being sent
    to now anyway, and a row left behind would be a second message seconds later."""
    away = await deputies_on(session, london_date(now))
    users = {u for _, u in people}
    for (partnership_id, user), deputy in away.items():
        if (partnership_id, user) in people:
            users.add(deputy)
        if deputy in users:
            users.add(user)
    rest = select(Reminder.id).where(
        Reminder.status == ReminderStatus.PENDING.value,
        Reminder.due_at <= now,
        or_(
            Reminder.recipient.in_(sorted(users)),
            and_(Reminder.recipient == CASE_CHANNEL, Reminder.case_id.in_(sorted(threads))),
        ),
    )
    chosen: Any = rest.scalar_subquery()
    if not services.db.is_sqlite:
        cte = rest.with_for_update(skip_locked=True).cte("rest").prefix_with("MATERIALIZED")
        chosen = select(cte.c.id).scalar_subquery()
    more = await session.execute(
        update(Reminder)
        .where(Reminder.id.in_(chosen), Reminder.status == ReminderStatus.PENDING.value)
        .values(status=ReminderStatus.SENDING.value, claimed_by=worker, claimed_at=now)
        .returning(Reminder.id)
        .execution_options(synchronize_session=False)
    )
    return {int(i) for i in more.scalars()}


def _late_note(due_at: datetime) -> dict[str, Any]:
    return {
        "type": "context",
        "elements": [
            {
                "type": "mrkdwn",
                "text": f"Sent late: this was due "
                f"{local_time(due_at, '{date_short_pretty} at {time}')} "
                "while ReviewBot was unavailable.",
            }
        ],
    }


def _message(item: Batch) -> tuple[str, list[dict[str, Any]]]:
    """One part as its composer said it; several as one listing (see bot.reminders.blocks)."""
    late_note = _late_note(min(p.lead.due_at for p in item.parts if p.late)) if item.late else None
    if len(item.parts) == 1:
        out = item.parts[0].outgoing
        blocks = list(out.blocks)
        if item.parts[0].note:
            blocks.insert(
                0, {"type": "context", "elements": [{"type": "mrkdwn", "text": item.parts[0].note}]}
            )
        return out.text, blocks + ([late_note] if late_note else [])
    delivery = Delivery(
        [p.entry() for p in item.parts],
        late_note=late_note,
        thread=item.recipient == CASE_CHANNEL,
        references=[p.outgoing.reference for p in item.parts if p.outgoing.reference],
    )
    return delivery_message(delivery)


async def _send_one(
    services: Services, ledger: Ledger, item: Batch, worker: str, report: DispatchReport
) -> None:
    gateway = services.gateway
    if report.slack_unreachable:
        # Slack did not answer at all a moment ago: put the rest back rather than hammer it.
        await _retry_later(
            services, item, worker, report, "slack_unreachable", UNREACHABLE_WAIT, count_attempt=False
        )
        return
    ours = await ledger.still_ours_all(item.reminder_ids)
    if len(ours) < len(item.reminder_ids):
        # Cancelled meanwhile (Done, Snooze), or our lease lapsed and another worker has them: what is
        # left of a part someone acted on goes back for the next tick to look at again.
        kept = [p for p in item.parts if set(p.reminder_ids) <= ours]
        loose = [i for p in item.parts if p not in kept for i in p.reminder_ids if i in ours]
        if loose:
            await _put_back(services, worker, loose)
        if not kept:
            return
        item.parts = kept
    out = item.parts[0].outgoing
    text, blocks = _message(item)
    try:
        if out.channel:
            channel, thread = out.channel, out.thread_ts
        elif item.recipient == CASE_CHANNEL:
            if not item.case_channel:
                raise SlackError("chat.postMessage", "case_channel_not_ready")
            channel, thread = item.case_channel, out.thread_ts or item.card_ts
        else:
            channel, thread = await gateway.open_dm(item.recipient), out.thread_ts
        posted = await gateway.post_message(channel, text, blocks or None, thread_ts=thread)
    except RateLimited as exc:
        await _retry_later(
            services,
            item,
            worker,
            report,
            "ratelimited",
            timedelta(seconds=exc.retry_after),
            count_attempt=False,
        )
        return
    except SlackUnavailable as exc:
        if exc.status is None:  # no answer at all: an outage, which must not use up the attempts
            report.slack_unreachable = True
            await _retry_later(
                services, item, worker, report, exc.code, UNREACHABLE_WAIT, count_attempt=False
            )
        else:  # Slack answered 5xx to this request
            await _retry_later(services, item, worker, report, exc.code, None)
        return
    except SlackError as exc:
        if exc.code in PERMANENT:
            await _dead_letter(services, item, worker, report, exc.code)
        else:
            await _retry_later(services, item, worker, report, exc.code, None)
        return
    late = {i for p in item.parts if p.late for i in p.reminder_ids}
    marked = await ledger.sent_all([Mark(i, posted.channel, posted.ts, i in late) for i in item.reminder_ids])
    if marked:
        report.messages += 1
        if item.person:
            report.per_person[item.person] = report.per_person.get(item.person, 0) + 1
    for reminder_id in item.reminder_ids:
        if reminder_id in marked:
            report.sent += 1
            report.sent_ids.append(reminder_id)
            services.metrics.reminders_sent.inc()
            if reminder_id in late:
                report.late += 1
                services.metrics.reminders_late.inc()
    # Attachments after the rows are marked sent: a failed upload must not post the message again.
    for filename, content, title in out.files if len(item.parts) == 1 else []:
        try:
            await gateway.upload_file(posted.channel, filename, content, title=title)
        except SlackError as exc:
            log.error("reminders.attachment_failed", reminder_id=item.reminder_ids[0], error=exc.code)


async def _put_back(services: Services, worker: str, ids: list[int]) -> None:
    async with services.db.session() as session:
        await session.execute(
            update(Reminder)
            .where(
                Reminder.id.in_(ids),
                Reminder.status == ReminderStatus.SENDING.value,
                Reminder.claimed_by == worker,
            )
            .values(status=ReminderStatus.PENDING.value, claimed_by=None, claimed_at=None)
            .execution_options(synchronize_session=False)
        )


async def _retry_later(
    services: Services,
    item: Batch,
    worker: str,
    report: DispatchReport,
    code: str,
    wait: timedelta | None,
    *,
    count_attempt: bool = True,
) -> None:
    """Put a message's rows back for another attempt; rows out of attempts are set aside."""
    services.metrics.reminders_failed.inc()
    now = services.clock.now()
    give_up: list[int] = []
    async with services.db.session() as session:
        rows = (await session.execute(select(Reminder).where(Reminder.id.in_(item.reminder_ids)))).scalars()
        for row in rows:
            if row.status != ReminderStatus.SENDING.value or row.claimed_by != worker:
                continue
            attempts = row.attempts + (1 if count_attempt else 0)
            if attempts >= MAX_ATTEMPTS:
                give_up.append(row.id)
                continue
            row.attempts = attempts
            row.status, row.claimed_by, row.claimed_at = ReminderStatus.PENDING.value, None, None
            row.last_error = code[:64]
            row.next_attempt_at = now + (
                wait if wait is not None else BACKOFF[min(attempts - 1, len(BACKOFF) - 1)]
            )
            report.retried += 1
            log.info("reminders.retry", reminder_id=row.id, attempts=attempts, error=code)
    if give_up:
        await _dead_letter(services, item, worker, report, code, only=give_up)


async def _dead_letter(
    services: Services,
    item: Batch,
    worker: str,
    report: DispatchReport,
    code: str,
    *,
    only: list[int] | None = None,
) -> None:
    dead = 0
    async with services.db.session() as session:
        ids = only if only is not None else item.reminder_ids
        for row in (await session.execute(select(Reminder).where(Reminder.id.in_(ids)))).scalars():
            if row.status != ReminderStatus.SENDING.value or row.claimed_by != worker:
                continue
            row.status, row.last_error = ReminderStatus.DEAD.value, code[:64]
            row.attempts += 1
            dead += 1
            log.error("reminders.dead_letter", reminder_id=row.id, error=code)
    if not dead:
        return
    report.dead += dead
    services.metrics.reminders_dead.inc(dead)
    await _alert_business_unit(services, item, code)


async def _alert_business_unit(services: Services, item: Batch, code: str) -> None:
    try:
        partnership = services.config.partnership(item.partnership_id)
    except KeyError:
        return
    references = sorted({p.outgoing.reference for p in item.parts if p.outgoing.reference})
    if len(references) > 1:
        what = f"for cases {', '.join(references[:10])}"
    else:
        what = f"for case {item.case_reference}" if item.case_reference else "for the partnership"
    text = (
        f":rotating_light: A reminder {what} could not be delivered (reason: `{code}`) "
        "and has been set aside. "
        "Check that ReviewBot is in the case channel and the person's account is active; "
        "`reviewbot reminders status` lists set-aside reminders."
    )
    try:
        await services.gateway.post_message(partnership.channels.business_unit, text)
    except SlackError as exc:
        log.error("reminders.alert_failed", error=exc.code)


async def queue_depth(services: Services) -> int:
    """Reminders due now and not yet sent (pending or being sent)."""
    now = services.clock.now()
    async with services.db.session() as session:
        count = await session.execute(
            select(func.count())
            .select_from(Reminder)
            .where(
                Reminder.status.in_([ReminderStatus.PENDING.value, ReminderStatus.SENDING.value]),
                Reminder.due_at <= now,
            )
        )
        return int(count.scalar_one())


def provide(features: Provisions) -> None:
    """What this module provides (called from bot.runtime.features)."""
    features.tick(dispatch_due, order=50)
