"""Kinds of meeting, their names, a meeting's status, an invitee's answer and the lengths of the two
short texts a meeting holds (pure: no database).

The meeting tables store these as their string values (bot.meetings.models); the blocks and modals
name them from here.
"""

from __future__ import annotations

from enum import StrEnum


class MeetingKind(StrEnum):
    CASE_GROUP = "case_group"  # a case group meeting outside a Learning Together plan
    CASE_GROUP_INTRODUCTORY = "case_group_introductory"
    CASE_GROUP_FOLLOW_ON = "case_group_follow_on"
    CONVERSATION = "conversation"  # a one-to-one conversation with a practitioner (/review conversation)
    REVIEW_TEAM = "review_team"
    RAPID_REVIEW_PANEL = "rapid_review_panel"
    PRACTITIONER_LEARNING_EVENT = "practitioner_learning_event"
    OTHER = "other"


KIND_LABELS: dict[MeetingKind, str] = {
    MeetingKind.CASE_GROUP: "Case group meeting",
    MeetingKind.CASE_GROUP_INTRODUCTORY: "Introductory case group meeting",
    MeetingKind.CASE_GROUP_FOLLOW_ON: "Follow-on case group meeting",
    MeetingKind.CONVERSATION: "Conversation with a practitioner",
    MeetingKind.REVIEW_TEAM: "Review team meeting",
    MeetingKind.RAPID_REVIEW_PANEL: "Rapid review panel",
    MeetingKind.PRACTITIONER_LEARNING_EVENT: "Practitioner learning event",
    MeetingKind.OTHER: "Meeting",
}


# The case group of a Learning Together review: its meetings are one group for continuity, and their
# absentees are sent what was agreed.
CASE_GROUP_KINDS = frozenset({
    MeetingKind.CASE_GROUP, MeetingKind.CASE_GROUP_INTRODUCTORY, MeetingKind.CASE_GROUP_FOLLOW_ON,
})
# What the scheduling form offers: a conversation has its own command (it records the practitioner's
# agency and role).
SCHEDULABLE = tuple(k for k in KIND_LABELS if k is not MeetingKind.CONVERSATION)


def is_case_group(kind: str) -> bool:
    return kind in {k.value for k in CASE_GROUP_KINDS}


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class Response(StrEnum):
    ATTENDING = "attending"
    NOT_ATTENDING = "not_attending"


PLACE_LIMIT = 200
PRE_READING_LIMIT = 300
PURPOSE_LIMIT = 300
RECORD_LIMIT = 2000  # what was agreed at a meeting (guarded)
COMMENT_LIMIT = 1000  # an absentee's comment on the record's accuracy (guarded)
ROLE_LIMIT = 80  # a practitioner's role, never a name
