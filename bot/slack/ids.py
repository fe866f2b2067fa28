"""Every action_id, callback_id and block_id the bot uses, in one place."""

from __future__ import annotations

from enum import StrEnum


class ActionId(StrEnum):
    HOME_NEW_NOTIFICATION = "home_new_notification"
    RECORD_NOTIFICATION_SENT = "case_notification_sent"
    REFRESH_CARD = "case_refresh_card"
    DEADLINE_DONE = "deadline_done"
    DEADLINE_SNOOZE = "deadline_snooze"
    DEADLINE_NOT_APPLICABLE = "deadline_not_applicable"
    # Rapid review. Ids used as "<id>:<key>" prefixes carry the item, return or agency after the colon,
    # because action ids must be unique within a message.
    CHECKLIST_ITEM = "rr_item"
    CHECKLIST_PREVIOUS_PAGE = "rr_checklist_prev"
    CHECKLIST_NEXT_PAGE = "rr_checklist_next"
    RETURN_RECEIVED = "rr_return_received"
    RETURN_NIL = "rr_return_nil"
    RETURN_ADD_AGENCY = "rr_return_add"
    SIGN_OFF = "rr_sign_off"
    DECISION_EDIT = "rr_decision_edit"
    PANEL_SENT = "rr_panel_sent"
    PANEL_RESPONSE = "rr_panel_response"
    ACTION_ADD = "action_add"
    ACTION_UPDATE = "action_update"
    ACTION_DONE = "action_done"
    FINDING_ADD_ACTION = "finding_add_action"
    HOME_PAGE = "home_page"
    HOME_PAGE_BACK = "home_page_back"
    HOME_PAGE_FEWER = "home_page_fewer"
    HOME_DEADLINE_DONE = "home_deadline_done"
    AWAY_OPEN = "away_open"
    AWAY_BACK = "away_back"
    MEETING_ATTENDING = "meeting_attending"
    MEETING_NOT_ATTENDING = "meeting_not_attending"
    MEETING_RESCHEDULE = "meeting_reschedule"
    MEETING_CANCEL = "meeting_cancel"
    MEETING_RECORD_ATTENDANCE = "meeting_record_attendance"
    MEETING_RECORD_COMMENT = "meeting_record_comment"


class CallbackId(StrEnum):
    NOTIFICATION_MODAL = "notification_modal"
    START_NOTIFICATION = "start_notification"
    NOTIFY_FROM_MESSAGE = "notify_from_message"
    DEADLINE_NOT_APPLICABLE_MODAL = "deadline_not_applicable_modal"
    DEADLINE_REVISE_MODAL = "deadline_revise_modal"
    CHECKLIST_NOT_APPLICABLE_MODAL = "rr_item_na_modal"
    CHECKLIST_ASSIGN_MODAL = "rr_item_assign_modal"
    CHECKLIST_NOTE_MODAL = "rr_item_note_modal"
    DECISION_MODAL = "rr_decision_modal"
    ACTION_MODAL = "action_modal"
    FINDING_MODAL = "finding_modal"
    MEETING_MODAL = "meeting_modal"
    MEETING_RESCHEDULE_MODAL = "meeting_reschedule_modal"
    MEETING_ATTENDANCE_MODAL = "meeting_attendance_modal"
    MEETING_RECORD_COMMENT_MODAL = "meeting_record_comment_modal"
    EPISODE_MODAL = "episode_modal"
    AWAY_MODAL = "away_modal"
