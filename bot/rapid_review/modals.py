"""Rapid review modals (pure): not applicable, assign, note, and the decision form.

Inputs use action_id == block_id so a submission is read as ``values[block][block]``; the item or
case rides in ``private_metadata`` (ids only, as :class:`bot.slack.payloads.ChecklistItemMetadata`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.rapid_review.decision_terms import (
    ACTION_LIMIT,
    ACTION_SLOTS,
    CONSTRAINT_LABELS,
    CONSTRAINT_NOTE_LIMIT,
    EPISODE_LIMIT,
    LEARNING_LIMIT,
    NATIONAL_REVIEW_CHOICES,
    NATIONAL_REVIEW_LABELS,
    PARALLEL_PROCESS_LABELS,
    RATIONALE_LIMIT,
    DecisionInput,
    Recommendation,
    recommendation_label,
)
from bot.rapid_review.views import NOTE_LIMIT, REASON_LIMIT, ActionLine, DecisionRecord
from bot.slack.blocks import (
    MODAL_TITLE_LIMIT,
    OPTIONS_LIMIT,
    context,
    input_block,
    option,
    plain_text,
    section,
)
from bot.slack.ids import CallbackId
from bot.slack.payloads import CaseMetadata, ChecklistItemMetadata, Metadata

View = dict[str, Any]


def _modal(
    callback_id: str, title: str, submit: str, metadata: Metadata, blocks: list[dict[str, Any]]
) -> View:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain_text(title[:MODAL_TITLE_LIMIT]),
        "submit": plain_text(submit),
        "close": plain_text("Cancel"),
        "private_metadata": metadata.dump(),
        "blocks": blocks,
    }


def _text_input(
    block: str,
    label: str,
    *,
    limit: int,
    multiline: bool = False,
    optional: bool = False,
    initial: str | None = None,
    hint: str | None = None,
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": block,
        "multiline": multiline,
        "max_length": limit,
    }
    if initial:
        element["initial_value"] = initial[:limit]
    return input_block(block, label, element, optional=optional, hint=hint)


def item_label(item_id: str, title: str) -> str:
    return f"*{item_id}* {title}"


def not_applicable_modal(
    item_pk: int, item_id: str, title: str, metadata: dict[str, Any] | None = None
) -> View:
    return _modal(
        CallbackId.CHECKLIST_NOT_APPLICABLE_MODAL,
        "Not applicable",
        "Save",
        ChecklistItemMetadata(item=item_pk, **(metadata or {})),
        [
            section(item_label(item_id, title)),
            _text_input(
                "reason",
                "Why does this not apply?",
                limit=REASON_LIMIT,
                multiline=True,
                hint="For example: no other children in the household. No names.",
            ),
        ],
    )


def assign_modal(
    item_pk: int, item_id: str, title: str, current: str | None, metadata: dict[str, Any] | None = None
) -> View:
    element: dict[str, Any] = {
        "type": "users_select",
        "action_id": "assignee",
        "placeholder": plain_text("Choose a person"),
    }
    if current:
        element["initial_user"] = current
    return _modal(
        CallbackId.CHECKLIST_ASSIGN_MODAL,
        "Assign item",
        "Assign",
        ChecklistItemMetadata(item=item_pk, **(metadata or {})),
        [
            section(item_label(item_id, title)),
            {
                "type": "input",
                "block_id": "assignee",
                "label": plain_text("Who will do it?"),
                "element": element,
            },
        ],
    )


def note_modal(
    item_pk: int, item_id: str, title: str, current: str | None, metadata: dict[str, Any] | None = None
) -> View:
    return _modal(
        CallbackId.CHECKLIST_NOTE_MODAL,
        "Note",
        "Save",
        ChecklistItemMetadata(item=item_pk, **(metadata or {})),
        [
            section(item_label(item_id, title)),
            _text_input(
                "note",
                "Note",
                limit=NOTE_LIMIT,
                multiline=True,
                optional=True,
                initial=current,
                hint="Case references and pseudonyms only. Leave empty to remove the note.",
            ),
        ],
    )


def decision_modal(
    case_id: int,
    reference: str,
    nation: str,
    agencies: list[tuple[str, str]],
    current: DecisionRecord | None,
    actions: list[ActionLine],
    *,
    review_name: str | None = None,
    national_question: bool = True,
) -> View:
    """Record or change the decision. Changing it after any sign-off voids the sign-offs (said here).

    The view on a national review is asked only where the case's review has the question (England)."""
    rec_options = [
        option(r.value, recommendation_label(r.value, nation, review_name)) for r in Recommendation
    ]
    national_options = [option(v.value, NATIONAL_REVIEW_LABELS[v]) for v in NATIONAL_REVIEW_CHOICES]
    process_options = [option(v.value, label) for v, label in PARALLEL_PROCESS_LABELS.items()]
    constraint_options = [option(v.value, label) for v, label in CONSTRAINT_LABELS.items()]

    def select(block: str, label: str, options: list[dict[str, Any]], initial: str | None) -> dict[str, Any]:
        element: dict[str, Any] = {
            "type": "static_select",
            "action_id": block,
            "options": options,
            "placeholder": plain_text("Choose"),
        }
        chosen = next((o for o in options if o["value"] == initial), None)
        if chosen:
            element["initial_option"] = chosen
        return {"type": "input", "block_id": block, "label": plain_text(label), "element": element}

    def checks(block: str, label: str, options: list[dict[str, Any]], initial: list[str]) -> dict[str, Any]:
        element: dict[str, Any] = {"type": "checkboxes", "action_id": block, "options": options}
        chosen = [o for o in options if o["value"] in initial]
        if chosen:
            element["initial_options"] = chosen
        return {
            "type": "input",
            "block_id": block,
            "label": plain_text(label),
            "element": element,
            "optional": True,
        }

    intro = (
        f"*{reference}*: the partners' decision on the rapid review. Case references and pseudonyms only."
        if current is None
        else f"*{reference}*: changing version {current.version}. If any partner has signed, their sign-offs "
        "become void and they are asked to sign again."
    )
    blocks: list[dict[str, Any]] = [
        section(intro),
        select("recommendation", "Recommendation", rec_options, current.recommendation if current else None),
        *(
            [
                select(
                    "national_review",
                    "View on a national review",
                    national_options,
                    current.national_review if current else None,
                )
            ]
            if national_question
            else []
        ),
        _text_input(
            "rationale",
            "Rationale",
            limit=RATIONALE_LIMIT,
            multiline=True,
            initial=current.rationale if current else None,
        ),
        _text_input(
            "episodes",
            "Key practice episodes",
            limit=EPISODE_LIMIT * 12 + 11,
            multiline=True,
            optional=True,
            hint="Short titles, one per line, no identifiers.",
            initial="\n".join(current.key_practice_episodes) if current else None,
        ),
        checks(
            "processes",
            "Parallel processes",
            process_options,
            list(current.parallel_processes) if current else [],
        ),
        checks(
            "constraints", "Constraints", constraint_options, list(current.constraints) if current else []
        ),
        _text_input(
            "constraint_note",
            "Other constraints",
            limit=CONSTRAINT_NOTE_LIMIT,
            optional=True,
            initial=current.constraint_note if current else None,
        ),
        _text_input(
            "learning",
            "Learning identified",
            limit=LEARNING_LIMIT,
            multiline=True,
            optional=True,
            initial=current.learning if current else None,
        ),
        {"type": "divider"},
        section(
            "*Immediate safeguarding actions* (each becomes a tracked action). Start from the checklist's "
            "first item, the immediate safety of siblings and other children in the household or setting "
            "(the local authority's), and add any urgent practice fixes."
        ),
    ]
    if actions:
        lines = "\n".join(f"• {a.description[:150]} — {a.owner}" for a in actions[:10])
        blocks.append(context(f"Already tracked:\n{lines}"))
    agency_options = [option(agency_id, name) for agency_id, name in agencies[:OPTIONS_LIMIT]]
    for i in range(ACTION_SLOTS):
        blocks.append(_text_input(f"action_{i}_text", f"Action {i + 1}", limit=ACTION_LIMIT, optional=True))
        blocks.append(
            {
                "type": "input",
                "block_id": f"action_{i}_owner",
                "label": plain_text(f"Action {i + 1}: owner"),
                "optional": True,
                "element": {
                    "type": "static_select",
                    "action_id": f"action_{i}_owner",
                    "options": agency_options,
                    "placeholder": plain_text("Agency"),
                },
            }
        )
        blocks.append(
            {
                "type": "input",
                "block_id": f"action_{i}_due",
                "label": plain_text(f"Action {i + 1}: due"),
                "optional": True,
                "element": {"type": "datepicker", "action_id": f"action_{i}_due"},
            }
        )
    return _modal(
        CallbackId.DECISION_MODAL, "Rapid review decision", "Save", CaseMetadata(case=case_id), blocks
    )


# -- reading submissions ------------------------------------------------------------------------------


def _state(values: dict[str, Any], block: str) -> dict[str, Any]:
    return dict((values.get(block) or {}).get(block) or {})


def text_of(values: dict[str, Any], block: str) -> str | None:
    value = _state(values, block).get("value")
    return str(value) if value is not None else None


def selected(values: dict[str, Any], block: str) -> str | None:
    option = _state(values, block).get("selected_option") or {}
    return option.get("value")


def checked_values(values: dict[str, Any], block: str) -> list[str]:
    return [str(o.get("value")) for o in _state(values, block).get("selected_options") or []]


def picked_date(values: dict[str, Any], block: str) -> date | None:
    raw = _state(values, block).get("selected_date")
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def selected_user(values: dict[str, Any], block: str) -> str | None:
    user = _state(values, block).get("selected_user")
    return str(user) if user else None


def read_decision(values: dict[str, Any]) -> DecisionInput:
    return DecisionInput(
        recommendation=selected(values, "recommendation"),
        national_review=selected(values, "national_review"),
        rationale=text_of(values, "rationale"),
        learning=text_of(values, "learning"),
        key_practice_episodes=text_of(values, "episodes"),
        parallel_processes=checked_values(values, "processes"),
        constraints=checked_values(values, "constraints"),
        constraint_note=text_of(values, "constraint_note"),
        actions=[
            (
                text_of(values, f"action_{i}_text"),
                selected(values, f"action_{i}_owner"),
                picked_date(values, f"action_{i}_due"),
            )
            for i in range(ACTION_SLOTS)
        ],
    )
