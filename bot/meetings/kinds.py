"""Kinds of meeting, their names, a meeting's status, an invitee's answer and the lengths of the two
short texts a meeting holds (pure: no database).

The meeting tables store these as their string values (bot.meetings.models); the blocks and modals
name them from here.
"""

from __future__ import annotations

from enum import StrEnum


class MeetingKind(StrEnum):
    CASE_GROUP = "case_group"
    REVIEW_TEAM = "review_team"
    RAPID_REVIEW_PANEL = "rapid_review_panel"
    PRACTITIONER_LEARNING_EVENT = "practitioner_learning_event"
    OTHER = "other"


KIND_LABELS: dict[MeetingKind, str] = {
    MeetingKind.CASE_GROUP: "Case group meeting",
    MeetingKind.REVIEW_TEAM: "Review team meeting",
    MeetingKind.RAPID_REVIEW_PANEL: "Rapid review panel",
    MeetingKind.PRACTITIONER_LEARNING_EVENT: "Practitioner learning event",
    MeetingKind.OTHER: "Meeting",
}


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class Response(StrEnum):
    ATTENDING = "attending"
    NOT_ATTENDING = "not_attending"


PLACE_LIMIT = 200
PRE_READING_LIMIT = 300
