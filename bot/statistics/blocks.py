"""Statistics and themes as Block Kit (pure)."""

from __future__ import annotations

from typing import Any

from bot.board.blocks import listed
from bot.slack.blocks import context, header, section
from bot.slack.mrkdwn import escape
from bot.statistics.compute import AnnualStatistics, Theme

Block = dict[str, Any]


def statistics_message(stats: AnnualStatistics) -> tuple[str, list[Block]]:
    text = f"{stats.partnership_name}, {stats.period.label}: {stats.notifications} notification(s)."
    types = ", ".join(f"{escape(label)} {count}" for label, count in stats.by_type) or "none"
    blocks: list[Block] = [
        header(f"Statistics {stats.period.label}"),
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": f"*Notifications*\n{stats.notifications} ({types})"},
                {
                    "type": "mrkdwn",
                    "text": f"*Notified within 5 working days*\n{stats.notified_on_time.words()}",
                },
                {
                    "type": "mrkdwn",
                    "text": f"*Decisions made within timescale*\n{stats.rapid_reviews_on_time.words()}",
                },
                {
                    "type": "mrkdwn",
                    "text": f"*Local reviews commissioned*\n{stats.local_reviews_commissioned}",
                },
                {
                    "type": "mrkdwn",
                    "text": f"*Published or completed within timescale*\n{stats.published_on_time.words()}",
                },
                {"type": "mrkdwn", "text": f"*Decisions not to review*\n{stats.decisions_not_to_review}"},
            ],
        },
        *listed(
            "Reviews decided on, by type",
            [f"• {escape(name)}: {count}" for name, count in stats.reviews_by_type]
            + [f"• Another kind of local learning review: {n}" for n in [stats.other_reviews] if n]
            + [f"• The Panel {escape(label)}: {count}" for label, count in stats.national_replies],
            empty="No decision to hold a review in this period.",
        ),
        *listed(
            "Actions completed on time, by agency",
            [
                f"• {escape(r.agency)}: {r.share.words()} · {r.due} due, {r.overdue} overdue, "
                f"{r.not_doing} not being done, {r.not_yet_due} not yet due"
                for r in stats.actions
            ],
            empty="No actions were due in this period.",
        ),
        context(
            f"{stats.period.start:%d/%m/%Y} to {stats.period.end:%d/%m/%Y}. On time means by the statutory "
            "or expected date (not a revised target); pending items are left out of the shares. "
            "`/review stats " + stats.period.label.replace("–", "-") + " csv` sends this as a CSV file."
        ),
    ]
    return text, blocks


def themes_message(partnership_name: str, themes: list[Theme], period_label: str) -> tuple[str, list[Block]]:
    total = sum(t.findings for t in themes)
    text = f"{partnership_name}: {total} finding(s) by typology category ({period_label})."
    lines = [
        f"• *{escape(t.label)}*{' _(wording unverified)_' if t.verification != 'V' else ''}: "
        f"{t.findings} finding(s) in {t.cases} case(s) · {t.recommendations} recommendation(s), "
        f"{t.board_issues} issue(s) for the board"
        for t in themes
    ]
    blocks: list[Block] = [
        header(f"Themes: {period_label}"),
        section(
            f"{total} finding(s) across the partnership's cases, by Learning Together typology category. "
            "Categories that recur across cases are the systemic patterns to look at."
        ),
        *listed("By category", lines, empty="No findings recorded yet."),
    ]
    return text, blocks
