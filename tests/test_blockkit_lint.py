"""The Block Kit limit lint: every limit in slack-notes §2, with precise paths in the messages."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk.models.blocks import ActionsBlock, ButtonElement, SectionBlock

from bot.slack.blockkit import (
    BlockKitError,
    ensure_valid_message,
    lint_message,
    lint_view,
    validate_message,
    validate_view,
)


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def section(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": mrkdwn(text), **extra}


def button(action_id: str, text: str = "Open", **extra: Any) -> dict[str, Any]:
    return {"type": "button", "action_id": action_id, "text": plain(text), **extra}


def modal(blocks: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"type": "modal", "title": plain("Case review"), "blocks": blocks, **extra}


def text_input(block_id: str, action_id: str, label: str = "Reference") -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": {"type": "plain_text_input", "action_id": action_id},
    }


def test_valid_message_has_no_issues() -> None:
    blocks = [
        {"type": "header", "text": plain("Rapid review due")},
        section("*Case* 2026-001", accessory=button("case_open", value="2026-001")),
        {"type": "divider"},
        {"type": "context", "elements": [mrkdwn("Due <!date^1798000000^{date_short}|18 Dec>")]},
        {"type": "actions", "block_id": "act", "elements": [button("ack"), button("snooze", style="danger")]},
    ]
    assert validate_message(blocks, "Rapid review due for case 2026-001") == []


def test_plain_text_message_without_blocks_is_valid() -> None:
    assert validate_message(None, "hello") == []
    assert validate_message([], "hello") == []


def test_message_needs_text_or_blocks() -> None:
    assert validate_message(None, "") == ["text: a message needs text or blocks"]


def test_blocks_need_fallback_text() -> None:
    errors = validate_message([section("hi")], None)
    assert len(errors) == 1
    assert errors[0].startswith("text: fallback text is required")
    assert validate_message([section("hi")], "   ")[0].startswith("text:")


def test_fifty_blocks_per_message() -> None:
    assert validate_message([{"type": "divider"}] * 50, "x") == []
    assert validate_message([{"type": "divider"}] * 51, "x") == ["blocks: 51 blocks, limit 50"]


def test_hundred_blocks_per_view() -> None:
    assert validate_view(modal([{"type": "divider"}] * 100)) == []
    assert validate_view(modal([{"type": "divider"}] * 101)) == ["blocks: 101 blocks, limit 100"]
    home = {"type": "home", "blocks": [{"type": "divider"}] * 101}
    assert validate_view(home) == ["blocks: 101 blocks, limit 100"]


def test_section_text_limit_has_precise_path() -> None:
    blocks = [{"type": "divider"}] * 3 + [section("x" * 3012)]
    assert validate_message(blocks, "x") == ["blocks[3].text.text: 3012 characters, limit 3000"]
    assert validate_message([section("x" * 3000)], "x") == []


def test_section_fields() -> None:
    fields = [mrkdwn(f"f{i}") for i in range(11)]
    assert validate_message([{"type": "section", "fields": fields}], "x") == [
        "blocks[0].fields: 11 fields, limit 10"
    ]
    long_field = [mrkdwn("y" * 2001)]
    assert validate_message([{"type": "section", "fields": long_field}], "x") == [
        "blocks[0].fields[0].text: 2001 characters, limit 2000"
    ]
    assert validate_message([{"type": "section"}], "x") == ["blocks[0]: a section needs text or fields"]


def test_header_limit_and_plain_text_only() -> None:
    assert validate_message([{"type": "header", "text": plain("h" * 151)}], "x") == [
        "blocks[0].text.text: 151 characters, limit 150"
    ]
    assert validate_message([{"type": "header", "text": mrkdwn("*h*")}], "x") == [
        "blocks[0].text.type: must be 'plain_text' here, got 'mrkdwn'"
    ]


def test_empty_text_is_refused() -> None:
    assert validate_message([section("")], "x") == ["blocks[0].text.text: must not be empty"]


def test_actions_and_context_element_counts() -> None:
    actions = {"type": "actions", "elements": [button(f"b{i}") for i in range(26)]}
    assert validate_message([actions], "x") == ["blocks[0].elements: 26 elements, limit 25"]
    context = {"type": "context", "elements": [mrkdwn(str(i)) for i in range(11)]}
    assert validate_message([context], "x") == ["blocks[0].elements: 11 elements, limit 10"]
    assert validate_message([{"type": "actions", "elements": []}], "x") == [
        "blocks[0].elements: 0 elements, at least 1 required"
    ]


def test_button_limits() -> None:
    blocks = [
        {
            "type": "actions",
            "elements": [
                button("a", text="t" * 76),
                button("b", value="v" * 2001),
                button("c", url="https://example.org/" + "u" * 3000),
            ],
        }
    ]
    assert validate_message(blocks, "x") == [
        "blocks[0].elements[0].text.text: 76 characters, limit 75",
        "blocks[0].elements[1].value: 2001 characters, limit 2000",
        "blocks[0].elements[2].url: 3020 characters, limit 3000",
    ]


def test_block_and_action_id_length() -> None:
    blocks = [section("x", block_id="b" * 256, accessory=button("a" * 256))]
    assert validate_message(blocks, "x") == [
        "blocks[0].block_id: 256 characters, limit 255",
        "blocks[0].accessory.action_id: 256 characters, limit 255",
    ]


def test_duplicate_block_id_in_a_surface_and_action_id_in_a_block() -> None:
    blocks = [
        section("a", block_id="case", accessory=button("open")),
        {"type": "actions", "block_id": "case", "elements": [button("open"), button("open")]},
    ]
    # Slack: block_id unique in the message or view; action_id unique within its block only.
    assert validate_message(blocks, "x") == [
        "blocks[1].block_id: duplicate block_id 'case' (first used at blocks[0])",
        "blocks[1].elements[1].action_id: duplicate action_id 'open' in one block "
        "(first used at blocks[1].elements[0])",
    ]


def test_select_options_limits() -> None:
    options = [{"text": plain(f"o{i}"), "value": str(i)} for i in range(101)]
    select = {"type": "static_select", "action_id": "s", "placeholder": plain("p" * 151), "options": options}
    assert validate_message([section("x", accessory=select)], "x") == [
        "blocks[0].accessory.placeholder.text: 151 characters, limit 150",
        "blocks[0].accessory.options: 101 options, limit 100",
    ]
    bad_option = {"text": plain("t" * 76), "value": "v" * 151}
    select = {"type": "static_select", "action_id": "s", "options": [bad_option]}
    assert validate_message([section("x", accessory=select)], "x") == [
        "blocks[0].accessory.options[0].text.text: 76 characters, limit 75",
        "blocks[0].accessory.options[0].value: 151 characters, limit 150",
    ]


def test_initial_option_must_be_one_of_the_options() -> None:
    select = {
        "type": "static_select",
        "action_id": "s",
        "options": [{"text": plain("A"), "value": "a"}],
        "initial_option": {"text": plain("B"), "value": "b"},
    }
    assert validate_message([section("x", accessory=select)], "x") == [
        "blocks[0].accessory.initial_option: value 'b' is not one of the options"
    ]


def test_confirm_dialog_limits() -> None:
    confirm = {
        "title": plain("t" * 101),
        "text": mrkdwn("x" * 301),
        "confirm": plain("c" * 31),
        "deny": plain("d" * 31),
    }
    blocks = [{"type": "actions", "elements": [button("close_case", confirm=confirm)]}]
    assert validate_message(blocks, "x") == [
        "blocks[0].elements[0].confirm.title.text: 101 characters, limit 100",
        "blocks[0].elements[0].confirm.text.text: 301 characters, limit 300",
        "blocks[0].elements[0].confirm.confirm.text: 31 characters, limit 30",
        "blocks[0].elements[0].confirm.deny.text: 31 characters, limit 30",
    ]


def test_element_must_suit_its_block() -> None:
    blocks = [{"type": "actions", "elements": [{"type": "plain_text_input", "action_id": "t"}]}]
    assert validate_message(blocks, "x") == [
        "blocks[0].elements[0].type: 'plain_text_input' is not allowed in an actions block"
    ]


def test_unknown_block_type() -> None:
    assert validate_message([{"type": "sparkles"}], "x") == ["blocks[0].type: unknown block type 'sparkles'"]


def test_total_text_budget_gives_msg_blocks_too_long() -> None:
    blocks = [section("x" * 2500) for _ in range(5)]
    issues = lint_message(blocks, "x")
    assert [i.code for i in issues] == ["msg_blocks_too_long"]
    assert str(issues[0]).startswith("blocks: 12500 characters of text across blocks")
    assert validate_message([section("x" * 2500) for _ in range(4)], "x") == []


def test_markdown_block_limits() -> None:
    assert validate_message([{"type": "markdown", "text": "m" * 12_001}], "x")[0] == (
        "blocks[0].text: 12001 characters, limit 12000"
    )
    assert validate_view(modal([{"type": "markdown", "text": "hi"}])) == [
        "blocks[0].type: 'markdown' blocks are not allowed in a modal"
    ]


def test_modal_title_submit_close_and_metadata() -> None:
    view = modal(
        [text_input("ref", "ref_value")],
        title=plain("t" * 25),
        submit=plain("s" * 25),
        close=plain("c" * 25),
        private_metadata="m" * 3001,
        callback_id="c" * 256,
    )
    assert validate_view(view) == [
        "title.text: 25 characters, limit 24",
        "close.text: 25 characters, limit 24",
        "submit.text: 25 characters, limit 24",
        "private_metadata: 3001 characters, limit 3000",
        "callback_id: 256 characters, limit 255",
    ]


def test_modal_with_inputs_needs_submit_and_title() -> None:
    view = {"type": "modal", "blocks": [text_input("ref", "v")]}
    assert validate_view(view) == ["title: required", "submit: required when the modal has input blocks"]


def test_input_label_and_hint_limits() -> None:
    block = text_input("ref", "v", label="l" * 2001)
    block["hint"] = plain("h" * 2001)
    assert validate_view(modal([block], submit=plain("Save"))) == [
        "blocks[0].label.text: 2001 characters, limit 2000",
        "blocks[0].hint.text: 2001 characters, limit 2000",
    ]


def test_view_type_required() -> None:
    assert validate_view({"blocks": []}) == ["type: must be 'modal' or 'home', got None"]
    assert validate_view("nope") == ["view: must be an object (a modal or home view)"]


def test_datepicker_and_timepicker_formats() -> None:
    blocks = [
        {
            "type": "actions",
            "elements": [
                {"type": "datepicker", "action_id": "d", "initial_date": "18/12/2026"},
                {"type": "timepicker", "action_id": "t", "initial_time": "9:30"},
            ],
        }
    ]
    assert validate_message(blocks, "x") == [
        "blocks[0].elements[0].initial_date: must be YYYY-MM-DD, got '18/12/2026'",
        "blocks[0].elements[1].initial_time: must be HH:mm (24-hour), got '9:30'",
    ]


def test_slack_sdk_objects_are_accepted() -> None:
    blocks = [SectionBlock(text="hello"), ActionsBlock(elements=[ButtonElement(text="Go", action_id="go")])]
    assert validate_message(blocks, "hello") == []


def test_slack_sdk_objects_that_fail_their_own_validation_are_reported() -> None:
    errors = validate_message([SectionBlock(text="x" * 3001)], "x")
    assert len(errors) == 1
    assert errors[0].startswith("blocks[0]: could not serialise block")


def test_issue_exposes_json_pointer() -> None:
    (issue,) = lint_view(modal([section("x" * 3001)]))
    assert issue.json_pointer == "/blocks/0/text/text"
    assert issue.location == "blocks[0].text.text"


def test_ensure_valid_raises_with_every_issue() -> None:
    with pytest.raises(BlockKitError) as info:
        ensure_valid_message([section("x" * 3001)], None)
    assert len(info.value.issues) == 2
