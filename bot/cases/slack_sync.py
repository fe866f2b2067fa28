"""Putting a committed case into Slack: its private channel, invitations, and the pinned card.

Each step is idempotent and records its result at once (channel id, card ts), so a step that fails
(Slack down, rate limited) is simply retried later by the worker's tick without repeating the steps
that succeeded.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.board.service import refresh_board_message
from bot.cases.card import CardChild, CaseCard, card_blocks, opened_late_warning, overdue_warning
from bot.cases.models import Case
from bot.cases.reference import channel_name_for
from bot.cases.service import deadlines_of
from bot.clock import LONDON, london_date
from bot.config.partnership import Partnership
from bot.deadlines.planning import case_calendar, case_ruleset
from bot.deadlines.view import describe_deadline
from bot.learning_together.holds import held_deadlines
from bot.observability import get_logger
from bot.rapid_review.messages import sync_checklist
from bot.runtime.services import Services
from bot.runtime.wiring import Provisions
from bot.slack.errors import NameTaken, SlackError

log = get_logger(__name__)

NOTIFICATION_RULE_IDS = {
    "serious_incident_notification",
    "looked_after_child_death_notification",
    "care_leaver_death_notification",
}


async def build_card(services: Services, case_id: int) -> CaseCard:
    async with services.db.read() as session:
        case = await session.get(Case, case_id)
        assert case is not None
        deadlines = await deadlines_of(session, case_id)
        held = await held_deadlines(session, case)
    partnership = services.config.partnership(case.partnership_id)
    calendar = case_calendar(partnership, case)
    today = london_date(services.clock.now())
    lines = [describe_deadline(d, today, calendar, held.get(d.rule_id)) for d in deadlines]
    warnings = []
    warned: set[int] = set()
    if case.notification_sent_at is None:
        for line in lines:
            if line.rule_id in NOTIFICATION_RULE_IDS and (warning := overdue_warning(line)):
                warnings.append(warning)
                warned.add(line.deadline_id)
    opened = london_date(case.created_at)
    late_at_opening = [
        line
        for deadline, line in zip(deadlines, lines, strict=True)
        if deadline.met_on is None
        and not deadline.not_applicable_reason
        and (target := deadline.revised_due_on or deadline.due_on) is not None
        and target < opened
    ]
    if late_at_opening:
        warnings.append(
            opened_late_warning([line for line in late_at_opening if line.deadline_id not in warned])
        )
    agency_names = [agency_name(partnership, a.agency_id) for a in case.agencies]
    source_link = None
    if case.source_channel_id and case.source_message_ts:
        source_link = f"<#{case.source_channel_id}>"
    return CaseCard(
        case_id=case.id,
        reference=case.reference,
        notification_type=case.notification_type,
        notification_only=case.notification_only,
        stage=case.stage,
        owner_user_id=case.owner_user_id,
        ruleset_title=case_ruleset(case).title,
        ruleset_version=case.ruleset_version,
        agencies=agency_names,
        children=[CardChild(c.pseudonym, c.age_band, c.legal_status) for c in case.children],
        police_investigation=case.police_investigation,
        media_interest=case.media_interest,
        notification_sent_on=(
            case.notification_sent_at.astimezone(LONDON).strftime("%d/%m/%Y")
            if case.notification_sent_at
            else None
        ),
        deadlines=lines,
        updated_at=services.clock.now(),
        source_link=source_link,
        warnings=warnings,
    )


def agency_name(partnership: Partnership, agency_id: str) -> str:
    agency = partnership.agency(agency_id)
    return agency.name if agency is not None else agency_id


async def ensure_case_in_slack(services: Services, case_id: int) -> None:
    """Create what is missing: channel, invitations, topic, card and pin. Safe to call again.

    With OAuth installs, in the workspace the case's partnership lives in (its installation's token)."""
    async with services.db.session() as session:
        case = await session.get(Case, case_id)
        assert case is not None
        partnership_id = case.partnership_id
    async with services.acting_for(partnership_id, force=True):
        await _ensure_case_in_slack(services, case_id)


async def _ensure_case_in_slack(services: Services, case_id: int) -> None:
    gateway = services.gateway
    async with services.db.session() as session:
        case = await session.get(Case, case_id)
        assert case is not None
        channel_id, card_ts, reference = case.channel_id, case.card_ts, case.reference
        members = sorted(m.user_id for m in case.members)
    if channel_id is None:
        channel_id = await _create_channel(services, case_id, reference)
    if card_ts is None:
        # Invitations and topic come before the card, so a set-up that failed part-way is resumed
        # from here; inviting someone already in the channel is not an error.
        await _invite(services, channel_id, members)
        await gateway.set_topic(channel_id, f"Case {reference}. Case references and pseudonyms only, please.")
        text, blocks = card_blocks(await build_card(services, case_id))
        posted = await gateway.post_message(channel_id, text, blocks)
        async with services.db.session() as session:
            case = await session.get(Case, case_id)
            assert case is not None
            case.card_ts = posted.ts
        try:
            await gateway.pin(channel_id, posted.ts)
        except SlackError as exc:
            if exc.code != "already_pinned":
                raise
    await _ensure_checklist_posted(services, case_id)


async def _invite(services: Services, channel_id: str, members: list[str]) -> None:
    try:
        await services.gateway.invite(channel_id, members)
    except SlackError as exc:
        if exc.code != "already_in_channel":
            raise
        for member in members:  # invite one by one so the others still get in
            try:
                await services.gateway.invite(channel_id, [member])
            except SlackError as one:
                if one.code != "already_in_channel":
                    raise


async def _ensure_checklist_posted(services: Services, case_id: int) -> None:
    """The rapid review checklist follows the card into the channel and keeps up with it (no-op without
    one; an unchanged checklist costs no Slack call)."""
    await sync_checklist(services, case_id)


async def _create_channel(services: Services, case_id: int, reference: str) -> str:
    base = channel_name_for(reference)
    for attempt in range(1, 6):
        name = base if attempt == 1 else f"{base}-{attempt}"
        try:
            channel_id = await services.gateway.create_private_channel(name)
            break
        except NameTaken:
            continue
    else:
        raise NameTaken("conversations.create", "name_taken")
    async with services.db.session() as session:
        case = await session.get(Case, case_id)
        assert case is not None
        case.channel_id = channel_id
    log.info("case.channel_created", case_id=case_id)
    return channel_id


async def refresh_card(services: Services, case_id: int) -> None:
    """Edit the pinned card in place (same channel and ts); create it if it is missing."""
    async with services.db.read() as session:
        case = await session.get(Case, case_id)
        assert case is not None
        partnership_id = case.partnership_id
    async with services.acting_for(partnership_id, force=True):  # the case's own workspace
        await _refresh_card(services, case_id)


async def _refresh_card(services: Services, case_id: int) -> None:
    async with services.db.read() as session:
        case = await session.get(Case, case_id)
        assert case is not None
        channel_id, card_ts = case.channel_id, case.card_ts
    if channel_id is None or card_ts is None:
        await ensure_case_in_slack(services, case_id)
        return
    text, blocks = card_blocks(await build_card(services, case_id))
    await services.gateway.update_message(channel_id, card_ts, text, blocks)
    await _ensure_checklist_posted(services, case_id)
    request_board_refresh(services, case_id)


def request_card_refresh(services: Services, case_id: int) -> None:
    """Redraw a case's card after the ack (coalesced: many requests, one redraw)."""
    services.tasks.spawn_coalesced(
        f"card:{case_id}",
        lambda: refresh_card(services, case_id),
        name="refresh-card",
        min_interval=services.gateway.pace_seconds,
    )


def request_board_refresh(services: Services, case_id: int) -> None:
    """Redraw a case's line in the board summary after the ack (coalesced like the card)."""
    services.tasks.spawn_coalesced(
        f"board:{case_id}",
        lambda: refresh_board_message(services, case_id),
        name="refresh-board",
        min_interval=services.gateway.pace_seconds,
    )


RESUME_AFTER = timedelta(minutes=2)


async def resume_unfinished_setups(services: Services) -> None:
    """Worker tick: finish cases whose Slack set-up failed part-way (e.g. Slack was unreachable).

    Only cases opened more than two minutes ago: a fresh case is being set up by the web process
    that opened it, and two set-ups at once would create two channels.
    """
    cutoff = services.clock.now() - RESUME_AFTER
    async with services.db.session() as session:
        rows = await session.execute(
            select(Case.id).where(
                (Case.channel_id.is_(None)) | (Case.card_ts.is_(None)), Case.created_at < cutoff
            )
        )
        case_ids = list(rows.scalars())
    for case_id in case_ids:
        try:
            await ensure_case_in_slack(services, case_id)
        except SlackError as exc:
            log.warning("case.setup_retry_failed", case_id=case_id, error=exc.code)


def provide(features: Provisions) -> None:
    """What this module provides (called from bot.runtime.features)."""
    features.tick(resume_unfinished_setups, order=10)
