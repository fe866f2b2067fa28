"""The notification modal: building it, reading a submission, and putting errors beside fields.

One modal for every entry point (command, global shortcut, message shortcut, Home button). Context
(partnership, source message) rides in ``private_metadata`` as versioned JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from pydantic import ValidationError

from bot.calendar.plausible import EARLIEST_PLAUSIBLE_DATE, date_problem
from bot.clock import london_date, london_datetime
from bot.config.partnership import Partnership
from bot.notifications.form import (
    AGE_BAND_LABELS,
    LEGAL_STATUS_LABELS,
    MAX_CHILDREN,
    NOTIFICATION_TYPE_LABELS,
    PSEUDONYM_LIMIT,
    SUMMARY_LIMIT,
    AbuseOrNeglect,
    NotificationForm,
    YesNoNotKnown,
)
from bot.slack.blocks import input_block, option, plain_text
from bot.slack.ids import ActionId, CallbackId

# Each input's action_id is its block_id: Slack wants action ids unique within a block, and a
# unique id per field keeps every interaction payload self-describing.


@dataclass(frozen=True)
class ModalContext:
    partnership_id: str | None
    source_channel: str | None = None
    source_ts: str | None = None

    def dump(self) -> str:
        return json.dumps({"v": 1, "p": self.partnership_id, "sc": self.source_channel, "st": self.source_ts})

    @classmethod
    def load(cls, raw: str | None) -> ModalContext:
        try:
            data = json.loads(raw or "{}")
            return cls(data.get("p"), data.get("sc"), data.get("st"))
        except (ValueError, AttributeError):
            return cls(None)


def _select(
    options: list[tuple[str, str]], *, placeholder: str, initial: str | None = None
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "static_select",
        "placeholder": plain_text(placeholder),
        "options": [option(v, label) for v, label in options],
    }
    if initial is not None:
        element["initial_option"] = option(initial, dict(options)[initial])
    return element


def build_modal(partnerships: list[Partnership], context: ModalContext, *, today: date) -> dict[str, Any]:
    chosen = next((p for p in partnerships if p.id == context.partnership_id), None)
    if chosen is None and len(partnerships) == 1:
        chosen = partnerships[0]
        context = ModalContext(chosen.id, context.source_channel, context.source_ts)
    blocks: list[dict[str, Any]] = []
    if len(partnerships) > 1:
        # An actions block, not an input: choosing re-draws the form with that partnership's agencies
        # (and the modal needs no submit button until then).
        select = _select(
            [(p.id, p.name) for p in partnerships],
            placeholder="Which partnership?",
            initial=chosen.id if chosen else None,
        )
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "*Partnership*"}})
        blocks.append(
            {
                "type": "actions",
                "block_id": "partnership",
                "elements": [{**select, "action_id": "partnership"}],
            }
        )
    if chosen is None:
        blocks.append(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "Choose a partnership first."}]}
        )
        return _view(blocks, context, submit=False)
    if context.source_channel:
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": f"This notification will link to a message in <#{context.source_channel}>. "
                        "Its text is not copied.",
                    }
                ],
            }
        )
    blocks += [
        input_block(
            "type",
            "Type of notification",
            _select(
                [(t.value, label) for t, label in NOTIFICATION_TYPE_LABELS.items()], placeholder="Choose one"
            ),
        ),
        input_block(
            "aware_date",
            "When did the local authority become aware?",
            {"type": "datepicker", "initial_date": today.isoformat()},
        ),
        input_block("aware_time", "At what time (if known)?", {"type": "timepicker"}, optional=True),
        input_block(
            "incident_date", "Date of the incident (if known)", {"type": "datepicker"}, optional=True
        ),
        input_block(
            "abuse",
            "Abuse or neglect",
            {
                "type": "radio_buttons",
                "options": [
                    option(AbuseOrNeglect.KNOWN, "Known"),
                    option(AbuseOrNeglect.SUSPECTED, "Suspected"),
                    option(AbuseOrNeglect.NOT_SUSPECTED, "Neither known nor suspected"),
                ],
            },
        ),
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": "*Children* (one to four). "
                "Use pseudonyms only: _Child A_, _Sibling 1_. Never a name.",
            },
        },
    ]
    for i in range(MAX_CHILDREN):
        optional = i > 0
        blocks += [
            input_block(
                f"child_{i}_pseudonym",
                f"Child {i + 1}: pseudonym",
                {
                    "type": "plain_text_input",
                    "max_length": PSEUDONYM_LIMIT,
                    "placeholder": plain_text(f"Child {'ABCD'[i]}"),
                },
                optional=optional,
            ),
            input_block(
                f"child_{i}_age",
                f"Child {i + 1}: age band",
                _select([(k.value, v) for k, v in AGE_BAND_LABELS.items()], placeholder="Age band"),
                optional=True,
            ),
            input_block(
                f"child_{i}_status",
                f"Child {i + 1}: legal status at the time",
                _select([(k.value, v) for k, v in LEGAL_STATUS_LABELS.items()], placeholder="Legal status"),
                optional=True,
            ),
        ]
    blocks += [
        input_block(
            "agencies",
            "Agencies known to be involved",
            {
                "type": "multi_static_select",
                "placeholder": plain_text("Choose agencies"),
                "options": [option(a.id, a.name) for a in chosen.agencies],
            },
            optional=True,
        ),
        input_block(
            "police",
            "Police investigation",
            _select(
                [
                    (YesNoNotKnown.YES, "Yes"),
                    (YesNoNotKnown.NO, "No"),
                    (YesNoNotKnown.NOT_KNOWN, "Not known"),
                ],
                placeholder="Choose one",
                initial=YesNoNotKnown.NOT_KNOWN,
            ),
        ),
        input_block(
            "media",
            "Media interest",
            {"type": "checkboxes", "options": [option("yes", "There is media interest")]},
            optional=True,
        ),
        input_block(
            "sent_date",
            "Date the notification was sent to the Panel",
            {"type": "datepicker"},
            optional=True,
            hint="Leave empty if it has not been sent yet; you can record it later from the case card.",
        ),
        input_block(
            "summary",
            "Short summary",
            {"type": "plain_text_input", "multiline": True, "max_length": SUMMARY_LIMIT},
            optional=True,
            hint="No names, dates of birth, addresses, schools, phone or NHS numbers.",
        ),
    ]
    return _view(blocks, context, submit=True)


def _view(blocks: list[dict[str, Any]], context: ModalContext, *, submit: bool) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": CallbackId.NOTIFICATION_MODAL,
        "title": plain_text("New notification"),
        "close": plain_text("Cancel"),
        "blocks": blocks,
        "private_metadata": context.dump(),
    }
    if submit:
        view["submit"] = plain_text("Open case")
    return view


# -- reading a submission ----------------------------------------------------------------------------

FIELD_TO_BLOCK = {
    "notification_type": "type",
    "la_aware_at": "aware_date",
    "incident_on": "incident_date",
    "abuse_or_neglect": "abuse",
    "agencies": "agencies",
    "police_investigation": "police",
    "media_interest": "media",
    "notification_sent_at": "sent_date",
    "summary": "summary",
    "children": "child_0_pseudonym",
}


def block_for(field: str) -> str:
    if field.startswith("children."):
        parts = field.split(".")
        if len(parts) >= 3 and parts[1].isdecimal():
            suffix = {"pseudonym": "pseudonym", "age_band": "age", "legal_status": "status"}.get(
                parts[2], "pseudonym"
            )
            return f"child_{parts[1]}_{suffix}"
    return FIELD_TO_BLOCK.get(field.split(".")[0], "type")


def _value(values: dict[str, Any], block: str) -> Any:
    element = (values.get(block) or {}).get(block) or {}
    kind = element.get("type")
    if kind in ("static_select", "radio_buttons"):
        return (element.get("selected_option") or {}).get("value")
    if kind in ("multi_static_select", "checkboxes"):
        return [o.get("value") for o in element.get("selected_options") or []]
    if kind == "datepicker":
        return element.get("selected_date")
    if kind == "timepicker":
        return element.get("selected_time")
    return element.get("value")


def read_submission(
    values: dict[str, Any], *, now: datetime
) -> tuple[NotificationForm | None, dict[str, str]]:
    """The form from the modal's state, or errors keyed by block id."""
    errors: dict[str, str] = {}
    today = london_date(now)
    aware_day = _parse_date(_value(values, "aware_date"), "aware_date", errors, today)
    aware_time = _parse_time(_value(values, "aware_time"), "aware_time", errors)
    sent_day = _parse_date(_value(values, "sent_date"), "sent_date", errors, today)
    incident_day = _parse_date(_value(values, "incident_date"), "incident_date", errors, today)
    children = []
    for i in range(MAX_CHILDREN):
        pseudonym = (_value(values, f"child_{i}_pseudonym") or "").strip()
        age, status = _value(values, f"child_{i}_age"), _value(values, f"child_{i}_status")
        if not pseudonym:
            if age or status:
                errors[f"child_{i}_pseudonym"] = (
                    "Give this child a pseudonym, or clear the age band and legal status."
                )
            continue
        child: dict[str, Any] = {"pseudonym": pseudonym}
        if age:
            child["age_band"] = age
        if status:
            child["legal_status"] = status
        children.append(child)
    if not children:
        errors["child_0_pseudonym"] = "Add at least one child, as a pseudonym such as 'Child A'."
    if aware_day is None and "aware_date" not in errors:
        errors["aware_date"] = "Give the date the local authority became aware."
    if errors:
        return None, errors
    assert aware_day is not None
    if aware_time is not None:
        aware_at = london_datetime(aware_day, aware_time.hour, aware_time.minute)
    elif aware_day == london_date(now):
        aware_at = now
    else:
        aware_at = london_datetime(aware_day, 12)
    sent_at = None
    if sent_day is not None:
        sent_at = now if sent_day == london_date(now) else london_datetime(sent_day, 12)
    raw = {
        "notification_type": _value(values, "type"),
        "la_aware_at": aware_at,
        "incident_on": incident_day,
        "abuse_or_neglect": _value(values, "abuse") or AbuseOrNeglect.SUSPECTED,
        "children": children,
        "agencies": _value(values, "agencies") or [],
        "police_investigation": _value(values, "police") or YesNoNotKnown.NOT_KNOWN,
        "media_interest": "yes" in (_value(values, "media") or []),
        "notification_sent_at": sent_at,
        "summary": _value(values, "summary"),
    }
    try:
        return NotificationForm.model_validate(raw), {}
    except ValidationError as exc:
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"])
            errors.setdefault(block_for(field), _plain(err))
        return None, errors


def _plain(err: Any) -> str:
    kind = err.get("type", "")
    if kind == "missing" or kind == "enum":
        return "Please choose one."
    if kind == "string_too_long":
        return f"That is too long: at most {err.get('ctx', {}).get('max_length')} characters."
    return "Please check this answer."


_DATE_LABELS = {
    "aware_date": "The date the local authority became aware",
    "sent_date": "The date the notification was sent",
    "incident_date": "The incident date",
}


def _parse_date(raw: Any, block: str, errors: dict[str, str], today: date) -> date | None:
    """A datepicker's value, checked against the one plausible-date rule (2000 to today).

    A date before 2000 or years ahead ("0001-01-01", "9999-12-31") is refused here, before any
    time-zone arithmetic. A date only days ahead goes on to the form's checks, which refuse it
    for being in the future together with every other problem in the same answer.
    """
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except (TypeError, ValueError):
        errors[block] = "That is not a real date."
        return None
    problem = date_problem(day, today=today, what=_DATE_LABELS[block])
    if problem and (day < EARLIEST_PLAUSIBLE_DATE or day.year > today.year + 1):
        errors[block] = problem
        return None
    return day


def _parse_time(raw: str | None, block: str, errors: dict[str, str]) -> time | None:
    if not raw:
        return None
    try:
        return time.fromisoformat(raw)
    except ValueError:
        errors[block] = "That is not a real time."
        return None


def confirmation_view(reference: str, *, warnings: list[str]) -> dict[str, Any]:
    text = (
        f"*Case {reference} is open.* Its private channel and case card are being set up now; "
        "you will be invited to the channel."
    )
    blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    for warning in warnings:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": f":warning: {warning}"}})
    return {
        "type": "modal",
        "title": plain_text("Notification received"),
        "close": plain_text("Done"),
        "blocks": blocks,
    }


def refusal_view(message: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": plain_text("ReviewBot"),
        "close": plain_text("Close"),
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": message}}],
    }


__all__ = ["ActionId", "ModalContext", "block_for", "build_modal", "confirmation_view", "read_submission"]
