"""Board messages as Block Kit (pure). References, stage names, dates, counts and agency names only."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.board.summary import AgencyActions, CaseSummary, DueItem, PartnershipSummary
from bot.slack.blocks import SECTION_FIELDS_LIMIT, SECTION_TEXT_CUT, context, header, local_time, section
from bot.slack.mrkdwn import escape

LIST_LIMIT = 15
Block = dict[str, Any]


def short_day(day: date) -> str:
    """'Tue 12 Jan 2027': short enough for lists, unambiguous across years."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def listed(
    title: str, lines: list[str], *, empty: str, limit: int = LIST_LIMIT, more: str = ""
) -> list[Block]:
    """A titled list in as few sections as fit, showing at most ``limit`` lines and "and N more"."""
    if not lines:
        return [section(f"*{title}*\n_{empty}_")]
    shown = lines[:limit]
    if len(lines) > limit:
        shown.append(f"_…and {len(lines) - limit} more{more}_")
    blocks: list[Block] = []
    current = f"*{title}*"
    for line in shown:
        if len(current) + len(line) + 1 > SECTION_TEXT_CUT:
            blocks.append(section(current))
            current = ""
        current = f"{current}\n{line}" if current else line
    blocks.append(section(current))
    return blocks


def left_words(working_days: int) -> str:
    if working_days > 0:
        return f"{working_days} working day{'s' if working_days != 1 else ''} left"
    if working_days == 0:
        return "due today"
    late = -working_days
    return f"{late} working day{'s' if late != 1 else ''} overdue"


def due_line(item: DueItem, *, with_reference: bool = True) -> str:
    ref = f"*{escape(item.reference)}* · " if with_reference else ""
    return f"• {ref}{escape(item.label)} · {short_day(item.day)} · {left_words(item.working_days)}"


def breach_line(item: DueItem) -> str:
    outcome = f"met late on {short_day(item.late_met_on)}" if item.late_met_on else "not yet met"
    return (
        f"• *{escape(item.reference)}* · {escape(item.label)} · {item.status_kind} date "
        f"{short_day(item.day)} · {outcome}"
    )


def agency_line(row: AgencyActions, *, completed: bool = False) -> str:
    parts = [f"{row.outstanding} outstanding", f"{row.overdue} overdue"]
    if completed:
        parts.append(f"{row.completed} completed")
    return f"• {escape(row.agency)}: " + ", ".join(parts)


def updated_context(at: datetime) -> Block:
    return context(
        f"Updated {local_time(at)} · "
        "Case references only: details stay in the case channel."
    )


def case_board_message(summary: CaseSummary, at: datetime) -> tuple[str, list[Block]]:
    text = (
        f"{summary.reference}: {summary.stage}. {len(summary.overdue)} overdue deadline(s), "
        f"{summary.outstanding_actions} outstanding action(s)."
    )
    blocks: list[Block] = [
        header(summary.reference),
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": f"*Stage*\n{escape(summary.stage)}"},
                {
                    "type": "mrkdwn",
                    "text": f"*Outstanding actions*\n{summary.outstanding_actions} "
                    f"({summary.overdue_actions} overdue)",
                },
            ],
        },
        *listed(
            "Deadlines in the next 10 working days",
            [due_line(i, with_reference=False) for i in summary.due_soon],
            empty="None.",
        ),
        *listed(
            "Overdue",
            [due_line(i, with_reference=False) for i in summary.overdue]
            + [f"• {escape(a.agency)}: {a.overdue} overdue action(s)" for a in summary.actions if a.overdue],
            empty="Nothing overdue.",
        ),
        *listed(
            "Outstanding actions by agency",
            [agency_line(a) for a in summary.actions if a.outstanding],
            empty="No outstanding actions.",
        ),
        updated_context(at),
    ]
    return text, blocks


def partnership_board_message(summary: PartnershipSummary, at: datetime) -> tuple[str, list[Block]]:
    text = (
        f"{summary.name}: {summary.open_cases} open case(s), {len(summary.overdue)} overdue deadline(s), "
        f"{len(summary.breaches)} breach(es) this quarter."
    )
    stage_fields = [
        {"type": "mrkdwn", "text": f"*{escape(label)}*\n{count}"} for label, count in summary.stages
    ][:SECTION_FIELDS_LIMIT]
    blocks: list[Block] = [
        header(f"{summary.name}: summary"),
        section("*Cases by stage*") if stage_fields else section("*Cases by stage*\n_No cases yet._"),
    ]
    if stage_fields:
        blocks.append({"type": "section", "fields": stage_fields})
    blocks += [
        *listed(
            "Outstanding actions by agency",
            [agency_line(a) for a in summary.actions],
            empty="No outstanding actions.",
        ),
        *listed(
            "Deadlines in the next 10 working days", [due_line(i) for i in summary.due_soon], empty="None."
        ),
        *listed("Overdue deadlines", [due_line(i) for i in summary.overdue], empty="Nothing overdue."),
        *listed(
            f"Breaches this quarter (since {short_day(summary.quarter_start)})",
            [breach_line(i) for i in summary.breaches],
            empty="No breaches this quarter.",
        ),
        updated_context(at),
    ]
    return text, blocks
