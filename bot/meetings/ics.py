"""The calendar file (.ics, RFC 5545) that goes with a meeting invitation (pure).

One UID per meeting for its whole life, so opening a later file updates the calendar entry made by
the first one; SEQUENCE goes up on every reschedule and on cancelling; METHOD:REQUEST while the
meeting stands, METHOD:CANCEL with STATUS:CANCELLED once it is called off.

Choices, and why:

- Times are written as UK wall-clock times with ``TZID=Europe/London`` and a VTIMEZONE for it. The
  VTIMEZONE uses yearly RRULEs (last Sunday of March and of October), the form Google Calendar and
  Outlook themselves write. icalendar can generate a VTIMEZONE from zoneinfo
  (``Timezone.from_tzid`` / ``Calendar.add_missing_timezones``), but it lists each transition as an
  RDATE, and Outlook is known to mishandle RDATE transitions (events an hour out); the RRULE form has
  no such problem. The tests check this definition against zoneinfo year by year.
- No ORGANIZER or ATTENDEE: people are Slack members, not e-mail addresses. A ``mailto:`` made up from
  a Slack id would have calendar programs send replies and updates to an address nobody reads, and a
  real address would be personal data leaving Slack for no gain. Answers are given with the buttons in
  Slack; the file only puts the meeting in people's calendars and keeps it up to date.
- SUMMARY holds the case reference and the kind of meeting only, and there is no DESCRIPTION with
  case details: calendar files leave Slack (synced to phones, shared calendars), so no pseudonyms or
  pre-reading go in them. LOCATION is the place or link, which passed the identifier guard.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vRecur

from bot.clock import LONDON, ensure_utc

PRODID = "-//ReviewBot//Case review meetings//EN"
TZID = "Europe/London"


@dataclass(frozen=True)
class CalendarEntry:
    """Everything the file says about one meeting (plain data, no database rows)."""

    meeting_id: int
    reference: str
    kind_label: str
    starts_at: datetime  # aware
    duration_minutes: int
    place: str
    sequence: int
    cancelled: bool
    stamped_at: datetime  # aware; DTSTAMP, from the injected clock

    @property
    def uid(self) -> str:
        return meeting_uid(self.meeting_id)

    @property
    def summary(self) -> str:
        return f"{self.reference}: {self.kind_label}"


def meeting_uid(meeting_id: int) -> str:
    return f"meeting-{meeting_id}@reviewbot"


def london_timezone() -> Timezone:
    """Europe/London as UK clocks have run since 1996: BST from 01:00 UTC on the last Sunday of March
    to 01:00 UTC on the last Sunday of October."""
    tz = Timezone()
    tz.add("tzid", TZID)
    tz.add("x-lic-location", TZID)
    daylight = TimezoneDaylight()
    daylight.add("tzoffsetfrom", timedelta(0))
    daylight.add("tzoffsetto", timedelta(hours=1))
    daylight.add("tzname", "BST")
    daylight.add("dtstart", datetime(1970, 3, 29, 1, 0))
    daylight.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    standard = TimezoneStandard()
    standard.add("tzoffsetfrom", timedelta(hours=1))
    standard.add("tzoffsetto", timedelta(0))
    standard.add("tzname", "GMT")
    standard.add("dtstart", datetime(1970, 10, 25, 2, 0))
    standard.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    tz.add_component(daylight)
    tz.add_component(standard)
    return tz


def calendar_file(entry: CalendarEntry) -> bytes:
    """The .ics for the meeting as it stands now (a request, or the cancellation)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "CANCEL" if entry.cancelled else "REQUEST")
    cal.add_component(london_timezone())
    start_utc = ensure_utc(entry.starts_at)
    # Add the duration in UTC: adding it to a London wall-clock time would ignore a clock change.
    start = start_utc.astimezone(LONDON)
    end = (start_utc + timedelta(minutes=entry.duration_minutes)).astimezone(LONDON)
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", ensure_utc(entry.stamped_at))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("sequence", entry.sequence)
    event.add("summary", entry.summary)
    if entry.place:
        event.add("location", entry.place)
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    cal.add_component(event)
    return bytes(cal.to_ical())


def file_name(reference: str, kind: str, day: date, *, cancelled: bool = False) -> str:
    """``RR-2026-001-case-group-2026-03-27.ics`` (``...-cancelled.ics`` for the cancellation)."""
    suffix = "-cancelled" if cancelled else ""
    return f"{reference}-{kind.replace('_', '-')}-{day.isoformat()}{suffix}.ics"
