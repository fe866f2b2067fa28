"""Delivering due reminders exactly once, by construction.

Each tick: put back rows whose sender died mid-send (lease expired), claim due rows atomically
(PostgreSQL: ``FOR UPDATE SKIP LOCKED`` under an advisory lock; SQLite: one writer at a time),
skipping destinations another worker is sending to; compose each claimed row and hand it to the
sender of its destination (one per channel or person, paced at Slack's one post a second); before
each post the row is fenced (still ours, lease renewed) and after it marked sent with channel and
ts, both through the batched :mod:`bot.reminders.ledger`. No database transaction is held while
Slack is called, and claiming goes on while earlier claims are being sent.

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

from sqlalchemy import String, case, cast, func, literal, or_, select, update

from bot.access import can_view_case
from bot.cases.models import Case
from bot.cases.service import facts_of
from bot.observability import get_logger
from bot.reminders.kinds import ComposeContext, Outgoing
from bot.reminders.ledger import Ledger, Mark
from bot.reminders.models import Reminder, ReminderStatus
from bot.runtime.services import Services
from bot.runtime.wiring import Provisions
from bot.slack.errors import RateLimited, SlackError, SlackUnavailable

log = get_logger(__name__)

LEASE = timedelta(minutes=5)
LATE_AFTER = timedelta(minutes=5)
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
    sent_ids: list[int] = field(default_factory=list)


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
    lanes: dict[str, asyncio.Queue[_Prepared | None]] = {}
    senders: list[asyncio.Task[None]] = []

    async def run_lane(queue: asyncio.Queue[_Prepared | None]) -> None:
        while (item := await queue.get()) is not None:
            try:
                await _send_one(services, ledger, item, worker, report)
            except Exception as exc:  # one row's trouble (e.g. no database connection) stops only it
                log.error("reminders.send_failed", reminder_id=item.reminder_id, error=type(exc).__name__)
            finally:
                ledger.release(item.reminder_id)  # left 'sending' after a failure: back after the lease

    try:
        while True:
            claimed = await claim(services, now, worker, batch)
            if not claimed:
                break
            report.claimed += len(claimed)
            for item in await _prepare(services, claimed, worker, report):
                queue = lanes.get(item.destination_key)
                if queue is None:
                    queue = lanes[item.destination_key] = asyncio.Queue()
                    senders.append(asyncio.create_task(run_lane(queue), name="reminder-lane"))
                ledger.hold(item.reminder_id)
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
        .returning(Reminder.id)
        .execution_options(synchronize_session=False)
    )
    async with services.db.session() as session:
        if not services.db.is_sqlite:
            await session.execute(select(func.pg_advisory_xact_lock(CLAIM_LOCK)))
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
            composer = services.wiring.composer_for(row.kind)
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


async def _send_one(
    services: Services, ledger: Ledger, item: _Prepared, worker: str, report: DispatchReport
) -> None:
    gateway = services.gateway
    out = item.outgoing
    if report.slack_unreachable:
        # Slack did not answer at all a moment ago: put the rest back rather than hammer it.
        await _retry_later(
            services, item, worker, report, "slack_unreachable", UNREACHABLE_WAIT, count_attempt=False
        )
        return
    if not await ledger.still_ours(item.reminder_id):
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
    if await ledger.sent(Mark(item.reminder_id, posted.channel, posted.ts, item.late)):
        report.sent += 1
        report.sent_ids.append(item.reminder_id)
        services.metrics.reminders_sent.inc()
        if item.late:
            report.late += 1
            services.metrics.reminders_late.inc()
    # Attachments after the row is marked sent: a failed upload must not post the message again.
    for filename, content, title in out.files:
        try:
            await gateway.upload_file(posted.channel, filename, content, title=title)
        except SlackError as exc:
            log.error("reminders.attachment_failed", reminder_id=item.reminder_id, error=exc.code)


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


def provide(features: Provisions) -> None:
    """What this module provides (called from bot.runtime.features)."""
    features.tick(dispatch_due, order=50)
