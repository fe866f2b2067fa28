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


class CallbackId(StrEnum):
    NOTIFICATION_MODAL = "notification_modal"
    START_NOTIFICATION = "start_notification"
    NOTIFY_FROM_MESSAGE = "notify_from_message"
    DEADLINE_NOT_APPLICABLE_MODAL = "deadline_not_applicable_modal"
    DEADLINE_REVISE_MODAL = "deadline_revise_modal"
