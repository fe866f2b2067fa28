"""Checklist templates as data, partnership overrides, and staying inside Slack's limits with long
checklists (a 40-item checklist; a Home tab with many items)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.clock import FakeClock
from bot.config.loading import parse_config
from bot.config.problems import ConfigError
from bot.rapid_review.blocks import checklist_message, checklist_page
from bot.rapid_review.home import OpenItem, open_items_blocks, open_items_for
from bot.rapid_review.states import ItemStatus
from bot.rapid_review.views import ChecklistView, Group, ItemLine
from bot.rules.checklist_templates import Owner, items_for, load_template, template_ids
from bot.rules.loader import ruleset_ids
from bot.sandbox.harness import Harness
from bot.settings import BUNDLED_EXAMPLE_CONFIG
from bot.slack.blockkit import validate_message, validate_view
from tests.intake_helpers import BM, LA_LEAD, all_cases, notify
from tests.rapid_review_helpers import items, review_of

TODAY = date(2027, 1, 6)


def test_every_current_rule_set_has_a_checklist() -> None:
    assert set(template_ids()) == set(ruleset_ids())
    england = load_template("england-2023")
    assert england is not None
    numbered = [f"R{n}" for n in range(1, 26)]
    assert [i.id for i in england.items] == [
        "other_children",  # the immediate safety of siblings and other children comes first
        *numbered[:18],
        "inequalities",  # R18 also asks about race, ethnicity, disability and other inequalities
        *numbered[18:],
        "family_told",
    ]
    first = england.items[0]
    assert first.owner is Owner.LOCAL_AUTHORITY and (first.from_day, first.day) == (0, 1)
    owners = {i.id: i.owner for i in england.items}
    assert (
        owners["R11"] is Owner.POLICE and owners["R12"] is Owner.HEALTH and owners["R20"] is Owner.SIGNATORY
    )
    days = {i.id: i.day for i in england.items}
    assert days["R1"] == "before" and days["R10"] == 10 and days["R21"] == 15 and days["R22"] is None
    assert load_template("england-2018") is not None and len(load_template("england-2018").items) == 28  # type: ignore[union-attr]
    for ruleset in template_ids():
        template = load_template(ruleset)
        assert template is not None and template.items
        assert template.items[0].id == "other_children" and template.items[-1].id == "family_told"
    # R6 is for looked-after child deaths only
    assert "R6" not in [i.id for i in items_for(england, "death")]
    assert "R6" in [i.id for i in items_for(england, "looked_after_child_death")]


def _example() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(BUNDLED_EXAMPLE_CONFIG.read_text())


def test_partnership_overrides_are_validated_and_reported_with_a_line() -> None:
    data = _example()
    data["partnerships"][0]["rules"] = {
        "checklist_removed": ["R99"],
        "checklist_items": [{"id": "R9", "title": "Scope", "owner": "nobody", "day": 10}],
    }
    with pytest.raises(ConfigError) as caught:
        parse_config(yaml.safe_dump(data), file="partnership.yaml")
    text = str(caught.value)
    assert "no checklist has an item 'R99' to remove" in text
    assert "checklist_items[0].owner" in text and "partnership.yaml:" in text
    data["partnerships"][0]["rules"] = {
        "checklist_removed": ["R25"],
        "checklist_items": [
            {"id": "R9", "title": "Scope involvement with the review group", "owner": "chair", "day": 8},
            {
                "id": "local_brief",
                "title": "Brief the communications team",
                "owner": "business_manager",
                "day": 2,
            },
        ],
    }
    config = parse_config(yaml.safe_dump(data))
    rules = config.partnerships[0].rules
    england = load_template("england-2023")
    assert england is not None
    chosen = items_for(
        england, "death", added=list(rules.checklist_items), removed=list(rules.checklist_removed)
    )
    ids = [i.id for i in chosen]
    assert "R25" not in ids and ids[-1] == "local_brief" and ids.index("R9") == 8
    assert next(i for i in chosen if i.id == "R9").owner is Owner.CHAIR


def _line(n: int, status: ItemStatus = ItemStatus.TODO) -> ItemLine:
    return ItemLine(
        pk=n,
        item_id=f"R{n}",
        title=("A long checklist item title that uses most of its room " * 3)[:120],
        window="days 2-10",
        target_on=date(2027, 1, n % 28 + 1),
        status=status,
        na_reason="Not relevant here" if status is ItemStatus.NOT_APPLICABLE else None,
        assignee="U0BM00001" if n % 3 == 0 else None,
        note=("A note about progress " * 10)[:200] if n % 2 else None,
        done_on=TODAY if status is ItemStatus.DONE else None,
        changed_by="U0LALEAD1",
    )


def _view(count: int, done_every: int = 0) -> ChecklistView:
    lines = [
        _line(n, ItemStatus.DONE if done_every and n % done_every == 0 else ItemStatus.TODO)
        for n in range(1, count + 1)
    ]
    keys = ["la", "police", "icb", "education", "probation", "role:business_manager", "role:signatory"]
    groups = [Group(key, f"Agency {key}", lines[i :: len(keys)]) for i, key in enumerate(keys)]
    return ChecklistView(
        case_id=1,
        reference="RR-2026-001",
        title="Rapid review checklist (England)",
        day_zero=date(2026, 12, 18),
        unit="working_days",
        today=TODAY,
        groups=groups,
        returns_in=2,
        returns_total=5,
    )


@pytest.mark.parametrize("done_every", [0, 2, 1])
def test_a_40_item_checklist_fits_one_message(done_every: int) -> None:
    view = _view(40, done_every)
    text, blocks = checklist_message(view)
    assert validate_message(blocks, text) == []
    assert len(blocks) <= 50
    shown = sum(1 for b in blocks if b.get("accessory"))
    opened = sum(1 for i in view.items if i.is_open)
    if opened > shown:  # the rest are counted, with the command that lists them
        assert f"{opened - shown} more open items not shown" in str(blocks)
    # every private page of every item is valid too
    page, pages = 1, 1
    while page <= pages:
        text, blocks = checklist_page(view, None, page)
        assert validate_message(blocks, text) == []
        pages = 2 if "page 1 of 2" in str(blocks) else pages
        page += 1
    assert pages == 2


def test_a_home_tab_with_many_items_is_valid() -> None:
    many = [
        OpenItem(
            "checklist",
            case_id=n % 7,
            reference=f"RR-2026-{n % 7:03d}",
            channel_id=f"C0CASE{n % 7:04d}",
            code=f"R{n}",
            title="Police agency summary, incl. criminal investigation status " * 2,
            due_on=date(2027, 1, n % 28 + 1),
        )
        for n in range(300)
    ]
    blocks = open_items_blocks(many, TODAY)
    view = {
        "type": "home",
        "blocks": [{"type": "header", "text": {"type": "plain_text", "text": "ReviewBot"}}, *blocks],
    }
    assert validate_view(view) == []
    assert "more. Run `/review checklist all`" in str(blocks)


async def test_a_partnership_with_a_40_item_checklist(
    tmp_path: Path, database_url: str, clock: FakeClock
) -> None:
    data = _example()
    data["partnerships"][0]["rules"] = {
        "checklist_items": [
            {
                "id": f"local_{n}",
                "title": f"Local step {n}: gather and check the extra information for the panel",
                "owner": ["local_authority", "police", "health", "business_manager"][n % 4],
                "day": n % 12 + 1,
                "source": "local procedure",
            }
            for n in range(13)  # 27 items of the template for a death (no R6) + 13 = 40
        ]
    }
    path = tmp_path / "partnership.yaml"
    path.write_text(yaml.safe_dump(data))
    h = await Harness.start(database_url=database_url, clock=clock, run_migrations=False, config_path=path)
    try:
        await notify(h, sent="2026-12-18", agencies=["la", "police", "icb", "education", "probation"])
        [case] = await all_cases(h)
        assert len(await items(h, case.id)) == 40
        rr = await review_of(h, case.id)
        message = h.fake.message(case.channel_id or "", rr.checklist_ts or "")
        assert message is not None  # the stand-in refuses invalid blocks, so this was accepted
        assert validate_message(message.blocks, message.text) == [] and len(message.blocks) <= 50
        reply = await h.command("checklist all 2", user=BM, channel=case.channel_id or "")
        assert validate_message(reply.json()["blocks"], reply.json()["text"]) == []
        # a person's open items, for the Home tab
        mine = await open_items_for(h.services, LA_LEAD)
        assert {i.kind for i in mine} == {"checklist", "agency_return"}
        assert any(i.code == "R10" for i in mine) and all(i.reference == case.reference for i in mine)
        home = {"type": "home", "blocks": open_items_blocks(mine, TODAY)}
        assert validate_view(home) == []
        assert await open_items_for(h.services, "U0OUTSIDE01") == []
    finally:
        await h.close()
