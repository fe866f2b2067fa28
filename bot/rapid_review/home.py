"""A person's open rapid review items, for the Home tab (which another module owns and draws).

:func:`open_items_for` answers "what is waiting on me?": checklist items assigned to the person or
owned by their agency or role, their agency's outstanding returns (agency leads), and sign-offs
awaiting them (signatories). :func:`open_items_blocks` draws them within a block budget, so the Home
tab stays inside Slack's 100-block limit however many there are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.access import Actor, Permission, can_view_case, decide
from bot.cases.models import Case
from bot.cases.service import facts_of
from bot.cases.states import Stage
from bot.rapid_review.blocks import short_day
from bot.rapid_review.free_text import agency_name
from bot.rapid_review.models import AgencyReturn, ChecklistItem, RapidReview, RapidReviewDecision, SignOff
from bot.rapid_review.states import ItemStatus
from bot.rules.checklist_templates import CompletedBy
from bot.runtime.services import Services
from bot.runtime.wiring import Provisions
from bot.slack.blocks import SECTION_TEXT_CUT, context, section
from bot.slack.mrkdwn import escape as esc


@dataclass(frozen=True)
class OpenItem:
    kind: str  # "checklist", "agency_return" or "sign_off"
    case_id: int
    reference: str
    channel_id: str | None
    code: str  # R11, an agency id, ...
    title: str
    due_on: date | None
    assigned_to_me: bool = False

    @property
    def label(self) -> str:
        """What the Home tab lists: 'R11 Police agency summary…', or the return or sign-off."""
        return f"{self.code} {self.title}" if self.kind == "checklist" else self.title

    @property
    def status_text(self) -> str:
        if self.kind == "checklist":
            return "assigned to you" if self.assigned_to_me else "your agency's checklist item"
        return {"agency_return": "agency return outstanding", "sign_off": "awaiting your sign-off"}.get(
            self.kind, ""
        )

    def sort_key(self) -> tuple[date, str, str]:
        return (self.due_on or date.max, self.reference, self.code)


def _answers_for_agency(services: Services, actor: Actor, agency_id: str) -> bool:
    """The agency's leads answer for its items and return; people with another role there only
    when it has no lead (the same people the return's reminders go to)."""
    if actor.agency_id != agency_id or actor.partnership_id is None:
        return False
    if "agency_lead" in actor.roles:
        return True
    partnership = services.config.partnership(actor.partnership_id)
    return not partnership.people_with_role("agency_lead", agency=agency_id)


def _mine(services: Services, actor: Actor, item: ChecklistItem) -> bool:
    if item.completed_by == CompletedBy.ALL_SIGNED_OFF.value:
        return False  # each partner's own "sign off" entry stands for it
    if item.assignee_user_id is not None:
        return item.assignee_user_id == actor.user_id
    if item.owner_agency is not None:
        return _answers_for_agency(services, actor, item.owner_agency)
    return item.owner in actor.roles


async def _signed_agencies(session: AsyncSession, versions: dict[int, int]) -> dict[int, set[str]]:
    """The agencies that signed each case's current decision version, in one query for all cases."""
    signed: dict[int, set[str]] = {case_id: set() for case_id in versions}
    if versions:
        rows = await session.execute(
            select(SignOff.case_id, SignOff.decision_version, SignOff.agency_id).where(
                SignOff.case_id.in_(list(versions)), SignOff.voided_at.is_(None)
            )
        )
        for case_id, version, agency_id in rows:
            if version == versions[case_id]:
                signed[case_id].add(agency_id)
    return signed


async def open_items_for(services: Services, user_id: str) -> list[OpenItem]:
    """Everything in a live rapid review waiting on this person, most urgent first."""
    actors = {a.partnership_id: a for a in services.actors(user_id) if a.partnership_id}
    if not actors:
        return []
    async with services.db.session() as session:
        cases = list(
            (
                await session.execute(
                    select(Case)
                    .join(RapidReview, RapidReview.case_id == Case.id)
                    .where(Case.partnership_id.in_(list(actors)), Case.stage != Stage.CLOSED.value)
                )
            ).scalars()
        )
        cases = [c for c in cases if can_view_case(actors[c.partnership_id], facts_of(c))]
        by_id = {c.id: c for c in cases}
        if not by_id:
            return []
        items = list(
            (
                await session.execute(
                    select(ChecklistItem).where(
                        ChecklistItem.case_id.in_(list(by_id)), ChecklistItem.status == ItemStatus.TODO.value
                    )
                )
            ).scalars()
        )
        returns = list(
            (
                await session.execute(
                    select(AgencyReturn).where(
                        AgencyReturn.case_id.in_(list(by_id)), AgencyReturn.received_on.is_(None)
                    )
                )
            ).scalars()
        )
        decisions = list(
            (
                await session.execute(
                    select(RapidReviewDecision).where(RapidReviewDecision.case_id.in_(list(by_id)))
                )
            ).scalars()
        )
        reviews = {
            r.case_id: r
            for r in (
                await session.execute(select(RapidReview).where(RapidReview.case_id.in_(list(by_id))))
            ).scalars()
        }
        signed = await _signed_agencies(session, {d.case_id: d.version for d in decisions})
    out: list[OpenItem] = []
    for item in items:
        case = by_id[item.case_id]
        actor = actors[case.partnership_id]
        if _mine(services, actor, item):
            out.append(
                OpenItem(
                    "checklist",
                    case.id,
                    case.reference,
                    case.channel_id,
                    item.item_id,
                    item.title,
                    item.target_on,
                    item.assignee_user_id == user_id,
                )
            )
    for ret in returns:
        case = by_id[ret.case_id]
        actor = actors[case.partnership_id]
        if _answers_for_agency(services, actor, ret.agency_id) and decide(
            actor, Permission.RECORD_AGENCY_RETURN, facts_of(case), target_agency=ret.agency_id
        ):
            name = agency_name(services.config.partnership(case.partnership_id), ret.agency_id)
            out.append(
                OpenItem(
                    "agency_return",
                    case.id,
                    case.reference,
                    case.channel_id,
                    ret.agency_id,
                    f"Agency summary from {name}",
                    ret.due_on,
                )
            )
    for decision in decisions:
        case = by_id[decision.case_id]
        actor = actors[case.partnership_id]
        rr = reviews.get(case.id)
        partnership = services.config.partnership(case.partnership_id)
        required = {a.id for a in partnership.signatory_agencies()}
        if (
            (rr is None or rr.panel_sent_on is None)
            and actor.agency_id in required
            and actor.agency_id not in signed.get(case.id, set())
            and "signatory" in actor.roles
        ):
            out.append(
                OpenItem(
                    "sign_off",
                    case.id,
                    case.reference,
                    case.channel_id,
                    str(actor.agency_id),
                    f"Sign off version {decision.version} of the decision for "
                    f"{agency_name(partnership, actor.agency_id)}",
                    None,
                )
            )
    return sorted(out, key=OpenItem.sort_key)


def open_items_blocks(items: list[OpenItem], today: date, *, max_blocks: int = 12) -> list[dict[str, object]]:
    """The person's items as a few sections (one per case, many lines each), within ``max_blocks``."""
    blocks: list[dict[str, object]] = [section("*Waiting on you in rapid reviews*")]
    if not items:
        blocks.append(context("Nothing waiting on you."))
        return blocks
    by_case: dict[int, list[OpenItem]] = {}
    for item in items:
        by_case.setdefault(item.case_id, []).append(item)
    shown = 0
    for case_items in by_case.values():
        if len(blocks) >= max_blocks - 1:
            break
        first = case_items[0]
        where = f"<#{first.channel_id}>" if first.channel_id else first.reference
        text = f"*{first.reference}* {where}"
        for item in case_items:
            line = "\n" + _line(item, today)
            if len(text) + len(line) > SECTION_TEXT_CUT - 60:
                break
            text += line
            shown += 1
        blocks.append(section(text))
    if shown < len(items):
        blocks.append(
            context(f"…and {len(items) - shown} more. Run `/review checklist all` in a case channel.")
        )
    return blocks


def _line(item: OpenItem, today: date) -> str:
    due = ""
    if item.due_on is not None:
        due = f" · due {short_day(item.due_on)}" + (" *overdue*" if item.due_on < today else "")
    mark = {
        "checklist": ":ballot_box_with_check:",
        "agency_return": ":inbox_tray:",
        "sign_off": ":lower_left_fountain_pen:",
    }
    code = f"{esc(item.code)} " if item.kind == "checklist" else ""
    return f"{mark.get(item.kind, '•')} {code}{esc(item.title[:140])}{due}"


@dataclass(frozen=True)
class ChecklistOnHome:
    """The Home tab's "checklist" section."""

    key: str = "checklist"

    async def items_for(self, services: Services, user_id: str) -> Sequence[Any]:
        return await open_items_for(services, user_id)


def provide(features: Provisions) -> None:
    """What this module provides (called from bot.runtime.features)."""
    features.home_section(ChecklistOnHome())
