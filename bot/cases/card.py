"""The case card: the pinned message in the case channel, updated in place (pure Block Kit)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.cases.states import STAGE_LABELS, Stage
from bot.deadlines.status import DeadlineStatus
from bot.deadlines.view import STATUS_EMOJI, STATUS_WORDS, DeadlineLine, short_anchor
from bot.notifications.form import (
    AGE_BAND_LABELS,
    LEGAL_STATUS_LABELS,
    NOTIFICATION_TYPE_LABELS,
    AgeBand,
    LegalStatus,
)
from bot.rules.models import NotificationType
from bot.slack.blocks import header, local_time, pack_lines
from bot.slack.ids import ActionId
from bot.slack.mrkdwn import escape as _escape


@dataclass(frozen=True)
class CardChild:
    pseudonym: str
    age_band: str
    legal_status: str


@dataclass(frozen=True)
class CaseCard:
    case_id: int
    reference: str
    notification_type: str
    notification_only: bool
    stage: str
    owner_user_id: str
    ruleset_title: str
    ruleset_version: int
    agencies: list[str]
    children: list[CardChild]
    police_investigation: str
    media_interest: bool
    notification_sent_on: str | None
    deadlines: list[DeadlineLine]
    updated_at: datetime
    notification_rule_id: str | None = None
    source_link: str | None = None
    warnings: list[str] = field(default_factory=list)


def deadline_text(line: DeadlineLine) -> str:
    parts = [f"{STATUS_EMOJI[line.status]} *{_escape(line.label)}*"]
    detail = [line.due_text, line.status_kind, STATUS_WORDS[line.status]]
    if line.left_text and line.left_text != STATUS_WORDS[line.status]:
        detail.append(line.left_text)
    parts.append("    " + " · ".join(d for d in detail if d))
    if line.revised_text:
        parts.append(f"    _{_escape(line.revised_text)}; statutory date unchanged_")
    if line.held_text:
        parts.append(f"    :double_vertical_bar: _{line.held_text}_")
    return "\n".join(parts)


def card_blocks(card: CaseCard) -> tuple[str, list[dict[str, Any]]]:
    kind = NOTIFICATION_TYPE_LABELS.get(NotificationType(card.notification_type), card.notification_type)
    stage = STAGE_LABELS.get(Stage(card.stage), card.stage)
    text = f"{card.reference}: {kind}. Stage: {stage}."
    children = ", ".join(
        f"{_escape(c.pseudonym)} ({AGE_BAND_LABELS.get(AgeBand(c.age_band), c.age_band)}, "
        f"{LEGAL_STATUS_LABELS.get(LegalStatus(c.legal_status), c.legal_status).lower()})"
        for c in card.children
    )
    blocks: list[dict[str, Any]] = [
        header(f"{card.reference} · {kind}"),
        {
            "type": "section",
            "fields": [
                {
                    "type": "mrkdwn",
                    "text": f"*Stage*\n{stage}" + (" (notification only)" if card.notification_only else ""),
                },
                {"type": "mrkdwn", "text": f"*Owner*\n<@{card.owner_user_id}>"},
                {"type": "mrkdwn", "text": f"*Children*\n{children or 'none recorded'}"},
                {"type": "mrkdwn", "text": f"*Agencies*\n{_escape(', '.join(card.agencies)) or 'none yet'}"},
                {
                    "type": "mrkdwn",
                    "text": f"*Police investigation*\n{card.police_investigation.replace('_', ' ')}",
                },
                {"type": "mrkdwn", "text": f"*Media interest*\n{'yes' if card.media_interest else 'no'}"},
            ],
        },
    ]
    for warning in card.warnings:
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": f":warning: *{_escape(warning)}*"}}
        )
    if card.deadlines:
        lines = [deadline_text(line) for line in card.deadlines]
        for i, chunk in enumerate(pack_lines(lines)):
            title = "*Deadlines*\n" if i == 0 else ""
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": title + chunk}})
    actions: list[dict[str, Any]] = []
    if card.notification_sent_on is None and not card.notification_only:
        actions.append(
            {
                "type": "button",
                "action_id": ActionId.RECORD_NOTIFICATION_SENT,
                "style": "primary",
                "text": {"type": "plain_text", "text": "Notification sent today"},
                "value": str(card.case_id),
            }
        )
    actions.append(
        {
            "type": "button",
            "action_id": ActionId.REFRESH_CARD,
            "text": {"type": "plain_text", "text": "Refresh"},
            "value": str(card.case_id),
        }
    )
    blocks.append({"type": "actions", "block_id": f"card_actions_{card.case_id}", "elements": actions})
    context = [
        f"Rule set: {_escape(card.ruleset_title)} (v{card.ruleset_version})",
        f"Updated {local_time(card.updated_at, '{date_long_pretty}')}",
    ]
    if card.notification_sent_on:
        context.insert(0, f"Notification sent {card.notification_sent_on}")
    if card.source_link:
        context.append(f"Started from a message in {card.source_link} (its text was not copied)")
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": c} for c in context]})
    return text, blocks


def overdue_warning(line: DeadlineLine) -> str | None:
    if line.status is DeadlineStatus.OVERDUE:
        return (
            f"The deadline to {line.label[0].lower() + line.label[1:]} passed on {line.due_text}. "
            "Do it now, and record the reason it is late."
        )
    return None


NO_CATCH_UP = (
    "ReviewBot sends no catch-up reminders for the days before the case was opened; "
    "overdue reminders start with the next working day's delivery."
)


def opened_late_warning(lines: list[DeadlineLine]) -> str:
    """Said once, on the card, when the case was opened with deadlines already overdue (instead of
    catch-up reminders for the days before the case existed). ``lines``: those not already warned of
    (the notification has its own warning); none left, only that no catch-up reminders come."""
    if not lines:
        return NO_CATCH_UP
    what = "; ".join(
        f"{line.label} (due {line.due_text}" + (f", {line.left_text}" if line.left_text else "") + ")"
        for line in lines[:5]
    )
    if len(lines) > 5:
        what += f"; and {len(lines) - 5} more"
    count = f"{len(lines)} deadline{'s' if len(lines) != 1 else ''}"
    return f"This case was opened after {count} had passed: {what}. " + NO_CATCH_UP


__all__ = [
    "CardChild",
    "CaseCard",
    "card_blocks",
    "deadline_text",
    "opened_late_warning",
    "overdue_warning",
    "short_anchor",
]
