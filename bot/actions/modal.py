"""The action modal: add an action to a case, or update one (pure Block Kit and form reading).

People who manage actions see every field; an owner recording progress sees what the action is as
text and may change only its status, evidence of impact, the not-doing reason and add a note.
Each input's action_id is its block_id. Context rides in ``private_metadata`` as versioned JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from bot.actions.form import ActionForm
from bot.actions.kinds import SOURCE_LABELS, STATUS_LABELS, ActionSource, ActionStatus
from bot.board.summary import agency_label
from bot.calendar.working_days import format_day
from bot.config.partnership import Partnership
from bot.privacy.guard import guard
from bot.slack.blocks import input_block, option, plain_text
from bot.slack.ids import CallbackId
from bot.slack.mrkdwn import escape

DESCRIPTION_LIMIT = 500
MEASURE_LIMIT = 300
REASON_LIMIT = 300
EVIDENCE_LIMIT = 500
NOTE_LIMIT = 500


class ActionRecord(Protocol):
    """What the update form shows of an action (the row in bot.actions.models has these columns)."""

    @property
    def description(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def owner_agency(self) -> str | None: ...
    @property
    def owner_user_id(self) -> str | None: ...
    @property
    def due_on(self) -> date | None: ...
    @property
    def success_measure(self) -> str | None: ...
    @property
    def status(self) -> str: ...
    @property
    def not_doing_reason(self) -> str | None: ...
    @property
    def evidence_of_impact(self) -> str | None: ...


# block id -> form field, for free text that must pass the identifier guard
GUARDED = {
    "description": "description",
    "success_measure": "success_measure",
    "not_doing_reason": "not_doing_reason",
    "evidence": "evidence_of_impact",
    "note": "note",
}
FIELD_BLOCKS = {
    "due_on": "due_date",
    "owner_user_id": "owner_person",
    "owner_agency": "owner_agency",
    **{v: k for k, v in GUARDED.items()},
}


@dataclass(frozen=True)
class ActionModalContext:
    case_id: int
    action_id: int | None = None
    finding_id: int | None = None
    full: bool = True  # every field (the person manages actions) or progress only

    def dump(self) -> str:
        return json.dumps(
            {"v": 1, "c": self.case_id, "a": self.action_id, "f": self.finding_id, "m": self.full}
        )

    @classmethod
    def load(cls, raw: str | None) -> ActionModalContext | None:
        try:
            data = json.loads(raw or "{}")
            return cls(int(data["c"]), data.get("a"), data.get("f"), bool(data.get("m", True)))
        except (ValueError, KeyError, TypeError):
            return None


def _text_input(limit: int, initial: str | None = None, *, multiline: bool = True) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "multiline": multiline, "max_length": limit}
    if initial:
        element["initial_value"] = initial[:limit]
    return element


def _select(options: list[tuple[str, str]], initial: str | None, placeholder: str) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "static_select",
        "placeholder": plain_text(placeholder),
        "options": [option(v, label) for v, label in options],
    }
    chosen = next(((v, label) for v, label in options if v == initial), None)
    if chosen:
        element["initial_option"] = option(*chosen)
    return element


NO_NAMES = "No names, dates of birth, addresses or schools."


def build_action_modal(
    partnership: Partnership,
    context: ActionModalContext,
    *,
    reference: str,
    today: date,
    action: ActionRecord | None = None,
    prefill: str | None = None,
) -> dict[str, Any]:
    adding = action is None
    blocks: list[dict[str, Any]] = [
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": f"Case *{escape(reference)}*"
                    + (" · from a finding" if context.finding_id else ""),
                }
            ],
        },
    ]
    if context.full:
        blocks += [
            input_block(
                "description",
                "What will be done",
                _text_input(DESCRIPTION_LIMIT, action.description if action else prefill),
                hint=NO_NAMES,
            ),
            input_block(
                "source",
                "Where it comes from",
                _select(
                    [(s.value, label) for s, label in SOURCE_LABELS.items()],
                    action.source if action else (ActionSource.RECOMMENDATION.value),
                    "Choose one",
                ),
            ),
            input_block(
                "owner_agency",
                "Owning agency",
                _select(
                    [(a.id, a.name) for a in partnership.agencies],
                    action.owner_agency if action else None,
                    "Choose the agency",
                ),
            ),
            input_block(
                "owner_person",
                "Owner",
                {
                    "type": "users_select",
                    "placeholder": plain_text("Who is responsible?"),
                    **({"initial_user": action.owner_user_id} if action and action.owner_user_id else {}),
                },
                optional=True,
                hint="They are reminded on the due day and while it is overdue.",
            ),
            input_block(
                "due_date",
                "Due date",
                {
                    "type": "datepicker",
                    "initial_date": (action.due_on if action and action.due_on else today).isoformat(),
                },
            ),
            input_block(
                "success_measure",
                "How will we know it worked?",
                _text_input(MEASURE_LIMIT, action.success_measure if action else None),
                optional=True,
                hint=NO_NAMES,
            ),
        ]
    elif action is not None:
        owner = f"<@{action.owner_user_id}>" if action.owner_user_id else "no owner named"
        due = format_day(action.due_on) if action.due_on else "no due date"
        blocks.append(
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": f"*{escape(action.description)[:2500]}*\n"
                    f"{escape(agency_label(partnership, action.owner_agency))} · {owner} · due {due}",
                },
            }
        )
    if not adding:
        assert action is not None
        blocks += [
            input_block(
                "status",
                "Status",
                _select(
                    [(s.value, label) for s, label in STATUS_LABELS.items()], action.status, "Choose one"
                ),
            ),
            input_block(
                "not_doing_reason",
                "If not doing: why not",
                _text_input(REASON_LIMIT, action.not_doing_reason),
                optional=True,
                hint="Needed when the status is 'Not doing'. " + NO_NAMES,
            ),
            input_block(
                "evidence",
                "Evidence of impact",
                _text_input(EVIDENCE_LIMIT, action.evidence_of_impact),
                optional=True,
                hint="What changed for children and families, and how we know. " + NO_NAMES,
            ),
            input_block(
                "note",
                "Update note",
                _text_input(NOTE_LIMIT),
                optional=True,
                hint="Added to the action's update log. " + NO_NAMES,
            ),
        ]
    return {
        "type": "modal",
        "callback_id": CallbackId.ACTION_MODAL,
        "title": plain_text("New action" if adding else "Update action"),
        "submit": plain_text("Add" if adding else "Save"),
        "close": plain_text("Cancel"),
        "private_metadata": context.dump(),
        "blocks": blocks,
    }


def _value(values: dict[str, Any], block: str) -> dict[str, Any] | None:
    state = (values.get(block) or {}).get(block)
    return state if isinstance(state, dict) else None


def _plain(values: dict[str, Any], block: str) -> str | None:
    """None when the field is not on the form; '' when it was left empty."""
    state = _value(values, block)
    if state is None:
        return None
    return str(state.get("value") or "").strip()


def _selected(values: dict[str, Any], block: str) -> str | None:
    state = _value(values, block)
    option = (state or {}).get("selected_option") or {}
    return str(option["value"]) if option.get("value") else None


def read_action_form(values: dict[str, Any]) -> tuple[ActionForm | None, dict[str, str]]:
    """The submitted fields as a form, or errors by block id (before the identifier guard)."""
    errors: dict[str, str] = {}
    due: date | None = None
    raw_due = (_value(values, "due_date") or {}).get("selected_date")
    if raw_due:
        try:
            due = date.fromisoformat(str(raw_due))
        except ValueError:
            errors["due_date"] = "Choose a date from the calendar."
    elif _value(values, "due_date") is not None:
        errors["due_date"] = "Choose a due date."
    description = _plain(values, "description")
    if description is not None and not description:
        errors["description"] = "Describe the action."
    status_raw = _selected(values, "status")
    source_raw = _selected(values, "source")
    try:
        status = ActionStatus(status_raw) if status_raw else None
        source = ActionSource(source_raw) if source_raw else None
    except ValueError:
        return None, {"status": "Choose one of the options."}
    if _value(values, "owner_agency") is not None and not _selected(values, "owner_agency"):
        errors["owner_agency"] = "Choose the agency that owns this action."
    if errors:
        return None, errors
    person = (_value(values, "owner_person") or {}).get("selected_user")
    return ActionForm(
        description=description,
        source=source,
        owner_agency=_selected(values, "owner_agency"),
        owner_user_id=str(person) if person else None,
        due_on=due,
        success_measure=_plain(values, "success_measure"),
        status=status,
        not_doing_reason=_plain(values, "not_doing_reason"),
        evidence_of_impact=_plain(values, "evidence"),
        note=_plain(values, "note"),
    ), {}


def guard_form(partnership: Partnership, form: ActionForm) -> dict[str, str]:
    """The identifier guard on every free-text field, as errors beside the fields that fail it."""
    errors = {}
    for block, name in GUARDED.items():
        text = getattr(form, name)
        if not text:
            continue
        verdict = guard(text, mode=partnership.identifier_guard, allowed_terms=partnership.allowed_terms())
        if not verdict.ok:
            errors[block] = verdict.message
    return errors
