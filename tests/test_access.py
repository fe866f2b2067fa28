"""The access model: one pure decision, default deny."""

from __future__ import annotations

import pytest

from bot.access import Actor, CaseFacts, Permission, decide

CASE = CaseFacts(
    case_id=1,
    partnership_id="northshire",
    reference="RR-2026-001",
    member_user_ids=frozenset({"U0MEMBER01"}),
    involved_agency_ids=frozenset({"la", "police"}),
)


def person(
    roles: set[str], agency: str = "la", partnership: str | None = "northshire", user: str = "U0PERSON01"
) -> Actor:
    return Actor(user_id=user, partnership_id=partnership, agency_id=agency, roles=frozenset(roles))


def test_outsider_is_refused_everything_but_help() -> None:
    outsider = Actor(user_id="U0OUTSIDE1")
    assert decide(outsider, Permission.USE_HELP)
    for permission in Permission:
        if permission is Permission.USE_HELP:
            continue
        decision = decide(outsider, permission, CASE, target_agency="la")
        assert not decision, permission
        assert "not set up" in decision.reason


def test_other_partnership_cannot_see_case() -> None:
    manager_elsewhere = person({"business_manager"}, partnership="southshire")
    decision = decide(manager_elsewhere, Permission.VIEW_CASE, CASE)
    assert not decision
    assert "access to this case" in decision.reason


@pytest.mark.parametrize(
    ("roles", "agency", "allowed"),
    [
        ({"business_manager"}, "la", True),
        ({"chair"}, "other", True),
        ({"agency_lead"}, "police", True),
        ({"agency_lead"}, "education", False),  # agency not involved
        ({"member"}, "police", False),
        ({"reviewer"}, "la", False),
    ],
)
def test_view_case(roles: set[str], agency: str, allowed: bool) -> None:
    assert bool(decide(person(roles, agency), Permission.VIEW_CASE, CASE)) is allowed


def test_case_member_can_view() -> None:
    assert decide(person({"member"}, "education", user="U0MEMBER01"), Permission.VIEW_CASE, CASE)


def test_sign_off_only_for_own_agency() -> None:
    police_signatory = person({"signatory"}, "police")
    assert decide(police_signatory, Permission.SIGN_OFF, CASE, target_agency="police")
    refused = decide(
        police_signatory,
        Permission.SIGN_OFF,
        CASE,
        target_agency="la",
        target_agency_name="Children's Services",
    )
    assert not refused
    assert refused.reason == "Only a signatory for Children's Services can sign off for Children's Services."
    assert not decide(person({"agency_lead"}, "police"), Permission.SIGN_OFF, CASE, target_agency="police")


def test_checklist_item_of_another_agency_is_refused() -> None:
    police_lead = person({"agency_lead"}, "police")
    assert decide(police_lead, Permission.UPDATE_CHECKLIST_ITEM, CASE, target_agency="police")
    refused = decide(
        police_lead, Permission.UPDATE_CHECKLIST_ITEM, CASE, target_agency="la", target_agency_name="LA"
    )
    assert not refused and "belongs to LA" in refused.reason
    # the business unit may update anything; an assignee may update what is assigned to them
    assert decide(
        person({"business_manager"}), Permission.UPDATE_CHECKLIST_ITEM, CASE, target_agency="police"
    )
    assert decide(
        police_lead, Permission.UPDATE_CHECKLIST_ITEM, CASE, target_agency="la", assignee_user_id="U0PERSON01"
    )


def test_role_refusal_names_the_roles() -> None:
    refused = decide(person({"member"}), Permission.NOTIFY)
    assert refused.reason == "Only a business manager, the chair or an agency lead can open a notification."


def test_every_permission_has_a_rule() -> None:
    from bot.access import _RULES

    assert set(Permission) - {Permission.USE_HELP} == set(_RULES)


def test_a_webhook_token_may_notify_and_nothing_else() -> None:
    from bot.access import WEBHOOK_NOTIFIER

    token = Actor(user_id="webhook:1", partnership_id="northshire", roles=frozenset({WEBHOOK_NOTIFIER}))
    assert decide(token, Permission.NOTIFY)
    for permission in Permission:
        if permission not in (
            Permission.NOTIFY,
            Permission.USE_HELP,
            Permission.CALCULATE_DUE,
            Permission.LIST_CASES,
            Permission.RESPOND_TO_MEETING,
        ):
            assert not decide(token, permission, CASE, target_agency="la"), permission
    assert not decide(token, Permission.VIEW_CASE, CASE)


@pytest.mark.parametrize(
    ("roles", "user", "allowed"),
    [
        ({"business_manager"}, "U0PERSON01", True),
        ({"chair"}, "U0PERSON01", True),
        ({"reviewer"}, "U0MEMBER01", True),  # a reviewer of the review team, added to the case
        ({"reviewer"}, "U0PERSON01", False),  # a reviewer who cannot see the case
        ({"agency_lead", "signatory"}, "U0PERSON01", False),  # sees the case, is not the review team
        ({"member"}, "U0MEMBER01", False),
    ],
)
def test_manage_learning_review(roles: set[str], user: str, allowed: bool) -> None:
    actor = person(roles, "la", user=user)
    assert bool(decide(actor, Permission.MANAGE_LEARNING_REVIEW, CASE)) is allowed
