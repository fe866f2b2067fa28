"""`reviewbot sandbox` in a real (headless) Chromium: the page drives the bot only as Slack would.

One sandbox process and one browser for the module; the steps of the walk run in order and build on
each other (the case opened in one is the case ticked, reminded and refused in the next).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from bot.config.loading import load_config
from bot.settings import BUNDLED_EXAMPLE_CONFIG
from tests.sandbox_browser_support import chromium_page, require_chromium, sandbox_process

BM = "U0BM00001"
OUTSIDER = "U0OUTSIDE01"
TIMEOUT = 20_000  # ms: generous, the machine is shared

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sandbox_url() -> Iterator[str]:
    require_chromium()
    with sandbox_process() as url:
        yield url


@pytest.fixture(scope="module")
def page(sandbox_url: str) -> Iterator[Any]:
    with chromium_page() as page:
        page.set_default_timeout(TIMEOUT)
        page.goto(sandbox_url)
        page.wait_for_selector("body[data-ready]")
        yield page
        assert page.errors == [], page.errors


def _send(page: Any, text: str) -> None:
    page.fill("#message-box", text)
    page.press("#message-box", "Enter")


def _switch_to(page: Any, user: str) -> None:
    page.click(f"#person-list button[data-user={user}]")
    page.wait_for_selector(f"body[data-user={user}] #person-list button.current[data-user={user}]")
    page.wait_for_selector("#channel-header h2")


def test_the_page_shows_the_partnership_its_people_and_the_message_box(sandbox_url: str) -> None:
    """The page after its scripts ran: the partnership's name, everyone's label, the /review box."""
    config = load_config(BUNDLED_EXAMPLE_CONFIG)
    with chromium_page() as page:
        page.goto(sandbox_url)
        page.wait_for_selector("body[data-ready]", timeout=TIMEOUT)
        text = page.inner_text("body")
        for partnership in config.partnerships:
            assert partnership.name in text
            for person in partnership.people:
                assert person.label and person.label in text
        assert "U0BM00001" not in text  # people by label, never by member id
        box = page.locator("#message-box")
        assert box.is_visible() and "/review" in (box.get_attribute("placeholder") or "")
        assert page.errors == []


def test_the_hints_are_the_registrys_subcommands(page: Any, sandbox_url: str) -> None:
    served = httpx.get(sandbox_url + "api/workspace", trust_env=False).json()["subcommands"]
    assert {"notify", "help", "checklist"} <= {s["name"] for s in served}
    page.fill("#message-box", "/review ")
    page.wait_for_selector("#hints li")
    shown = page.eval_on_selector_all("#hints li", "items => items.map(i => i.dataset.subcommand)")
    assert shown == [s["name"] for s in served]
    page.fill("#message-box", "/review noti")
    page.wait_for_function("document.querySelectorAll('#hints li').length === 1")
    page.fill("#message-box", "")


def test_the_business_manager_opens_a_case_through_the_modal(page: Any) -> None:
    _switch_to(page, BM)
    _send(page, "/review notify")
    page.wait_for_selector("#modal[data-callback-id]")
    page.select_option("select[data-block-id=type]", "death")
    page.check("[data-block-id=abuse] input[value=suspected]")
    page.fill("[data-block-id=child_0_pseudonym]", "Child A")
    page.select_option("select[data-block-id=agencies]", ["la", "police", "icb", "education"])
    page.select_option("select[data-block-id=police]", "yes")
    page.fill("[data-block-id=summary]", "Child A was found at 12 Example Road by Mrs Sampleperson.")
    page.click("#modal-submit")
    # The bot's response_action errors, beside the field; what was typed stays.
    error = page.wait_for_selector("[data-block=summary] .error")
    assert "street address" in error.inner_text()
    assert page.input_value("[data-block-id=child_0_pseudonym]") == "Child A"

    page.fill("[data-block-id=summary]", "Child A was taken to hospital; police attended the family home.")
    page.click("#modal-submit")
    page.wait_for_selector("#modal:has-text('Case RR-2026-001 is open')")
    page.click("#modal-cancel")  # "Done"
    page.wait_for_selector("#modal", state="detached")

    channel = page.wait_for_selector("#channel-list a:has-text('rr-2026-001')")
    channel.click()
    card = page.wait_for_selector("article.message:has(h3:has-text('RR-2026-001'))")
    text = card.inner_text()
    assert "pinned" in text and "Business manager, LA" in text
    assert not re.search(r"U0[A-Z0-9]{6,}", text)  # mentions shown by label


def test_ticking_a_checklist_item_redraws_the_card(page: Any) -> None:
    _send(page, "/review checklist")
    card = "article.message:has(h3:has-text('Rapid review checklist'))"
    page.wait_for_selector(f"{card} select[data-action-id^='rr_item:']")
    assert "0 of 27 done" in page.inner_text(card)
    menu = page.locator(f"{card} select[data-action-id^='rr_item:']").first
    done = menu.locator("option[value^='done|']").get_attribute("value")
    menu.select_option(done)
    page.wait_for_selector(f"{card}:has-text('1 of 27 done')")
    assert "(edited)" in page.inner_text(f"{card} .meta")


def test_the_panel_pack_is_a_file_to_download(page: Any, sandbox_url: str) -> None:
    _send(page, "/review export")
    link = page.wait_for_selector("#messages a.file[download$='.docx']")
    response = httpx.get(sandbox_url.rstrip("/") + (link.get_attribute("href") or ""), trust_env=False)
    assert response.status_code == 200 and response.content.startswith(b"PK")  # a Word (zip) file
    assert ".docx" in response.headers["content-disposition"]


def test_moving_the_clock_brings_the_reminders(page: Any) -> None:
    page.click("#nav-dm")
    page.wait_for_selector("body[data-channel=D0BM00001] #channel-header h2:has-text('ReviewBot')")
    before = page.locator("#messages article.message").count()
    page.fill("#jump-date", "2026-12-30")
    page.click("#jump button")
    page.wait_for_selector("#clock:has-text('Wed 30 Dec 2026, 09:00')", timeout=60_000)
    # The notification to the Panel fell due on Tuesday 29th: the business manager hears it is overdue.
    page.wait_for_function(f"document.querySelectorAll('#messages article.message').length > {before}")
    latest = page.locator("#messages article.message").last.inner_text()
    assert "RR-2026-001" in latest and "overdue" in latest
    assert "Wed 30 Dec, 09:00" in latest  # UK time

    page.click("#next-day")
    page.wait_for_selector("#clock:has-text('Thu 31 Dec 2026, 09:00')", timeout=60_000)


def test_the_home_tab_opens_a_modal_that_cancel_closes(page: Any) -> None:
    page.click("#nav-home")
    page.wait_for_selector("#messages.home :text('My cases')")
    assert "RR-2026-001" in page.inner_text("#messages")
    page.click("#messages.home button:has-text('New notification')")
    page.wait_for_selector("#modal:has-text('New notification')")
    page.click("#modal-cancel")
    page.wait_for_selector("#modal", state="detached")


def test_someone_outside_the_partnership_is_refused(page: Any) -> None:
    _switch_to(page, OUTSIDER)
    channels = page.inner_text("#channel-list")
    assert "rr-2026-001" not in channels and "general" in channels
    _send(page, "/review cases")
    reply = page.wait_for_selector("article.message.ephemeral")
    assert "not set up in a safeguarding partnership" in reply.inner_text()
