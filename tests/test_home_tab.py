"""The Home tab: a person's cases, deadlines, checklist items, actions and meetings, within Slack's
limits however many they have, refreshed when opened and after changes."""

from __future__ import annotations

import json

from bot.home.content import HomePage
from bot.home.service import home_for
from bot.sandbox.harness import Harness
from bot.slack.blockkit import validate_view
from bot.slack.ids import ActionId
from tests.action_helpers import actions, add_action
from tests.board_helpers import seed_cases
from tests.intake_helpers import BM, LA_LEAD, POLICE_LEAD, all_cases, notify


def _text(view: dict) -> str:  # type: ignore[type-arg]
    return json.dumps(view["blocks"], ensure_ascii=False)


async def _open_home(h: Harness, user: str) -> dict:  # type: ignore[type-arg]
    await h.send(h.slack.app_home_opened(user))
    view = h.fake.home_view(user)
    assert view is not None
    assert h.fake.calls("views.publish")[-1].ok
    assert validate_view(view) == [], validate_view(view)
    assert len(view["blocks"]) <= 100
    return view


async def test_sixty_open_items_stay_within_slack_limits_and_page(harness: Harness) -> None:
    h = harness
    await seed_cases(h, 30, action_owner=POLICE_LEAD, actions_per_case=2, members=(POLICE_LEAD,))
    view = await _open_home(h, POLICE_LEAD)
    text = _text(view)
    assert "*My actions* (60)" in text and "*My deadlines* (60)" in text and "*My cases* (30)" in text
    assert "Show all 60" in text and "Child A" not in text

    await h.send(h.slack.block_action(ActionId.HOME_PAGE, user_id=POLICE_LEAD, value="actions:0", view=view))
    page = await _open_home_after_click(h)
    assert "Showing 1–20 of 60 (page 1 of 3)" in _text(page) and '"Next"' in _text(page)
    await h.send(h.slack.block_action(ActionId.HOME_PAGE, user_id=POLICE_LEAD, value="actions:2", view=page))
    last = await _open_home_after_click(h)
    assert "Showing 41–60 of 60 (page 3 of 3)" in _text(last) and "Synthetic action 30-1" in _text(last)
    await h.send(
        h.slack.block_action(ActionId.HOME_PAGE, user_id=POLICE_LEAD, value="deadlines:1", view=last)
    )
    deadlines = await _open_home_after_click(h)
    assert "Showing 21–40 of 60" in _text(deadlines) and "Showing 41–60" not in _text(deadlines)
    await h.send(
        h.slack.block_action(ActionId.HOME_PAGE, user_id=POLICE_LEAD, value="collapse", view=deadlines)
    )
    assert "Showing" not in _text(await _open_home_after_click(h))


async def _open_home_after_click(h: Harness) -> dict:  # type: ignore[type-arg]
    view = h.fake.home_view(POLICE_LEAD)
    assert view is not None and h.fake.calls("views.publish")[-1].ok
    assert validate_view(view) == [] and len(view["blocks"]) <= 100
    return view


async def test_home_is_refreshed_after_an_action_changes_and_done_works_from_it(harness: Harness) -> None:
    h = harness
    await notify(h, sent="2026-12-18")
    [case] = await all_cases(h)
    view = await _open_home(h, POLICE_LEAD)
    assert "No open actions." in _text(view)
    action = await add_action(h, case, BM, agency="police", owner=POLICE_LEAD, due="2027-01-08")
    refreshed = h.fake.home_view(POLICE_LEAD)
    assert refreshed is not None and "*My actions* (1)" in _text(refreshed)
    await h.send(
        h.slack.block_action(ActionId.ACTION_DONE, user_id=POLICE_LEAD, value=str(action.id), view=refreshed)
    )
    assert (await actions(h))[0].status == "done"
    after = h.fake.home_view(POLICE_LEAD)
    assert after is not None and "*My actions* (0)" in _text(after)
    # a deadline waiting on the local authority's lead, done from the Home tab
    home = await _open_home(h, LA_LEAD)
    assert "Report the incident to the local safeguarding partners" in _text(home)
    deadline_buttons = [
        b["accessory"]["value"]
        for b in home["blocks"]
        if b.get("accessory", {}).get("action_id") == ActionId.HOME_DEADLINE_DONE
    ]
    before = len(deadline_buttons)
    assert before >= 1
    await h.send(
        h.slack.block_action(
            ActionId.HOME_DEADLINE_DONE, user_id=LA_LEAD, value=deadline_buttons[0], view=home
        )
    )
    final = h.fake.home_view(LA_LEAD)
    assert final is not None and _text(final).count(ActionId.HOME_DEADLINE_DONE) == before - 1


async def test_home_queries_do_not_grow_with_the_number_of_items(harness: Harness) -> None:
    h = harness

    async def statements() -> int:
        before = h.services.db.statement_count
        content = await home_for(h.services, POLICE_LEAD, HomePage("actions"))
        assert content.actions and content.deadlines and content.cases
        return h.services.db.statement_count - before

    await seed_cases(h, 5, action_owner=POLICE_LEAD, members=(POLICE_LEAD,))
    few = await statements()
    await seed_cases(h, 95, first=6, action_owner=POLICE_LEAD, actions_per_case=2, members=(POLICE_LEAD,))
    assert await statements() == few


async def test_people_outside_the_partnership_get_a_plain_home(harness: Harness) -> None:
    from bot.sandbox.harness import OUTSIDER

    view = await _open_home(harness, OUTSIDER)
    assert "not set up in a safeguarding partnership" in _text(view)


def test_every_section_full_and_any_one_expanded_stays_within_the_view_limits() -> None:
    from datetime import UTC, date, datetime, timedelta

    from bot.access import Actor
    from bot.actions.items import ActionItem
    from bot.home.blocks import home_view
    from bot.home.content import CaseLine, DeadlineLine, ExternalLine, HomeContent

    n = 60
    content = HomeContent(
        actors=[
            Actor(
                user_id=POLICE_LEAD,
                partnership_id="northshire",
                agency_id="police",
                roles=frozenset({"agency_lead"}),
            )
        ],
        can_notify=True,
        today=date(2026, 12, 18),
        cases=[CaseLine(f"RR-2026-{i:03d}", "rapid_review", "C0CASE0001") for i in range(n)],
        deadlines=[
            DeadlineLine(
                i,
                f"RR-2026-{i:03d}",
                "Complete the rapid review and send it to the Panel " * 3,
                date(2026, 12, 1) + timedelta(days=i),
                "expected",
                "C0CASE0001",
            )
            for i in range(n)
        ],
        checklist=[
            ExternalLine(
                f"RR-2026-{i:03d}",
                "Agency return: chronology of involvement " * 4,
                date(2027, 1, 4),
                "C0CASE0001",
                "police",
            )
            for i in range(n)
        ],
        actions=[
            ActionItem(
                i,
                "northshire",
                i,
                f"RR-2026-{i:03d}",
                "C0CASE0001",
                "x" * 500,
                "police",
                "Northshire Constabulary",
                POLICE_LEAD,
                date(2026, 12, 1),
                "open",
                True,
            )
            for i in range(n)
        ],
        meetings=[
            ExternalLine(
                f"RR-2026-{i:03d}",
                "Case group meeting",
                datetime(2027, 1, 5, 10, tzinfo=UTC),
                "C0CASE0001",
                "not answered yet",
                item_id=i,
                awaiting_answer=True,
            )
            for i in range(n)
        ],
    )
    for page in [
        None,
        *(
            HomePage(key, number)
            for key in ("cases", "deadlines", "checklist", "actions", "meetings")
            for number in (0, 1, 2, 9)
        ),
    ]:
        content.page = page
        view = home_view(content)
        assert validate_view(view) == [], (page, validate_view(view))
        assert len(view["blocks"]) <= 100, (page, len(view["blocks"]))


async def test_checklist_items_from_the_rapid_review_appear(harness: Harness) -> None:
    from bot.home.service import home_for
    from tests.rapid_review_helpers import open_rapid_review

    h = harness
    case = await open_rapid_review(h)
    content = await home_for(h.services, POLICE_LEAD)
    assert content.checklist and all(item.reference == case.reference for item in content.checklist)
    view = await _open_home(h, POLICE_LEAD)
    assert f"*My checklist items* ({len(content.checklist)})" in _text(view)
    assert "Agency summary from Northshire Constabulary" in _text(view)
