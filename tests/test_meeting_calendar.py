"""Meetings without Slack: the .ics across both 2026 clock changes, the reminder rungs on the case's
working calendar, the continuity rule and the Block Kit limits."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.calendar.working_days import WorkingCalendar
from bot.clock import london_datetime
from bot.meetings.blocks import InviteeLine, MeetingView, invitation_message, invitee_note, reminder_message
from bot.meetings.continuity import Continuity, needs_briefing, newcomers
from bot.meetings.ics import CalendarEntry, calendar_file, file_name
from bot.meetings.modals import attendance_modal, reschedule_modal, schedule_modal
from bot.meetings.reminders import plan_rungs
from bot.slack.blockkit import validate_message, validate_view

LONDON = ZoneInfo("Europe/London")
ENGLAND = WorkingCalendar("england")
STAMP = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def entry(starts_at: datetime, *, sequence: int = 0, cancelled: bool = False) -> CalendarEntry:
    return CalendarEntry(meeting_id=7, reference="RR-2026-001", kind_label="Case group meeting",
                         starts_at=starts_at, duration_minutes=90, place="Room 2.14, County Hall",
                         sequence=sequence, cancelled=cancelled, stamped_at=STAMP)


@pytest.mark.parametrize(("day", "expected_utc_hour"), [
    (date(2026, 3, 27), 10),  # Friday before the spring change: GMT
    (date(2026, 3, 30), 9),  # Monday after it: BST
    (date(2026, 10, 23), 9),  # Friday before the autumn change: BST
    (date(2026, 10, 26), 10),  # Monday after it: GMT
])
def test_ics_carries_the_right_utc_instant_on_both_sides_of_each_clock_change(
    day: date, expected_utc_hour: int
) -> None:
    raw = calendar_file(entry(london_datetime(day, 10)))
    cal = Calendar.from_ical(raw)
    [event] = cal.events
    start = event.decoded("dtstart")
    assert event["dtstart"].params["TZID"] == "Europe/London"
    assert start.astimezone(UTC) == datetime(day.year, day.month, day.day, expected_utc_hour, 0, tzinfo=UTC)
    assert (event.decoded("dtend") - start) == timedelta(minutes=90)
    assert b"DTSTART;TZID=Europe/London:" + day.strftime("%Y%m%d").encode() + b"T100000" in raw
    # The file's own VTIMEZONE (not the reader's tz database) gives the same instant.
    [vtimezone] = cal.timezones
    assert vtimezone["TZID"] == "Europe/London"
    own_rules = vtimezone.to_tz(lookup_tzid=False)
    local = datetime(day.year, day.month, day.day, 10, 0, tzinfo=own_rules)
    assert local.astimezone(UTC).hour == expected_utc_hour


def test_vtimezone_agrees_with_zoneinfo_2026_to_2040() -> None:
    """Noon every day, and every 15 minutes of each day on which UK clocks change."""
    cal = Calendar.from_ical(calendar_file(entry(datetime(2026, 3, 30, 9, tzinfo=UTC))))
    own_rules = cal.timezones[0].to_tz(lookup_tzid=False)

    def same(instant: datetime) -> bool:
        return instant.astimezone(own_rules).utcoffset() == instant.astimezone(LONDON).utcoffset()

    day, changes = datetime(2026, 1, 1, tzinfo=UTC), 0
    while day < datetime(2041, 1, 1, tzinfo=UTC):
        assert same(day + timedelta(hours=12)), day
        if day.astimezone(LONDON).utcoffset() != (day + timedelta(days=1)).astimezone(LONDON).utcoffset():
            changes += 1
            assert all(same(day + timedelta(minutes=15 * q)) for q in range(96)), day
        day += timedelta(days=1)
    assert changes == 30


def test_request_then_update_then_cancel_keep_the_uid() -> None:
    start = london_datetime(date(2026, 3, 30), 10)
    first = Calendar.from_ical(calendar_file(entry(start)))
    later = start + timedelta(days=1)
    moved = Calendar.from_ical(calendar_file(entry(later, sequence=1)))
    cancelled = Calendar.from_ical(calendar_file(entry(later, sequence=2, cancelled=True)))
    files = (first, moved, cancelled)
    assert {c.events[0]["UID"] for c in files} == {"meeting-7@reviewbot"}
    assert [c["METHOD"] for c in files] == ["REQUEST", "REQUEST", "CANCEL"]
    assert [c.events[0]["SEQUENCE"] for c in files] == [0, 1, 2]
    assert [c.events[0]["STATUS"] for c in files] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]
    for cal in files:
        assert cal["VERSION"] == "2.0" and "ReviewBot" in cal["PRODID"]
        assert cal.events[0].decoded("dtstamp") == STAMP
        # No pseudonyms, attendees or organiser leave Slack in the file: reference and kind only.
        assert cal.events[0]["SUMMARY"] == "RR-2026-001: Case group meeting"
        assert "ATTENDEE" not in cal.events[0] and "ORGANIZER" not in cal.events[0]


def test_file_name() -> None:
    name = file_name("RR-2026-001", "case_group", date(2026, 3, 27))
    assert name == "RR-2026-001-case-group-2026-03-27.ics"
    assert file_name("RR-2026-001", "other", date(2026, 3, 27), cancelled=True).endswith("-cancelled.ics")


def test_rungs_count_working_days_back_over_easter_and_the_clock_change() -> None:
    # Tuesday 7 April 2026 at 10:00 BST; Good Friday 3 April and Easter Monday 6 April are bank holidays.
    start = london_datetime(date(2026, 4, 7), 10)
    rungs = {r.rung: r.due_at for r in plan_rungs(start, 90, ENGLAND, now=datetime(2026, 3, 1, tzinfo=UTC))}
    assert rungs == {
        "5wd": datetime(2026, 3, 27, 9, 0, tzinfo=UTC),  # Fri 27 March 09:00 GMT (before the change)
        "1d": datetime(2026, 4, 2, 8, 0, tzinfo=UTC),  # Thu 2 April 09:00 BST: the working day before
        "1h": datetime(2026, 4, 7, 8, 0, tzinfo=UTC),  # 09:00 BST
        "attendance": datetime(2026, 4, 7, 10, 30, tzinfo=UTC),  # the end: 11:30 BST
    }


def test_rungs_already_past_are_skipped() -> None:
    start = london_datetime(date(2026, 4, 7), 10)
    rungs = plan_rungs(start, 60, ENGLAND, now=datetime(2026, 4, 2, 8, 30, tzinfo=UTC))
    assert [r.rung for r in rungs] == ["1h", "attendance"]


def test_continuity_rule_is_more_than_half_new() -> None:
    assert newcomers(["A", "B", "C", "D"], {"A", "X"}) == ["B", "C", "D"]
    assert needs_briefing(["A", "B", "C", "D"], {"A"})
    assert not needs_briefing(["A", "B", "C", "D"], {"A", "B"})  # exactly half is not "most"
    assert not needs_briefing(["A"], {"A"})


def view(invited: int = 4, **overrides: object) -> MeetingView:
    answers = ["attending", "not_attending", None]
    people = [InviteeLine(f"U0TEST{n:04d}", answers[n % 3], None) for n in range(invited)]
    fields: dict[str, object] = dict(
        meeting_id=3, reference="RR-2026-001", kind="case_group",
        starts_at=datetime(2027, 1, 13, 10, tzinfo=UTC), duration_minutes=90,
        place="https://teams.example/l/meetup-join/abc?x=1&y=<2>", pre_reading="Read " * 60,
        organiser_user_id="U0BM00001", chair_user_id="U0TEST0000", cancelled=False, sequence=0,
        attendance_recorded=False, channel_id="C0CASE0001", invitees=people,
    )
    fields.update(overrides)
    return MeetingView(**fields)  # type: ignore[arg-type]


def test_messages_and_modals_are_valid_block_kit_even_at_forty_invitees() -> None:
    big = view(40)
    for v in (big, view(40, cancelled=True, sequence=2), view(40, attendance_recorded=True),
              view(2, sequence=1)):
        text, blocks = invitation_message(v)
        assert validate_message(blocks, text) == [], v
    for change in ("scheduled", "rescheduled", "cancelled"):
        text, blocks = invitee_note(big, change)
        assert validate_message(blocks, text) == []
    newcomers_ = tuple(p.user_id for p in big.invitees[:30])
    continuity = Continuity(1, datetime(2027, 1, 6, 10, tzinfo=UTC), newcomers_, 40)
    for rung in ("5wd", "1d", "1h"):
        text, blocks = reminder_message(big, rung, big.chair_user_id, continuity)
        assert validate_message(blocks, text) == []
    assert validate_view(schedule_modal(1, "RR-2026-001")) == []
    assert validate_view(reschedule_modal(big)) == []
    modal = attendance_modal(big)
    assert validate_view(modal) == []
    attended = [b for b in modal["blocks"] if b["type"] == "input" and b["block_id"].startswith("attended_")]
    assert len(attended) == 4  # ten checkboxes to a block
    # A case group meeting's attendance also takes what was agreed, for its absentees.
    assert [b["block_id"] for b in modal["blocks"] if b["type"] == "input"][-1] == "record"


def test_free_text_cannot_make_mentions_or_links() -> None:
    _text, blocks = invitation_message(view(2, place="<!channel> <@U0BM00001>", pre_reading="<https://x|y>"))
    shown = str(blocks)
    assert "<!channel>" not in shown and "&lt;!channel&gt;" in shown
    assert "<https://x|y>" not in shown
