"""Rapid review messages as Block Kit (pure: plain data in, dicts out).

Slack's limits shape the checklist message: at most 50 blocks and about 12,000 characters of text.
A finished group collapses to one line; each open item is one section with a menu (Done, Not
applicable, Assign, Add note); when there are more open items than fit, the most urgent are shown
and each group says how many more it has, with the command that pages through them privately.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.calendar.working_days import Nation
from bot.rapid_review.decision_terms import (
    CONSTRAINT_LABELS,
    NATIONAL_BODY,
    NATIONAL_REVIEW_LABELS,
    PARALLEL_PROCESS_LABELS,
    Constraint,
    NationalReviewView,
    ParallelProcess,
    recommendation_label,
)
from bot.rapid_review.states import ItemStatus, PanelResponse
from bot.rapid_review.views import ChecklistView, DecisionView, Group, ItemLine, ItemOp, ReturnsView
from bot.slack.blocks import (
    MESSAGE_BLOCKS_LIMIT,
    MESSAGE_TEXT_BUDGET,
    OPTIONS_LIMIT,
    PLACEHOLDER_LIMIT,
    button,
    context,
    header,
    iter_text,
    local_time,
    option,
    plain_text,
    section,
)
from bot.slack.ids import ActionId
from bot.slack.mrkdwn import escape as esc

Block = dict[str, Any]

#: 11,000: below the stand-in's 12,000 (Slack's msg_blocks_too_long), leaving room
TEXT_BUDGET = MESSAGE_TEXT_BUDGET - 1_000
PAGE_SIZE = 30
NOTE_PREVIEW = 80

PANEL_RESPONSE_LABELS = {
    PanelResponse.AGREES: "The Panel agrees with the decision",
    PanelResponse.DISAGREES: "The Panel disagrees with the decision",
    PanelResponse.NATIONAL_REVIEW: "The Panel will hold a national review",
}


def short_day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


# -- the checklist ----------------------------------------------------------------------------------


def scope_word(key: str) -> str:
    """What a person types after `/review checklist` for a group."""
    return {"role:business_manager": "business", "role:chair": "chair", "role:signatory": "partners"}.get(
        key, key
    )


def urgency(line: ItemLine, today: date) -> tuple[str, str]:
    if line.target_on is None:
        return ":white_circle:", ""
    if line.target_on < today:
        return ":red_circle:", "overdue"
    if line.target_on == today:
        return ":large_orange_circle:", "due today"
    if (line.target_on - today).days <= 2:
        return ":large_orange_circle:", "due soon"
    return ":white_circle:", ""


def item_text(line: ItemLine, today: date) -> str:
    if line.status is ItemStatus.DONE:
        head = f":white_check_mark: *{line.item_id}* ~{esc(line.title)}~"
        by = f" by <@{line.changed_by}>" if line.changed_by else ""
        detail = [f"done {short_day(line.done_on)}{by}" if line.done_on else "done"]
    elif line.status is ItemStatus.NOT_APPLICABLE:
        head = f":heavy_minus_sign: *{line.item_id}* ~{esc(line.title)}~"
        detail = [f"not applicable: {esc(line.na_reason or '')}"]
    else:
        emoji, word = urgency(line, today)
        head = f"{emoji} *{line.item_id}* {esc(line.title)}"
        due = f"due {short_day(line.target_on)} ({line.window})" if line.target_on else line.window
        detail = [due] + ([f"*{word}*"] if word else [])
    if line.assignee:
        detail.append(f":bust_in_silhouette: <@{line.assignee}>")
    if line.note:
        note = line.note if len(line.note) <= NOTE_PREVIEW else line.note[: NOTE_PREVIEW - 1] + "…"
        detail.append(f":memo: {esc(note)}")
    return f"{head}\n{' · '.join(detail)}"


def option_value(op: ItemOp, pk: int, scope: str | None = None, page: int | None = None) -> str:
    """``op|item`` in the channel; ``op|item|scope|page`` in a private page, so it can be redrawn."""
    return f"{op.value}|{pk}" if scope is None else f"{op.value}|{pk}|{scope}|{page or 1}"


def parse_option_value(value: str) -> tuple[ItemOp, int, str | None, int]:
    parts = value.split("|")
    op, pk = ItemOp(parts[0]), int(parts[1])
    if len(parts) >= 4:
        return op, pk, parts[2], int(parts[3])
    return op, pk, None, 1


def item_menu(line: ItemLine, scope: str | None = None, page: int | None = None) -> Block:
    if line.is_open:
        ops = [
            (ItemOp.DONE, "Done"),
            (ItemOp.NOT_APPLICABLE, "Not applicable…"),
            (ItemOp.ASSIGN, "Assign…"),
            (ItemOp.NOTE, "Add note…"),
        ]
    else:
        ops = [(ItemOp.REOPEN, "Reopen"), (ItemOp.ASSIGN, "Assign…"), (ItemOp.NOTE, "Add note…")]
    return {
        "type": "overflow",
        "action_id": f"{ActionId.CHECKLIST_ITEM}:{line.pk}",
        "options": [
            {"text": plain_text(label), "value": option_value(op, line.pk, scope, page)} for op, label in ops
        ],
    }


def _progress(view: ChecklistView) -> str:
    items = view.items
    done = sum(1 for i in items if i.status is ItemStatus.DONE)
    na = sum(1 for i in items if i.status is ItemStatus.NOT_APPLICABLE)
    parts = [f"*{done} of {len(items) - na} done*"]
    if na:
        parts.append(f"{na} not applicable")
    if view.returns_total:
        parts.append(f"agency returns {view.returns_in} of {view.returns_total} in")
    day0 = f"day 0 {short_day(view.day_zero)}" if view.day_zero else "day 0 not yet (notification not sent)"
    return " · ".join([day0, *parts])


def _group_header(group: Group, hidden: int) -> str:
    applicable = len(group.items) - group.not_applicable
    text = f"*{esc(group.label)}* · {group.done} of {applicable} done"
    closed = [i for i in group.items if not i.is_open]
    if closed:
        marks = [f"{'✓' if i.status is ItemStatus.DONE else '–'} {i.item_id}" for i in closed]
        text += "\n" + " · ".join(marks)
    if hidden:
        text += f"\n_…and {hidden} more open: `/review checklist {scope_word(group.key)}`_"
    return text


def checklist_message(view: ChecklistView) -> tuple[str, list[Block]]:
    """The message in the case channel (edited in place on every change)."""
    text = f"{view.reference} rapid review checklist: " + _progress(view).replace("*", "")
    opened = sorted((i for i in view.items if i.is_open), key=lambda i: (i.target_on or date.max, i.item_id))
    fixed = 3 + len(view.groups)  # header, progress, one line per group, footer
    room = max(MESSAGE_BLOCKS_LIMIT - fixed, 0)
    shown = min(len(opened), room)
    while True:
        blocks = _checklist_blocks(view, {i.pk for i in opened[:shown]}, hidden=len(opened) - shown)
        if shown == 0 or _text_size(blocks) <= TEXT_BUDGET:
            return text, blocks
        shown = max(shown - 3, 0)


def _checklist_blocks(view: ChecklistView, visible: set[int], hidden: int) -> list[Block]:
    blocks: list[Block] = [
        header(f"Rapid review checklist · {view.reference}"),
        context(_progress(view)),
    ]
    for group in view.groups:
        if group.finished:
            na = f" ({group.not_applicable} not applicable)" if group.not_applicable else ""
            blocks.append(context(f":white_check_mark: *{esc(group.label)}* · all done{na}"))
            continue
        open_items = group.open_items
        on_show = [i for i in open_items if i.pk in visible]
        blocks.append(section(_group_header(group, len(open_items) - len(on_show))))
        blocks += [section(item_text(i, view.today), item_menu(i)) for i in on_show]
    footer = (
        "Use ⋯ beside an item. `/review checklist <agency>` lists one agency's items; "
        "`/review returns` the returns."
    )
    if hidden:
        footer = f"{hidden} more open item{'s' if hidden != 1 else ''} not shown here. " + footer
    blocks.append(context(footer))
    return blocks


def _text_size(blocks: list[Block]) -> int:
    return sum(len(t) for t in iter_text(blocks))


def checklist_page(view: ChecklistView, scope: str | None, page: int) -> tuple[str, list[Block]]:
    """A private, paged list of every item (done ones too), all groups or one."""
    groups = [g for g in view.groups if scope is None or g.key == scope]
    lines = [(g, i) for g in groups for i in g.items]
    pages = max((len(lines) + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(max(page, 1), pages)
    chunk = lines[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    label = groups[0].label if scope is not None and groups else "all items"
    title = f"*{view.reference} checklist: {esc(label)}*" + (
        f" · page {page} of {pages}" if pages > 1 else ""
    )
    blocks: list[Block] = [section(title)]
    current = None
    scope_key = scope or "all"
    for group, line in chunk:
        if scope is None and group is not current:
            blocks.append(
                context(
                    f"*{esc(group.label)}* · {group.done} of {len(group.items) - group.not_applicable} done"
                )
            )
            current = group
        blocks.append(section(item_text(line, view.today), item_menu(line, scope_key, page)))
    if not chunk:
        blocks.append(context("No items."))
    if pages > 1:
        nav = []
        if page > 1:
            nav.append(
                button(
                    "◀ Previous", ActionId.CHECKLIST_PREVIOUS_PAGE, f"{view.case_id}|{scope_key}|{page - 1}"
                )
            )
        if page < pages:
            nav.append(
                button("Next ▶", ActionId.CHECKLIST_NEXT_PAGE, f"{view.case_id}|{scope_key}|{page + 1}")
            )
        blocks.append({"type": "actions", "elements": nav})
    return f"{view.reference} checklist: {label}", blocks


# -- agency returns ---------------------------------------------------------------------------------


def returns_blocks(view: ReturnsView) -> tuple[str, list[Block]]:
    text = f"{view.reference} agency returns: {view.received} of {len(view.returns)} in"
    blocks: list[Block] = [
        section(f"*Agency returns · {view.reference}* · {view.received} of {len(view.returns)} in")
    ]
    for row in view.returns[:20]:
        later = " _(added later)_" if row.added_later else ""
        if row.nil_return:
            blocks.append(
                section(
                    f":heavy_minus_sign: *{esc(row.agency_name)}*{later} · nil return "
                    f"{short_day(row.received_on) if row.received_on else ''}"
                )
            )
            continue
        if row.received_on:
            blocks.append(
                section(
                    f":white_check_mark: *{esc(row.agency_name)}*{later} · received "
                    f"{short_day(row.received_on)}"
                )
            )
            continue
        due = f" · due {short_day(row.due_on)}" if row.due_on else ""
        late = " · *overdue*" if row.due_on and row.due_on < view.today else ""
        blocks.append(
            section(
                f":hourglass_flowing_sand: *{esc(row.agency_name)}*{later} · requested "
                f"{short_day(row.requested_on)}{due}{late}"
            )
        )
        blocks.append(
            {
                "type": "actions",
                "block_id": f"rr_return_{row.return_id}",
                "elements": [
                    button(
                        "Received today",
                        f"{ActionId.RETURN_RECEIVED}:{row.return_id}",
                        str(row.return_id),
                        style="primary",
                    ),
                    button("Nil return", f"{ActionId.RETURN_NIL}:{row.return_id}", str(row.return_id)),
                ],
            }
        )
    if len(view.returns) > 20:
        blocks.append(context(f"…and {len(view.returns) - 20} more."))
    if view.addable:
        blocks.append(
            {
                "type": "actions",
                "block_id": "rr_return_add",
                "elements": [
                    {
                        "type": "static_select",
                        "action_id": ActionId.RETURN_ADD_AGENCY,
                        "placeholder": plain_text("Add an agency found later"),
                        "options": [
                            option(f"{view.case_id}|{agency_id}", name)
                            for agency_id, name in view.addable[:OPTIONS_LIMIT]
                        ],
                    }
                ],
            }
        )
    return text, blocks


# -- the decision and sign-off ------------------------------------------------------------------------


def decision_message(view: DecisionView) -> tuple[str, list[Block]]:
    decision = view.decision
    body = view.national_body or NATIONAL_BODY.get(Nation(view.nation), "the Panel")
    if decision is None:
        return f"{view.reference}: no decision yet", [
            section(f"*{view.reference}*: no decision recorded yet.")
        ]
    rec = recommendation_label(decision.recommendation, view.nation, view.review_name)
    national = NATIONAL_REVIEW_LABELS.get(
        NationalReviewView(decision.national_review), decision.national_review
    )
    text = f"{view.reference} rapid review decision (version {decision.version}): {rec}"
    blocks: list[Block] = [header(f"Rapid review decision · {view.reference} · version {decision.version}")]
    for flag in decision.constraints or []:
        blocks.append(section(f":warning: *{CONSTRAINT_LABELS.get(Constraint(flag), flag)}*"))
    if decision.constraint_note:
        blocks.append(section(f":warning: {esc(decision.constraint_note)}"))
    blocks.append(
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": f"*Recommendation*\n{rec}"},
                *(
                    []
                    if decision.national_review == NationalReviewView.NOT_ASKED.value
                    else [{"type": "mrkdwn", "text": f"*National review*\n{national}"}]
                ),
            ],
        }
    )
    blocks.append(section(f"*Rationale*\n{esc(decision.rationale)}"))
    if decision.key_practice_episodes:
        episodes = "\n".join(f"{n}. {esc(e)}" for n, e in enumerate(decision.key_practice_episodes, 1))
        blocks.append(section(f"*Key practice episodes*\n{episodes}"))
    if decision.parallel_processes:
        processes = ", ".join(
            PARALLEL_PROCESS_LABELS.get(ParallelProcess(p), p) for p in decision.parallel_processes
        )
        blocks.append(section(f"*Parallel processes*\n{processes}"))
    if view.actions:
        lines = [
            f"• {esc(a.description)} — {esc(a.owner)}, due {short_day(a.due_on) if a.due_on else 'no date'}"
            f" ({a.status.replace('_', ' ')})"
            for a in view.actions
        ]
        blocks.append(section("*Immediate safeguarding actions*\n" + "\n".join(lines)))
    if decision.learning:
        blocks.append(section(f"*Learning identified*\n{esc(decision.learning)}"))
    blocks.append(
        context(
            f"Recorded by <@{decision.recorded_by}> · last changed by <@{decision.updated_by}> "
            f"{local_time(decision.updated_at)}"
        )
    )
    blocks.append({"type": "divider"})
    signed = sum(1 for s in view.sign_offs if s.signed_by)
    blocks.append(
        section(f"*Sign-off of version {decision.version}* · {signed} of {len(view.sign_offs)} partners")
    )
    open_for_signing = view.panel_sent_on is None
    for line in view.sign_offs:
        if line.signed_by:
            blocks.append(
                section(
                    f":white_check_mark: *{esc(line.agency_name)}* · signed by <@{line.signed_by}> on "
                    f"{short_day(line.signed_on) if line.signed_on else ''}"
                )
            )
        else:
            accessory = (
                button(
                    f"Sign off for {line.agency_name}",
                    f"{ActionId.SIGN_OFF}:{line.agency_id}",
                    str(view.case_id),
                    style="primary",
                )
                if open_for_signing
                else None
            )
            blocks.append(section(f":hourglass_flowing_sand: *{esc(line.agency_name)}* · waiting", accessory))
    if view.voided:
        blocks.append(
            context(
                f"{len(view.voided)} earlier sign-off{'s' if len(view.voided) != 1 else ''} voided "
                "because the decision changed after signing."
            )
        )
    blocks += _panel_blocks(view, body)
    return text, blocks


def _panel_blocks(view: DecisionView, body: str) -> list[Block]:
    blocks: list[Block] = []
    buttons: list[Block] = []
    if view.panel_sent_on is None:
        buttons.append(button("Edit decision", ActionId.DECISION_EDIT, str(view.case_id)))
        if view.all_signed:
            buttons.append(
                button(f"Sent to {body} today", ActionId.PANEL_SENT, str(view.case_id), style="primary")
            )
    else:
        blocks.append(section(f":outbox_tray: Sent to {body} on {short_day(view.panel_sent_on)}."))
        if view.panel_response:
            label = PANEL_RESPONSE_LABELS.get(PanelResponse(view.panel_response), view.panel_response)
            blocks.append(
                section(
                    f":inbox_tray: {label} ({short_day(view.panel_response_on)})."
                    if view.panel_response_on
                    else f":inbox_tray: {label}."
                )
            )
        else:
            buttons.append(
                {
                    "type": "static_select",
                    "action_id": ActionId.PANEL_RESPONSE,
                    "placeholder": plain_text(f"Record {body}'s reply"[:PLACEHOLDER_LIMIT]),
                    "options": [
                        option(f"{view.case_id}|{value.value}", label)
                        for value, label in PANEL_RESPONSE_LABELS.items()
                    ],
                }
            )
    if buttons:
        blocks.append({"type": "actions", "block_id": "rr_decision_actions", "elements": buttons})
    return blocks


def voided_notice(reference: str, version: int, by: str) -> str:
    return (
        f"The rapid review decision for *{reference}* was changed by <@{by}> after you signed it, so your "
        f"sign-off is void. Please read version {version} in the case channel and sign off again."
    )
