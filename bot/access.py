"""Who may do what to which case: one pure decision, default deny.

Every listener (commands, buttons, view submissions, shortcuts, events) and the webhook ask
:func:`decide` before reading or writing. The decision is a function of plain facts (the person's
roles and agency in the partnership file, the case's partnership, members and involved agencies), so
it is tested exhaustively without Slack or a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Permission(StrEnum):
    USE_HELP = "use_help"
    CALCULATE_DUE = "calculate_due"
    NOTIFY = "notify"
    LIST_CASES = "list_cases"
    VIEW_CASE = "view_case"
    EDIT_CASE = "edit_case"
    UPDATE_CHECKLIST_ITEM = "update_checklist_item"
    RECORD_AGENCY_RETURN = "record_agency_return"
    RECORD_DECISION = "record_decision"
    SIGN_OFF = "sign_off"
    EXPORT_PACK = "export_pack"
    MANAGE_MEETING = "manage_meeting"
    RESPOND_TO_MEETING = "respond_to_meeting"
    RECORD_ATTENDANCE = "record_attendance"
    ACT_ON_DEADLINE = "act_on_deadline"
    MANAGE_ACTION = "manage_action"
    UPDATE_ACTION = "update_action"
    VIEW_BOARD = "view_board"
    PREVIEW_DIGEST = "preview_digest"
    VIEW_STATISTICS = "view_statistics"
    RECORD_FINDING = "record_finding"
    REDACT_RECORD = "redact_record"
    SET_AWAY = "set_away"
    SHARE_CHANNEL = "share_channel"
    MANAGE_LEARNING_REVIEW = "manage_learning_review"
    MANAGE_PEOPLE = "manage_people"


BUSINESS_MANAGER = "business_manager"
CHAIR = "chair"
AGENCY_LEAD = "agency_lead"
SIGNATORY = "signatory"
REVIEWER = "reviewer"
MEMBER = "member"
# A webhook bearer token acts for its partnership with this role only: it may notify, nothing else.
WEBHOOK_NOTIFIER = "webhook_notifier"

_OVERSIGHT = frozenset({BUSINESS_MANAGER, CHAIR})


@dataclass(frozen=True)
class Actor:
    """A person as the people store describes them (no roles if they are not in the partnership)."""

    user_id: str
    partnership_id: str | None = None
    agency_id: str | None = None
    agency_name: str | None = None
    roles: frozenset[str] = frozenset()

    @property
    def in_partnership(self) -> bool:
        return self.partnership_id is not None

    def has_any(self, roles: frozenset[str]) -> bool:
        return bool(self.roles & roles)


@dataclass(frozen=True)
class CaseFacts:
    """What access decisions need to know about a case, and nothing more."""

    case_id: int
    partnership_id: str
    reference: str
    member_user_ids: frozenset[str] = frozenset()
    involved_agency_ids: frozenset[str] = frozenset()
    owner_user_id: str | None = None


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""
    fix: str = ""

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def message(self) -> str:
        return f"{self.reason} {self.fix}".strip()


ALLOW = Decision(True)

_NOT_IN_PARTNERSHIP = Decision(
    False,
    "You are not set up in a safeguarding partnership that uses ReviewBot.",
    "Ask your partnership's business manager to add you to the partnership file.",
)


def _deny(
    reason: str, fix: str = "Ask your partnership's business manager if you think you should have it."
) -> Decision:
    return Decision(False, reason, fix)


@dataclass(frozen=True)
class _Rule:
    roles: frozenset[str] | None  # None: anyone in the partnership
    needs_case: bool = True
    what: str = field(default="do that")


_RULES: dict[Permission, _Rule] = {
    Permission.CALCULATE_DUE: _Rule(None, needs_case=False, what="use the deadline calculator"),
    Permission.NOTIFY: _Rule(
        frozenset({BUSINESS_MANAGER, AGENCY_LEAD, CHAIR, WEBHOOK_NOTIFIER}),
        needs_case=False,
        what="open a notification",
    ),
    Permission.LIST_CASES: _Rule(None, needs_case=False, what="list cases"),
    Permission.VIEW_CASE: _Rule(None, what="see this case"),
    Permission.EDIT_CASE: _Rule(_OVERSIGHT, what="change the case"),
    Permission.UPDATE_CHECKLIST_ITEM: _Rule(None, what="update this checklist item"),
    Permission.RECORD_AGENCY_RETURN: _Rule(
        frozenset({BUSINESS_MANAGER, AGENCY_LEAD, SIGNATORY}), what="record an agency return"
    ),
    Permission.RECORD_DECISION: _Rule(_OVERSIGHT, what="record the rapid review decision"),
    Permission.SIGN_OFF: _Rule(frozenset({SIGNATORY}), what="sign off"),
    Permission.EXPORT_PACK: _Rule(
        frozenset({BUSINESS_MANAGER, CHAIR, SIGNATORY}), what="export the pack for the Panel"
    ),
    Permission.MANAGE_MEETING: _Rule(
        frozenset({BUSINESS_MANAGER, CHAIR, REVIEWER}), what="schedule meetings"
    ),
    Permission.RESPOND_TO_MEETING: _Rule(None, what="answer this invitation"),
    # Narrowed in _agency_check: besides the business unit and the chair, only the meeting's organiser or
    # chair (passed as assignee_user_id).
    Permission.RECORD_ATTENDANCE: _Rule(
        frozenset({BUSINESS_MANAGER, CHAIR, REVIEWER}), what="record attendance"
    ),
    Permission.ACT_ON_DEADLINE: _Rule(
        frozenset({BUSINESS_MANAGER, CHAIR, AGENCY_LEAD}), what="act on this deadline"
    ),
    Permission.MANAGE_ACTION: _Rule(_OVERSIGHT | {AGENCY_LEAD}, what="add or change actions"),
    Permission.UPDATE_ACTION: _Rule(None, what="update this action"),
    Permission.VIEW_BOARD: _Rule(_OVERSIGHT, needs_case=False, what="post board summaries"),
    Permission.PREVIEW_DIGEST: _Rule(_OVERSIGHT, needs_case=False, what="preview the chair's digest"),
    Permission.VIEW_STATISTICS: _Rule(_OVERSIGHT, needs_case=False, what="see the partnership's statistics"),
    Permission.RECORD_FINDING: _Rule(_OVERSIGHT | {REVIEWER}, what="record review findings"),
    # The review team of a Learning Together review (the lead reviewer and reviewers who can see the
    # case) and the business unit: the plan, key practice episodes, conversations, the family's
    # participation and the holds parallel proceedings ask for.
    Permission.MANAGE_LEARNING_REVIEW: _Rule(
        _OVERSIGHT | {REVIEWER}, what="run the Learning Together review (plan, episodes, family, holds)"
    ),
    # Removing stored text is the records owner's call: the business manager alone.
    Permission.REDACT_RECORD: _Rule(frozenset({BUSINESS_MANAGER}), what="redact stored text"),
    # Inviting another organisation into a case channel (Slack Connect): the business manager alone,
    # and only where the partnership file allows it (checked by the subcommand).
    Permission.SHARE_CHANNEL: _Rule(
        frozenset({BUSINESS_MANAGER}), what="share this case channel with a partner organisation"
    ),
    # Any person in the partnership (not a webhook token) may say they are away and name a deputy.
    Permission.SET_AWAY: _Rule(
        frozenset({BUSINESS_MANAGER, CHAIR, AGENCY_LEAD, SIGNATORY, REVIEWER, MEMBER}),
        needs_case=False,
        what="set yourself away",
    ),
    # Who is in the partnership, with which agency and roles: the business manager alone.
    Permission.MANAGE_PEOPLE: _Rule(frozenset({BUSINESS_MANAGER}), needs_case=False, what="manage people"),
}

_ROLE_WORDS = {
    BUSINESS_MANAGER: "a business manager",
    CHAIR: "the chair",
    AGENCY_LEAD: "an agency lead",
    SIGNATORY: "a signatory",
    REVIEWER: "a reviewer",
    MEMBER: "a member",
    WEBHOOK_NOTIFIER: "a notification system",
}
_ROLE_ORDER = [BUSINESS_MANAGER, CHAIR, AGENCY_LEAD, SIGNATORY, REVIEWER, MEMBER]  # as people read them


def _roles_text(roles: frozenset[str]) -> str:
    words = [_ROLE_WORDS[r] for r in _ROLE_ORDER if r in roles]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def can_view_case(actor: Actor, case: CaseFacts) -> bool:
    if actor.partnership_id != case.partnership_id:
        return False
    if actor.has_any(_OVERSIGHT) or actor.user_id in case.member_user_ids:
        return True
    return actor.agency_id in case.involved_agency_ids and actor.has_any(frozenset({AGENCY_LEAD, SIGNATORY}))


def decide(
    actor: Actor,
    permission: Permission,
    case: CaseFacts | None = None,
    *,
    target_agency: str | None = None,
    target_agency_name: str | None = None,
    assignee_user_id: str | None = None,
) -> Decision:
    """May ``actor`` do ``permission`` (to ``case``, on an item of ``target_agency``)? Default deny."""
    if permission is Permission.USE_HELP:
        return ALLOW
    rule = _RULES.get(permission)
    if rule is None:  # a permission nobody wrote a rule for is refused, never allowed by accident
        return _deny("ReviewBot does not allow that.")
    if not actor.in_partnership:
        return _NOT_IN_PARTNERSHIP
    if rule.needs_case:
        if case is None:
            return _deny("That needs a case.", "Run it in the case's channel, or name the case reference.")
        if not can_view_case(actor, case):
            return _deny(
                "You don't have access to this case.",
                "Cases are visible to the business unit, the chair and the agencies involved; "
                "ask the business manager to add you if you need access.",
            )
    if rule.roles is not None and not actor.has_any(rule.roles):
        return _deny(f"Only {_roles_text(rule.roles)} can {rule.what}.")
    return _agency_check(actor, permission, target_agency, target_agency_name, assignee_user_id)


def _agency_check(
    actor: Actor,
    permission: Permission,
    target_agency: str | None,
    target_agency_name: str | None,
    assignee_user_id: str | None,
) -> Decision:
    agency_word = target_agency_name or target_agency or "that agency"
    if permission is Permission.SIGN_OFF:
        if target_agency is None or actor.agency_id != target_agency:
            return _deny(
                f"Only a signatory for {agency_word} can sign off for {agency_word}.",
                "Ask that agency's signatory to sign.",
            )
    if permission is Permission.RECORD_ATTENDANCE:
        if actor.has_any(_OVERSIGHT) or (assignee_user_id is not None and actor.user_id == assignee_user_id):
            return ALLOW
        return _deny(
            "Only the business unit, the chair, or the person who organised or chairs this "
            "meeting can record who attended.",
            "Ask the organiser or the business manager.",
        )
    if permission in (
        Permission.UPDATE_CHECKLIST_ITEM,
        Permission.UPDATE_ACTION,
        Permission.RECORD_AGENCY_RETURN,
        Permission.ACT_ON_DEADLINE,
    ):
        if actor.has_any(_OVERSIGHT) or (assignee_user_id is not None and actor.user_id == assignee_user_id):
            return ALLOW
        if target_agency is None:
            return _deny("Only the business unit can update items that belong to the partnership as a whole.")
        if actor.agency_id != target_agency:
            return _deny(
                f"This item belongs to {agency_word}; only people from {agency_word} can update it.",
                "Ask that agency's lead, or the business manager.",
            )
    return ALLOW
