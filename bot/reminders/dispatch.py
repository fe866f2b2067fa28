"""Delivering due reminders exactly once, by construction.

Each tick: put back rows whose sender died mid-send (lease expired), claim due rows atomically
(PostgreSQL: ``FOR UPDATE SKIP LOCKED`` in the claiming UPDATE; SQLite: one writer at a time), then
for each claimed row compose, send and mark it sent with channel and ts. No database transaction is
held while Slack is called.

What "exactly once" means here: a row is claimed by one worker at a time and marked sent only by
the worker holding the claim, so two workers never both send it. The one window that can repeat a
message is a crash (kill -9) after Slack accepted the post and before the row was marked sent: when
the lease expires the row is sent again. That is at most one duplicate per row in flight at the
moment of the crash, and it is chosen over the alternative (possibly never sending a statutory
reminder).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update

from bot.cases.models import Case
from bot.observability import get_logger
from bot.reminders.kinds import ComposeContext, Outgoing, composer_for
from bot.reminders.models import Reminder, ReminderStatus
from bot.reminders.registry import load_all_kinds
from bot.services import Services
from bot.slack.errors import RateLimited, SlackError, SlackUnavailable

log = get_logger(__name__)

LEASE = timedelta(minutes=5)
LATE_AFTER = timedelta(minutes=5)
MAX_ATTEMPTS = 5
BACKOFF = (timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=5), timedelta(minutes=15))
UNREACHABLE_WAIT = timedelta(seconds=30)
DEFAULT_BATCH = 500
PARALLEL_DESTINATIONS = 600  # channels are paced one by one; different channels go in parallel
DB_SLOTS = 8  # database units of work at once in the send path (well inside the connection pool)

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
    sent_ids: list[int] = field(default_factory=list)


async def dispatch_due(
    services: Services, *, worker: str | None = None, batch: int = DEFAULT_BATCH
) -> DispatchReport:
    """Send everything due now. Safe to run in several processes at once."""
    load_all_kinds()
    worker = worker or worker_id()
    report = DispatchReport()
    now = services.clock.now()
    report.reclaimed = await reclaim_expired(services, now)
    while True:
        claimed = await claim(services, now, worker, batch)
        if not claimed:
            break
        report.claimed += len(claimed)
        await _deliver_all(services, claimed, worker, report)
        if len(claimed) < batch:
            break
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


async def claim(services: Services, now: datetime, worker: str, batch: int) -> list[int]:
    due = (
        select(Reminder.id)
        .where(
            Reminder.status == ReminderStatus.PENDING.value,
            Reminder.due_at <= now,
            or_(Reminder.next_attempt_at.is_(None), Reminder.next_attempt_at <= now),
        )
        .order_by(Reminder.due_at, Reminder.id)
        .limit(batch)
    )
    if not services.db.is_sqlite:
        due = due.with_for_update(skip_locked=True)
    stmt = (
        update(Reminder)
        .where(Reminder.id.in_(due.scalar_subquery()), Reminder.status == ReminderStatus.PENDING.value)
        .values(status=ReminderStatus.SENDING.value, claimed_by=worker, claimed_at=now)
        .returning(Reminder.id)
        .execution_options(synchronize_session=False)
    )
    async with services.db.session() as session:
        return sorted(int(i) for i in (await session.execute(stmt)).scalars())


@dataclass
class _Prepared:
    reminder_id: int
    outgoing: Outgoing
    recipient: str
    late: bool
    destination_key: str
    case_reference: str | None
    partnership_id: str
    case_channel: str | None
    card_ts: str | None


async def _deliver_all(services: Services, ids: list[int], worker: str, report: DispatchReport) -> None:
    prepared = await _prepare(services, ids, worker, report)
    by_destination: dict[str, list[_Prepared]] = defaultdict(list)
    for item in prepared:
        by_destination[item.destination_key].append(item)
    limit = asyncio.Semaphore(PARALLEL_DESTINATIONS)

    async def run_destination(items: list[_Prepared]) -> None:
        async with limit:
            for item in items:
                try:
                    await _send_one(services, item, worker, report)
                except Exception as exc:  # one row's trouble (e.g. no database connection) stops only it
                    log.error("reminders.send_failed", reminder_id=item.reminder_id, error=type(exc).__name__)

    await asyncio.gather(*(run_destination(items) for items in by_destination.values()))


async def _prepare(
    services: Services, ids: list[int], worker: str, report: DispatchReport
) -> list[_Prepared]:
    """Compose every claimed row (one read session), cancelling those no longer relevant."""
    out: list[_Prepared] = []
    now = services.clock.now()
    async with services.db.session() as session:
        rows = list((await session.execute(select(Reminder).where(Reminder.id.in_(ids)))).scalars())
        case_ids = {r.case_id for r in rows if r.case_id is not None}
        cases = {
            c.id: c for c in (await session.execute(select(Case).where(Case.id.in_(case_ids)))).scalars()
        }
        for row in rows:
            if row.status != ReminderStatus.SENDING.value or row.claimed_by != worker:
                continue
            case = cases.get(row.case_id) if row.case_id is not None else None
            if (
                case is not None
                and row.recipient != "case_channel"
                and not _may_see(services, row.recipient, case)
            ):
                # Removed from the partnership file, or no longer involved: say nothing about the case.
                row.status, row.last_error = ReminderStatus.CANCELLED.value, "recipient_no_access"
                report.cancelled += 1
                continue
            composer = composer_for(row.kind)
            late = now - row.due_at > LATE_AFTER
            if composer is None:
                row.status, row.last_error = ReminderStatus.DEAD.value, "unknown_kind"
                report.dead += 1
                log.error("reminders.unknown_kind", reminder_id=row.id, kind=row.kind)
                continue
            try:
                outgoing = await composer(ComposeContext(services, session, row, late))
            except Exception as exc:
                row.status, row.last_error = ReminderStatus.DEAD.value, f"compose:{type(exc).__name__}"[:64]
                report.dead += 1
                log.error("reminders.compose_failed", reminder_id=row.id, kind=row.kind, exc_info=True)
                continue
            if outgoing is None:
                row.status = ReminderStatus.CANCELLED.value
                report.cancelled += 1
                continue
            if late:
                outgoing.blocks = [*outgoing.blocks, _late_note(row.due_at)]
            destination = outgoing.channel or (
                ((case.channel_id if case else None) or "")
                if row.recipient == "case_channel"
                else f"dm:{row.recipient}"
            )
            out.append(
                _Prepared(
                    row.id,
                    outgoing,
                    row.recipient,
                    late,
                    destination,
                    case.reference if case else None,
                    row.partnership_id,
                    case.channel_id if case else None,
                    case.card_ts if case else None,
                )
            )
    return out


def _may_see(services: Services, user_id: str, case: Case) -> bool:
    from bot.access import can_view_case
    from bot.cases.service import facts_of

    return can_view_case(services.actor(user_id, case.partnership_id), facts_of(case))


def _late_note(due_at: datetime) -> dict[str, Any]:
    unix = int(due_at.timestamp())
    return {
        "type": "context",
        "elements": [
            {
                "type": "mrkdwn",
                "text": f"Sent late: this was due <!date^{unix}^{{date_short_pretty}} at {{time}}|"
                f"at {due_at:%Y-%m-%d %H:%M} UTC> "
                "while ReviewBot was unavailable.",
            }
        ],
    }


async def _send_one(services: Services, item: _Prepared, worker: str, report: DispatchReport) -> None:
    gateway = services.gateway
    out = item.outgoing
    if report.slack_unreachable:
        # Slack did not answer at all a moment ago: put the rest back rather than hammer it.
        await _retry_later(
            services, item, worker, report, "slack_unreachable", UNREACHABLE_WAIT, count_attempt=False
        )
        return
    if not await _still_ours(services, item.reminder_id, worker):
        return  # cancelled meanwhile (Done, Snooze), or our lease lapsed and another worker has it
    try:
        if out.channel:
            channel, thread = out.channel, out.thread_ts
        elif item.recipient == "case_channel":
            if not item.case_channel:
                raise SlackError("chat.postMessage", "case_channel_not_ready")
            channel, thread = item.case_channel, out.thread_ts or item.card_ts
        else:
            channel, thread = await gateway.open_dm(item.recipient), out.thread_ts
        posted = await gateway.post_message(channel, out.text, out.blocks or None, thread_ts=thread)
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
    await _mark_sent(services, item, worker, report, posted.channel, posted.ts)
    # Attachments after the row is marked sent: a failed upload must not post the message again.
    for filename, content, title in out.files:
        try:
            await gateway.upload_file(posted.channel, filename, content, title=title)
        except SlackError as exc:
            log.error("reminders.attachment_failed", reminder_id=item.reminder_id, error=exc.code)


_DB_SLOTS: dict[int, asyncio.Semaphore] = {}


def _db_slot(services: Services) -> asyncio.Semaphore:
    """At most a handful of the parallel senders touch the database at once, well inside the pool,
    so a big batch queues for connections here instead of timing out in the pool."""
    return _DB_SLOTS.setdefault(id(services.db), asyncio.Semaphore(DB_SLOTS))


async def _still_ours(services: Services, reminder_id: int, worker: str) -> bool:
    """Fence before each post: the row is still claimed by this worker, and the lease is renewed.

    A long batch (rate limits, many rows to one channel) may outlive the lease; renewing it here, and
    skipping a row another worker reclaimed or a person cancelled, keeps one sender per row.
    """
    async with _db_slot(services), services.db.session() as session:
        result = await session.execute(
            update(Reminder)
            .where(
                Reminder.id == reminder_id,
                Reminder.status == ReminderStatus.SENDING.value,
                Reminder.claimed_by == worker,
            )
            .values(claimed_at=services.clock.now())
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


async def _mark_sent(
    services: Services, item: _Prepared, worker: str, report: DispatchReport, channel: str, ts: str
) -> None:
    async with _db_slot(services), services.db.session() as session:
        result = await session.execute(
            update(Reminder)
            .where(
                Reminder.id == item.reminder_id,
                Reminder.status == ReminderStatus.SENDING.value,
                Reminder.claimed_by == worker,
            )
            .values(
                status=ReminderStatus.SENT.value,
                sent_at=services.clock.now(),
                late=item.late,
                sent_channel=channel,
                sent_ts=ts,
                attempts=Reminder.attempts + 1,
                last_error=None,
            )
            .execution_options(synchronize_session=False)
        )
    if result.rowcount:  # type: ignore[attr-defined]
        report.sent += 1
        report.sent_ids.append(item.reminder_id)
        services.metrics.reminders_sent.inc()
        if item.late:
            report.late += 1
            services.metrics.reminders_late.inc()


async def _retry_later(
    services: Services,
    item: _Prepared,
    worker: str,
    report: DispatchReport,
    code: str,
    wait: timedelta | None,
    *,
    count_attempt: bool = True,
) -> None:
    services.metrics.reminders_failed.inc()
    now = services.clock.now()
    async with services.db.session() as session:
        row = await session.get(Reminder, item.reminder_id)
        if row is None or row.status != ReminderStatus.SENDING.value or row.claimed_by != worker:
            return
        attempts = row.attempts + (1 if count_attempt else 0)
        give_up = attempts >= MAX_ATTEMPTS
        if not give_up:
            row.attempts = attempts
            row.status, row.claimed_by, row.claimed_at = ReminderStatus.PENDING.value, None, None
            row.last_error = code[:64]
            row.next_attempt_at = now + (
                wait if wait is not None else BACKOFF[min(attempts - 1, len(BACKOFF) - 1)]
            )
            report.retried += 1
            log.info("reminders.retry", reminder_id=row.id, attempts=attempts, error=code)
    if give_up:
        await _dead_letter(services, item, worker, report, code)


async def _dead_letter(
    services: Services, item: _Prepared, worker: str, report: DispatchReport, code: str
) -> None:
    async with services.db.session() as session:
        row = await session.get(Reminder, item.reminder_id)
        if row is None or row.status != ReminderStatus.SENDING.value or row.claimed_by != worker:
            return
        row.status, row.last_error = ReminderStatus.DEAD.value, code[:64]
        row.attempts += 1
    report.dead += 1
    services.metrics.reminders_dead.inc()
    log.error("reminders.dead_letter", reminder_id=item.reminder_id, error=code)
    await _alert_business_unit(services, item, code)


async def _alert_business_unit(services: Services, item: _Prepared, code: str) -> None:
    try:
        partnership = services.config.partnership(item.partnership_id)
    except KeyError:
        return
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
