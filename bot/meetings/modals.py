"""The three meeting modals (schedule, reschedule, record attendance): building them and reading a
submission into plain values or errors keyed by block id (pure).

Context rides in ``private_metadata`` as small versioned JSON: the case for a new meeting; the meeting
and the sequence the person saw for a reschedule, so a form opened before someone else moved the
meeting cannot silently undo that move.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from bot.clock import LONDON, london_date, london_datetime
from bot.meetings.blocks import MeetingView, uk_time_text
from bot.meetings.kinds import (
    KIND_LABELS,
    PLACE_LIMIT,
    PRE_READING_LIMIT,
    RECORD_LIMIT,
    SCHEDULABLE,
    MeetingKind,
    Response,
    is_case_group,
)
from bot.slack.blocks import RADIO_CHECKBOX_OPTIONS_LIMIT, input_block, option, plain_text
from bot.slack.ids import CallbackId
from bot.slack.mrkdwn import escape
from bot.slack.payloads import CaseMetadata, MeetingMetadata

MAX_INVITEES = 40
MIN_MINUTES = 15
MAX_MINUTES = 480
DEFAULT_MINUTES = 90
HORIZON = timedelta(days=731)  # about two years: further out is almost surely a mistyped year

TextCheck = Callable[[str], "str | None"]  # the identifier guard: None when fine, else the message


def _when_inputs(initial_day: date | None, initial_time: str, initial_minutes: int) -> list[dict[str, Any]]:
    day: dict[str, Any] = {"type": "datepicker"}
    if initial_day is not None:
        day["initial_date"] = initial_day.isoformat()
    return [
        input_block("date", "Date", day),
        # The picker's time zone makes the chosen time a UK time whatever the person's own zone is.
        input_block("time", "Start time (UK time)", {"type": "timepicker", "initial_time": initial_time,
                                                     "timezone": "Europe/London"}),
        input_block("duration", "Length in minutes", {
            "type": "number_text_input", "is_decimal_allowed": False, "initial_value": str(initial_minutes),
            "min_value": str(MIN_MINUTES), "max_value": str(MAX_MINUTES)}),
    ]


# -- schedule -----------------------------------------------------------------------------------------


def schedule_modal(case_id: int, reference: str) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        {"type": "context", "elements": [{"type": "mrkdwn", "text":
            f"Case *{reference}*. The invitation goes to this case's channel, with a calendar file. "
            "Case references and pseudonyms only, please."}]},
        input_block("kind", "Kind of meeting", {
            "type": "static_select", "placeholder": plain_text("Choose one"),
            "options": [option(k.value, KIND_LABELS[k]) for k in SCHEDULABLE]}),
        *_when_inputs(None, "10:00", DEFAULT_MINUTES),
        input_block("place", "Place or link", {
            "type": "plain_text_input", "max_length": PLACE_LIMIT,
            "placeholder": plain_text("Room 2.14, County Hall, or a Teams link")},
                    hint="A meeting room or an online link. No addresses of families."),
        input_block("invitees", "Who is invited", {
            "type": "multi_users_select", "placeholder": plain_text("Choose people"),
            "max_selected_items": MAX_INVITEES},
                    hint="Everyone invited must already have access to this case."),
        input_block("chair", "Chaired by", {"type": "users_select",
                                            "placeholder": plain_text("You, if left empty")},
                    optional=True,
                    hint="The chair is invited too, and is asked to brief people new to the group."),
        input_block("pre_reading", "Pre-reading", {"type": "plain_text_input", "multiline": True,
                                                   "max_length": PRE_READING_LIMIT}, optional=True,
                    hint="What to read first, e.g. the agency summaries. Sent 5 working days before. "
                         "No names."),
    ]
    return {
        "type": "modal", "callback_id": CallbackId.MEETING_MODAL, "title": plain_text("Schedule a meeting"),
        "submit": plain_text("Invite"), "close": plain_text("Cancel"), "blocks": blocks,
        "private_metadata": CaseMetadata(case=case_id).dump(),
    }


@dataclass(frozen=True)
class MeetingRequest:
    """A validated schedule form (invitee access is checked by the service, which knows the case)."""

    kind: MeetingKind
    starts_at: datetime
    duration_minutes: int
    place: str
    invitees: tuple[str, ...]
    chair_user_id: str | None
    pre_reading: str | None
    # A conversation with a practitioner (`/review conversation`): their agency and role, never a name;
    # during_hold when it was scheduled, deliberately, while police or the CPS asked for no contact.
    practitioner_agency: str | None = None
    practitioner_role: str | None = None
    during_hold: bool = False


def _state(values: dict[str, Any], block: str) -> dict[str, Any]:
    return dict((values.get(block) or {}).get(block) or {})


def _read_when(
    values: dict[str, Any], now: datetime, errors: dict[str, str]
) -> tuple[datetime | None, int | None]:
    raw_day = _state(values, "date").get("selected_date")
    raw_time = _state(values, "time").get("selected_time")
    raw_minutes = str(_state(values, "duration").get("value") or "").strip()
    day: date | None = None
    start: time | None = None
    try:
        day = date.fromisoformat(raw_day) if raw_day else None
    except ValueError:
        errors["date"] = "That is not a real date."
    if day is None and "date" not in errors:
        errors["date"] = "Choose the day of the meeting."
    try:
        start = time.fromisoformat(raw_time) if raw_time else None
    except ValueError:
        errors["time"] = "That is not a real time."
    if start is None and "time" not in errors:
        errors["time"] = "Choose the start time."
    minutes = int(raw_minutes) if raw_minutes.isdecimal() else None
    if minutes is None or not MIN_MINUTES <= minutes <= MAX_MINUTES:
        errors["duration"] = f"Give the length in whole minutes, from {MIN_MINUTES} to {MAX_MINUTES}."
        minutes = None
    if day is None or start is None:
        return None, minutes
    starts_at = london_datetime(day, start.hour, start.minute)
    if starts_at <= now:
        block = "time" if day == london_date(now) else "date"
        errors[block] = f"That is in the past (it is now {uk_time_text(now)}). Choose a time still to come."
    elif starts_at - now > HORIZON:
        errors["date"] = "That is more than two years away. Check the year."
    return starts_at, minutes


def _read_text(values: dict[str, Any], block: str, check: TextCheck, errors: dict[str, str]) -> str | None:
    text = str(_state(values, block).get("value") or "").strip()
    if not text:
        return None
    problem = check(text)
    if problem:
        errors[block] = problem[:2000]
    return text


def read_schedule(
    values: dict[str, Any], *, now: datetime, check: TextCheck
) -> tuple[MeetingRequest | None, dict[str, str]]:
    errors: dict[str, str] = {}
    raw_kind = (_state(values, "kind").get("selected_option") or {}).get("value")
    kind = MeetingKind(raw_kind) if raw_kind in {k.value for k in SCHEDULABLE} else None
    if kind is None:
        errors["kind"] = "Choose the kind of meeting."
    starts_at, minutes = _read_when(values, now, errors)
    place = _read_text(values, "place", check, errors)
    if place is None and "place" not in errors:
        errors["place"] = "Say where it is: a room, or a link for an online meeting."
    elif place is not None and len(place) > PLACE_LIMIT:
        errors["place"] = f"That is too long: at most {PLACE_LIMIT} characters."
    invitees = tuple(dict.fromkeys(str(u) for u in _state(values, "invitees").get("selected_users") or []))
    if not invitees:
        errors["invitees"] = "Invite at least one person."
    elif len(invitees) > MAX_INVITEES:
        errors["invitees"] = f"Invite at most {MAX_INVITEES} people."
    chair = _state(values, "chair").get("selected_user") or None
    pre_reading = _read_text(values, "pre_reading", check, errors)
    if pre_reading is not None and len(pre_reading) > PRE_READING_LIMIT:
        errors["pre_reading"] = f"That is too long: at most {PRE_READING_LIMIT} characters."
    if errors:
        return None, errors
    assert kind is not None and starts_at is not None and minutes is not None and place is not None
    request = MeetingRequest(kind, starts_at, minutes, place, invitees, str(chair) if chair else None,
                             pre_reading)
    return request, {}


def ordinal_list(positions: list[int]) -> str:
    words = [_ordinal(p) for p in positions]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# -- reschedule -----------------------------------------------------------------------------------------


def reschedule_modal(view: MeetingView) -> dict[str, Any]:
    local = view.starts_at.astimezone(LONDON)
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text":
            f"*{escape(view.title)}*, now {uk_time_text(view.starts_at)}. Everyone invited is told, answers "
            "are asked for again, the reminders move and a new calendar file updates people's calendars."}},
        *_when_inputs(local.date(), f"{local:%H:%M}", view.duration_minutes),
    ]
    return {
        "type": "modal", "callback_id": CallbackId.MEETING_RESCHEDULE_MODAL,
        "title": plain_text("Reschedule"), "submit": plain_text("Move it"), "close": plain_text("Cancel"),
        "blocks": blocks,
        "private_metadata": MeetingMetadata(meeting=view.meeting_id, sequence=view.sequence).dump(),
    }


def read_reschedule(
    values: dict[str, Any], *, now: datetime
) -> tuple[tuple[datetime, int] | None, dict[str, str]]:
    errors: dict[str, str] = {}
    starts_at, minutes = _read_when(values, now, errors)
    if errors or starts_at is None or minutes is None:
        return None, errors
    return (starts_at, minutes), {}


# -- attendance -----------------------------------------------------------------------------------------


def attendance_modal(view: MeetingView) -> dict[str, Any]:
    """Checkboxes of the invitees, ten to a block (Slack's limit), ticked from earlier answers."""
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text":
            f"*{escape(view.title)}*, {uk_time_text(view.starts_at)}. Tick everyone who attended."}},
    ]
    people = view.invitees
    for n, start in enumerate(range(0, len(people), RADIO_CHECKBOX_OPTIONS_LIMIT)):
        chunk = people[start:start + RADIO_CHECKBOX_OPTIONS_LIMIT]
        options = [{"text": {"type": "mrkdwn", "text": f"<@{p.user_id}>"}, "value": p.user_id} for p in chunk]
        if view.attendance_recorded:  # correcting: start from what was recorded
            ticked = [o for o, p in zip(options, chunk, strict=True) if p.attended]
        else:  # first time: start from who said they would come
            ticked = [o for o, p in zip(options, chunk, strict=True) if p.response == Response.ATTENDING]
        element: dict[str, Any] = {"type": "checkboxes", "options": options}
        if ticked:
            element["initial_options"] = ticked
        label = "Attended"
        if len(people) > RADIO_CHECKBOX_OPTIONS_LIMIT:
            label += f" ({start + 1}-{start + len(chunk)})"
        blocks.append(input_block(f"attended_{n}", label, element, optional=True))
    if is_case_group(view.kind):
        record: dict[str, Any] = {"type": "plain_text_input", "multiline": True, "max_length": RECORD_LIMIT}
        if view.record_text:
            record["initial_value"] = view.record_text
        blocks.append(input_block(
            "record", "What was agreed", record, optional=True,
            hint="The meeting's record. Everyone invited who did not attend is sent it, with a button to "
                 "comment on its accuracy. No names."))
    return {
        "type": "modal", "callback_id": CallbackId.MEETING_ATTENDANCE_MODAL,
        "title": plain_text("Attendance"), "submit": plain_text("Save"), "close": plain_text("Cancel"),
        "blocks": blocks,
        "private_metadata": MeetingMetadata(meeting=view.meeting_id).dump(),
    }


def read_record(values: dict[str, Any]) -> str | None:
    """What was agreed, as typed (None when the field is absent or empty)."""
    value = str(((values.get("record") or {}).get("record") or {}).get("value") or "").strip()
    return value or None


def read_attendance(values: dict[str, Any]) -> set[str]:
    attended: set[str] = set()
    for block, state in values.items():
        if not block.startswith("attended_"):
            continue
        element = (state or {}).get(block) or {}
        attended |= {str(o.get("value")) for o in element.get("selected_options") or []}
    return attended
