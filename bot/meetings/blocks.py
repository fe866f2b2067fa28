"""Block Kit for meetings (pure): the invitation in the case channel, the note to each invitee, the
reminders, and the prompt to record attendance.

Times are shown with Slack's date token, so each reader sees their own time zone; the fallback text
(old clients, notifications) is the UK time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.calendar.working_days import format_day
from bot.clock import LONDON, ensure_utc
from bot.meetings.continuity import Continuity
from bot.meetings.kinds import KIND_LABELS, MeetingKind, Response
from bot.slack.blocks import button, context, section
from bot.slack.ids import ActionId
from bot.slack.mrkdwn import escape

RUNG_WORDS = {
    "5wd": "5 working days before",
    "1d": "the working day before",
    "1h": "1 hour before",
    "attendance": "after the meeting",
}


def kind_label(kind: str) -> str:
    try:
        return KIND_LABELS[MeetingKind(kind)]
    except ValueError:
        return "Meeting"


def uk_time_text(instant: datetime) -> str:
    local = ensure_utc(instant).astimezone(LONDON)
    return f"{format_day(local.date())} at {local:%H:%M} UK time"


def when_token(instant: datetime, *, date_only: bool = False) -> str:
    if date_only:
        pattern, fallback = "{date_long_pretty}", format_day(ensure_utc(instant).astimezone(LONDON).date())
    else:
        pattern, fallback = "{date_long_pretty} at {time}", uk_time_text(instant)
    return f"<!date^{int(ensure_utc(instant).timestamp())}^{pattern}|{fallback}>"


def duration_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    if hours:
        return f"{hours} hour" + ("s" if hours > 1 else "")
    return f"{rest} minutes"


@dataclass(frozen=True)
class InviteeLine:
    user_id: str
    response: str | None
    attended: bool | None


class InviteeRecord(Protocol):
    """What a meeting view reads of an invitee (the row in bot.meetings.models has these columns)."""

    @property
    def user_id(self) -> str: ...
    @property
    def response(self) -> str | None: ...
    @property
    def attended(self) -> bool | None: ...


class MeetingRecord(Protocol):
    """What a meeting view reads of a meeting (the row in bot.meetings.models has these)."""

    @property
    def id(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def starts_at(self) -> datetime: ...
    @property
    def duration_minutes(self) -> int: ...
    @property
    def place(self) -> str: ...
    @property
    def pre_reading(self) -> str | None: ...
    @property
    def organiser_user_id(self) -> str: ...
    @property
    def chair_user_id(self) -> str: ...
    @property
    def cancelled(self) -> bool: ...
    @property
    def sequence(self) -> int: ...
    @property
    def attendance_recorded_at(self) -> datetime | None: ...
    @property
    def channel_id(self) -> str | None: ...
    @property
    def invitees(self) -> Sequence[InviteeRecord]: ...
    @property
    def purpose(self) -> str | None: ...
    @property
    def record_text(self) -> str | None: ...


@dataclass(frozen=True)
class MeetingView:
    """What every meeting message needs, taken from the rows once (no lazy loading in builders)."""

    meeting_id: int
    reference: str
    kind: str
    starts_at: datetime
    duration_minutes: int
    place: str
    pre_reading: str | None
    organiser_user_id: str
    chair_user_id: str
    cancelled: bool
    sequence: int
    attendance_recorded: bool
    channel_id: str | None = None
    invitees: list[InviteeLine] = field(default_factory=list)
    purpose: str | None = None  # a case group meeting of a Learning Together plan: what it is for
    record_text: str | None = None  # what was agreed (guarded)

    @classmethod
    def of(cls, meeting: MeetingRecord, reference: str) -> MeetingView:
        return cls(
            meeting_id=meeting.id, reference=reference, kind=meeting.kind, starts_at=meeting.starts_at,
            duration_minutes=meeting.duration_minutes, place=meeting.place, pre_reading=meeting.pre_reading,
            organiser_user_id=meeting.organiser_user_id, chair_user_id=meeting.chair_user_id,
            cancelled=meeting.cancelled, sequence=meeting.sequence,
            attendance_recorded=meeting.attendance_recorded_at is not None, channel_id=meeting.channel_id,
            invitees=[InviteeLine(i.user_id, i.response, i.attended) for i in meeting.invitees],
            purpose=meeting.purpose, record_text=meeting.record_text,
        )

    @property
    def label(self) -> str:
        return kind_label(self.kind)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def title(self) -> str:
        return f"{self.label} for {self.reference}"


def absentee_line(continuity: Continuity) -> str:
    """The previous case group meeting's absentees: who was sent what was agreed, who commented."""
    def people(users: tuple[str, ...]) -> str:
        return ", ".join(f"<@{u}>" for u in users) or "nobody"

    line = (f":memo: *{len(continuity.absentees)} missed the last case group meeting* "
            f"({when_token(continuity.previous_starts_at, date_only=True)}). Sent what was agreed: "
            f"{people(continuity.record_sent)}; commented on its accuracy: {people(continuity.commented)}.")
    if continuity.record_not_sent:
        line += (f" Not yet sent: {people(continuity.record_not_sent)}: add what was agreed to that "
                 "meeting's attendance (`/review attendance`) so they can check it.")
    return line


def answer_buttons(meeting_id: int) -> dict[str, Any]:
    value = str(meeting_id)
    return {"type": "actions", "block_id": f"meeting_{meeting_id}_answer", "elements": [
        button("Attending", ActionId.MEETING_ATTENDING, value, style="primary"),
        button("Not attending", ActionId.MEETING_NOT_ATTENDING, value),
    ]}


def _details(view: MeetingView, *, pre_reading: bool = True) -> str:
    lines = [
        f"*When:* {when_token(view.starts_at)} ({duration_text(view.duration_minutes)})",
        f"*Where:* {escape(view.place)}",
        f"*Chair:* <@{view.chair_user_id}>",
    ]
    if view.purpose:
        lines.append(f"*Purpose:* {escape(view.purpose)}")
    if pre_reading and view.pre_reading:
        lines.append(f"*Pre-reading:* {escape(view.pre_reading)}")
    return "\n".join(lines)


_ANSWER_WORDS = {
    Response.ATTENDING.value: ":white_check_mark: attending",
    Response.NOT_ATTENDING.value: ":x: not attending",
    None: ":grey_question: no answer yet",
}


def invitee_list(view: MeetingView) -> str:
    if view.attendance_recorded:
        came = sum(1 for i in view.invitees if i.attended)
        lines = [f"*Attendance* ({came} of {len(view.invitees)} attended)"]
        lines += [f"• <@{i.user_id}> {'attended' if i.attended else 'did not attend'}" for i in view.invitees]
        return "\n".join(lines)
    counts = {key: sum(1 for i in view.invitees if i.response == key) for key in _ANSWER_WORDS}
    summary = (f"{counts[Response.ATTENDING.value]} attending · "
               f"{counts[Response.NOT_ATTENDING.value]} not attending · {counts[None]} no answer yet")
    lines = [f"*Invited* ({summary})"]
    lines += [f"• <@{i.user_id}> {_ANSWER_WORDS.get(i.response, _ANSWER_WORDS[None])}" for i in view.invitees]
    return "\n".join(lines)


def invitation_message(view: MeetingView) -> tuple[str, list[dict[str, Any]]]:
    """The invitation in the case channel, edited in place on every change."""
    if view.cancelled:
        text = f"Cancelled: {view.title} on {uk_time_text(view.starts_at)}"
        return text, [
            section(f":no_entry_sign: *Cancelled: {view.title}*\n~{when_token(view.starts_at)}~"),
            context(f"Organised by <@{view.organiser_user_id}>. The cancellation is in the calendar file "
                    "below: open it to take the meeting out of your calendar."),
        ]
    text = f"{view.title}: {uk_time_text(view.starts_at)}"
    version = f"calendar file version {view.sequence + 1}" if view.sequence else "calendar file"
    blocks: list[dict[str, Any]] = [
        section(f":calendar: *{view.title}*" + (" _(rescheduled)_" if view.sequence else "")),
        section(_details(view)),
        section(invitee_list(view)),
        context(f"Organised by <@{view.organiser_user_id}> · the {version} is below: open it to add the "
                "meeting to Outlook or Google Calendar."),
    ]
    if not view.attendance_recorded:
        blocks.append(answer_buttons(view.meeting_id))
    value = str(view.meeting_id)
    confirm = {
        "title": {"type": "plain_text", "text": "Cancel this meeting?"},
        "text": {"type": "mrkdwn", "text": "Everyone invited is told, and the calendar file cancels it."},
        "confirm": {"type": "plain_text", "text": "Cancel meeting"},
        "deny": {"type": "plain_text", "text": "Keep it"},
        "style": "danger",
    }
    manage = [button("Record attendance", ActionId.MEETING_RECORD_ATTENDANCE, value)]
    if not view.attendance_recorded:  # once it took place, only a correction to the attendance makes sense
        manage = [button("Reschedule", ActionId.MEETING_RESCHEDULE, value),
                  button("Cancel meeting", ActionId.MEETING_CANCEL, value, style="danger", confirm=confirm),
                  *manage]
    blocks.append({"type": "actions", "block_id": f"meeting_{view.meeting_id}_manage", "elements": manage})
    who_records = "the business unit, the chair, or the meeting's organiser or chair"
    if view.attendance_recorded:
        blocks.append(context(f"Corrections to the attendance: {who_records}."))
    else:
        blocks.append(context("Reschedule and cancel: the business unit, the chair and reviewers. "
                              f"Attendance: {who_records}, once it has started."))
    return text, blocks


def invitee_note(view: MeetingView, change: str) -> tuple[str, list[dict[str, Any]]]:
    """The direct message each invitee gets when a meeting is scheduled, moved or cancelled."""
    where = f" (invitation in <#{view.channel_id}>)" if view.channel_id else ""
    if change == "cancelled":
        text = f"Cancelled: {view.title} on {uk_time_text(view.starts_at)}"
        return text, [section(f":no_entry_sign: The *{view.title}* on {when_token(view.starts_at)} has "
                              f"been cancelled{where}. Open the calendar file there to remove it from your "
                              "calendar.")]
    if change == "rescheduled":
        text = f"Moved: {view.title}, now {uk_time_text(view.starts_at)}"
        head = (f":arrows_counterclockwise: The *{view.title}* has moved to {when_token(view.starts_at)} "
                f"({duration_text(view.duration_minutes)}){where}. Please answer again:")
    else:
        text = f"Invitation: {view.title}, {uk_time_text(view.starts_at)}"
        head = (f":calendar: You are invited to the *{view.title}* on {when_token(view.starts_at)} "
                f"({duration_text(view.duration_minutes)}), {escape(view.place)}{where}. Will you be there?")
    return text, [section(head), answer_buttons(view.meeting_id)]


def reminder_message(
    view: MeetingView, rung: str, recipient: str, continuity: Continuity | None
) -> tuple[str, list[dict[str, Any]]]:
    """A reminder to one invitee; the chair's also names newcomers to brief when continuity is at risk."""
    if rung == "1h":
        headline = f"Starting in an hour: {view.title}"
    else:
        headline = f"Reminder: {view.title}"
    text = f"{headline}, {uk_time_text(view.starts_at)}"
    blocks: list[dict[str, Any]] = [section(f":calendar: *{headline}*\n{_details(view, pre_reading=False)}")]
    if rung == "5wd" and view.pre_reading:
        blocks.append(section(f":books: *Please read before the meeting:* {escape(view.pre_reading)}"))
    if continuity is not None and recipient == view.chair_user_id and continuity.absentees:
        blocks.append(section(absentee_line(continuity)))
    if continuity is not None and recipient == view.chair_user_id and continuity.needs_briefing:
        names = ", ".join(f"<@{u}>" for u in continuity.newcomers)
        blocks.append(section(
            f":wave: *Most of the people invited are new to this group.* {len(continuity.newcomers)} of the "
            f"{continuity.invited} invited did not attend the last {view.label.lower()} "
            f"({when_token(continuity.previous_starts_at, date_only=True)}): {names}.\n"
            "As chair, please brief them before the meeting: what the group has looked at so far, and "
            "what this meeting is for, so the group does not lose the thread."))
        text += f" · {len(continuity.newcomers)} newcomers to brief"
    answer = next((i.response for i in view.invitees if i.user_id == recipient), None)
    if answer is None:
        blocks.append(context("You have not answered yet."))
        blocks.append(answer_buttons(view.meeting_id))
    where = f" · invitation in <#{view.channel_id}>" if view.channel_id else ""
    blocks.append(context(f"Sent {RUNG_WORDS.get(rung, rung)}{where}"))
    return text, blocks


def attendance_prompt(view: MeetingView) -> tuple[str, list[dict[str, Any]]]:
    text = f"Record attendance: {view.title}"
    return text, [
        section(f":clipboard: *{view.title}* has ended. Please record who attended: at the next meeting "
                "of this group, the chair is told who is new and needs briefing."),
        {"type": "actions", "block_id": f"meeting_{view.meeting_id}_attendance", "elements": [
            button("Record attendance", ActionId.MEETING_RECORD_ATTENDANCE, str(view.meeting_id),
                   style="primary"),
        ]},
    ]


def scheduled_text(view: MeetingView) -> str:
    return f"{view.title} scheduled for {uk_time_text(view.starts_at)}."
