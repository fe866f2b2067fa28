"""The chair digest as Block Kit (pure): references, stage names, rule labels, dates, counts and
agency names only, within one message's 50 blocks however many cases there are."""

from __future__ import annotations

from typing import Any

from bot.board.blocks import agency_line, due_line, left_words, listed, short_day
from bot.digest.content import Digest
from bot.slack.blocks import context, header, section
from bot.slack.mrkdwn import escape

Block = dict[str, Any]


def digest_message(digest: Digest) -> tuple[str, list[Block]]:
    overdue = len(digest.overdue)
    if digest.nothing_outstanding:
        text = f"Weekly digest for {digest.partnership_name}: nothing outstanding."
    else:
        text = (
            f"Weekly digest for {digest.partnership_name}: {overdue} overdue deadline(s), "
            f"{len(digest.due_soon)} due in the next 10 working days, "
            f"{digest.overdue_actions} overdue action(s)."
        )
    blocks: list[Block] = [
        header(f"Weekly digest: {digest.partnership_name}"),
        context(
            f"Changes since {short_day(digest.since.date())} · as of {short_day(digest.today)} · "
            "case references only"
        ),
    ]
    if digest.nothing_outstanding:
        blocks.append(
            section(
                ":white_check_mark: *Nothing outstanding.* No deadlines due in the next 10 working "
                "days, nothing overdue and no idle cases."
            )
        )
    blocks += listed(
        "Changed since the last digest",
        [f"• *{escape(c.reference)}*: {escape('; '.join(c.changes))}" for c in digest.changes],
        empty="No changes.",
    )
    if not digest.nothing_outstanding:
        due_lines = [due_line(i) for i in digest.due_soon] + [
            f"• *{escape(a.reference)}* · action for {escape(a.agency)} · {short_day(a.day)} · "
            f"{left_words(a.working_days)}"
            for a in digest.actions_due_soon
        ]
        blocks += listed("Due in the next 10 working days", due_lines, empty="Nothing due.")
        blocks += listed("Overdue", [due_line(i) for i in digest.overdue], empty="No overdue deadlines.")
    blocks += listed(
        "Actions by agency (outstanding, overdue, completed since the last digest)",
        [agency_line(a, completed=True) for a in digest.actions],
        empty="No actions.",
    )
    if digest.idle:
        blocks += listed(
            f"Idle for more than {digest.idle_after} working days",
            [
                f"• *{escape(c.reference)}* · {escape(c.stage)} · last activity "
                f"{short_day(c.last_activity)} ({c.working_days} working days)"
                for c in digest.idle
            ],
            empty="",
        )
    return text, blocks
