"""Hostile input at every endpoint: 2,000 generated payloads, never a 500, never a stack trace,
nothing written.

Hypothesis generates malformed, oversized, wrongly encoded and unicode-heavy bodies: random bytes,
invalid UTF-8, deeply nested JSON, wrong types in every Slack payload field, form bodies with weird
keys, correctly signed garbage, unsigned and badly signed requests, webhook bodies that are always
invalid in at least one field, and odd query strings and headers. Each goes through the real ASGI
app (``raise_app_exceptions=False``, so an unhandled error shows up as the 500 a client would get).

After every example: the status is not 500, no response (nor anything told to the person through
Slack afterwards) carries a traceback or exception text, and no table changed. The one table allowed
to grow is ``slack_deliveries_seen``, where the bot records event ids so Slack's redeliveries are
processed once: that is bookkeeping of what arrived, not anything a payload asked for.

Budget (2,000 in all, derandomized): signed Slack bodies 900, unsigned or badly signed 250,
webhook 550, health and metrics 300.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from bot.clock import FakeClock
from bot.db.all_models import metadata
from bot.sandbox.harness import SIGNING_SECRET, Harness
from bot.sandbox.signed_requests import SlackRequestFactory
from bot.slack.ids import ActionId, CallbackId
from bot.slack.signature import signature_for
from bot.webhook.tokens import create_token

PEOPLE = ["U0BM00001", "U0CHAIR01", "U0LALEAD1", "U0POLEAD1", "U0OUTSIDE01"]
BOOKKEEPING = {"slack_deliveries_seen"}
LEAKS = ("Traceback", 'File "', "sqlalchemy.", "asyncpg.", "aiosqlite", "pydantic_core", "Error(")
LEAK_PATTERN = re.compile(r"line \d+, in |Error: |Exception: ")
FORM = "application/x-www-form-urlencoded"
JSON_CT = "application/json"
# Only loopback URLs may appear where the bot would call back (response_url): nothing leaves the machine.
LOOPBACK_URLS = ["http://127.0.0.1:9/hooks/x", "http://localhost:1/", "ftp://127.0.0.1/", "not a url", ""]

SETTINGS = dict(
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

# --- strategies ------------------------------------------------------------------------------------

unicode_heavy = st.one_of(
    st.text(alphabet=st.characters(min_codepoint=0x80, exclude_categories=("Cs",)), max_size=300),
    st.sampled_from(
        [
            "\u202eesrever\u202c",  # right-to-left override
            "a\u0000b",  # NUL
            "\u200b\u200c\u200d\ufeff",  # zero-width characters and a BOM
            "Z\u0351\u0357\u0358\u0334\u0322" * 50,  # combining-mark soup
            "👩‍👩‍👧‍👦" * 100,  # ZWJ emoji sequences
            "𝕮𝖍𝖎𝖑𝖉 𝕬",  # mathematical letters
            "' OR 1=1; DROP TABLE cases; --",
            "<script>alert(1)</script>",
            "${jndi:ldap://127.0.0.1/a}",
            "%s%s%s%n",
            "../../../../etc/passwd",
            "x" * 70_000,
        ]
    ),
)
any_text = st.one_of(st.text(max_size=200), unicode_heavy)
# Ids a forger would try: too long for a BIGINT, zero, negative, other records' small ids, composites.
forged_ids = st.one_of(
    st.sampled_from(["99999999999999999999", "0", "-1", "1", "2", "3", "1|all|1", "done|1", "1:2", "1e9"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    any_text,
)
json_values = st.recursive(
    scalars, lambda c: st.lists(c, max_size=5) | st.dictionaries(any_text, c, max_size=5), max_leaves=15
)


def deep_json(depth: int, kind: str) -> bytes:
    if kind == "list":
        return ("[" * depth + "]" * depth).encode()
    return ('{"type":' * depth + "1" + "}" * depth).encode()


deep_bodies = st.builds(
    deep_json, st.sampled_from([50, 999, 1_001, 5_000, 100_000]), st.sampled_from(["list", "dict"])
)
raw_bytes = st.one_of(
    st.binary(max_size=2_000),
    st.sampled_from(
        [b"\xff\xfe\xfd", b"payload=%FF%FE", b"\xc3\x28", b"\xed\xa0\x80", b"payload=\xe2\x82", b""]
    ),
    st.builds(lambda n: b"a" * n, st.sampled_from([999_999, 1_000_001, 3_000_000])),
    deep_bodies,
)


def _mutate(payload: dict[str, Any], draw: Callable[[st.SearchStrategy[Any]], Any]) -> dict[str, Any]:
    """Replace a few fields (top level or one level down) with values of the wrong type."""
    out = json.loads(json.dumps(payload))
    keys = list(out)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        key = draw(st.sampled_from(keys))
        value = draw(json_values)
        if key in ("response_url", "response_urls"):
            value = draw(
                st.one_of(st.sampled_from(LOOPBACK_URLS), st.integers(), st.none(), st.lists(st.none()))
            )
        if isinstance(out.get(key), dict) and out[key] and draw(st.booleans()):
            inner = draw(st.sampled_from(list(out[key])))
            out[key][inner] = value
        else:
            out[key] = value
    return out


@st.composite
def signed_slack_bodies(
    draw: Callable[[st.SearchStrategy[Any]], Any], factory: SlackRequestFactory
) -> tuple[bytes, str]:
    kind = draw(st.sampled_from(["raw", "command", "form", "action", "shortcut", "view", "event", "payload"]))
    user = draw(st.one_of(st.sampled_from(PEOPLE), any_text))
    if kind == "raw":
        return draw(raw_bytes), draw(st.sampled_from([FORM, JSON_CT, "text/plain", ""]))
    if kind == "command":
        word = draw(st.one_of(st.sampled_from(SUBCOMMANDS), any_text))
        args = draw(any_text)
        req = factory.slash_command(
            "/review",
            f"{word} {args}",
            user_id=user if isinstance(user, str) else "U1",
            channel_id=draw(st.sampled_from(["C0GENERAL", "C0BU00001", "", "D0BM00001"])),
        )
        fields = dict(req.payload)
        fields["response_url"] = draw(st.sampled_from([*LOOPBACK_URLS[:1], fields["response_url"]]))
        if draw(st.booleans()):
            fields[draw(st.sampled_from(list(fields)))] = draw(any_text)
            fields["response_url"] = LOOPBACK_URLS[0]
        return urlencode(fields).encode("utf-8", "surrogatepass"), FORM
    if kind == "form":
        fields = draw(st.dictionaries(any_text, any_text, max_size=8))
        if draw(st.booleans()):
            fields.update({"command": draw(any_text), "user_id": draw(any_text)})
        return urlencode(fields).encode("utf-8", "surrogatepass"), FORM
    if kind == "action":
        # Every registered button: a plain action_id, or one matching a registered pattern
        # ("checklist_item:<id>"), with forged values (20-digit ids, other records' ids, garbage).
        key = draw(st.sampled_from(REGISTERED["button"] or [a.value for a in ActionId]))
        action = draw(st.from_regex(key, fullmatch=True)) if key.startswith("^") else key
        if "/" in action:
            action = action.split("/", 1)[1]
        req = factory.block_action(
            action,
            user_id=draw(st.sampled_from(PEOPLE)),
            value=draw(st.one_of(any_text, forged_ids)),
            selected_option=draw(st.one_of(st.none(), forged_ids)),
        )
        body = _mutate(req.payload, draw) if draw(st.booleans()) else dict(req.payload)
        if not isinstance(body.get("response_url"), str) or body["response_url"] not in LOOPBACK_URLS:
            body["response_url"] = LOOPBACK_URLS[0]
        return urlencode({"payload": json.dumps(body)}).encode(), FORM
    if kind == "shortcut":
        which = draw(st.sampled_from(["global_shortcut", "message_shortcut"]))
        callback = draw(st.sampled_from(REGISTERED[which] or ["start_notification"]))
        user_id = draw(st.sampled_from(PEOPLE))
        if which == "global_shortcut":
            req = factory.global_shortcut(callback, user_id=user_id)
        else:
            req = factory.message_shortcut(
                callback, user_id=user_id, channel_id="C0GENERAL", message_ts="1.1"
            )
        body = _mutate(req.payload, draw) if draw(st.booleans()) else dict(req.payload)
        return urlencode({"payload": json.dumps(body)}).encode(), FORM
    if kind == "view":
        callback = draw(st.sampled_from(REGISTERED["view"] or [c.value for c in CallbackId]))
        values = draw(
            st.dictionaries(any_text, st.dictionaries(any_text, json_values, max_size=2), max_size=4)
        )
        metadata = draw(
            st.one_of(any_text, forged_ids.map(lambda i: json.dumps({"v": 1, "case": i, "c": i})))
        )
        req = factory.view_submission(
            callback, user_id=draw(st.sampled_from(PEOPLE)), values=values, private_metadata=metadata
        )
        body = _mutate(req.payload, draw) if draw(st.booleans()) else dict(req.payload)
        body.pop("response_urls", None)
        return urlencode({"payload": json.dumps(body)}).encode(), FORM
    if kind == "event":
        event = draw(st.dictionaries(any_text, json_values, max_size=5))
        event["type"] = draw(
            st.one_of(
                st.sampled_from(
                    [
                        *REGISTERED["event"],
                        "message",
                        "member_joined_channel",
                        "app_mention",
                        "reaction_added",
                    ]
                ),
                any_text,
                json_values,
            )
        )
        event.setdefault("user", draw(st.sampled_from(PEOPLE)))
        body = {
            "type": "event_callback",
            "team_id": "T0TEST",
            "api_app_id": "A0TESTAPP",
            "event_id": draw(st.one_of(any_text, json_values)),
            "event": event,
        }
        if draw(st.booleans()):
            body = _mutate(body, draw)
            body["type"] = draw(st.sampled_from(["event_callback", "url_verification", "app_rate_limited"]))
        return json.dumps(body).encode(), JSON_CT
    # "payload": the interactive form field holding something that is not a Slack payload
    inner = draw(
        st.one_of(json_values.map(json.dumps), any_text, st.just("{"), deep_bodies.map(bytes.decode))
    )
    return urlencode({"payload": inner}).encode("utf-8", "surrogatepass"), FORM


SUBCOMMANDS: list[str] = ["help"]  # filled from the router when the harness starts
# Every registered listener by kind (filled from the registry when the harness starts), so a listener
# added later is attacked too.
REGISTERED: dict[str, list[str]] = {
    k: [] for k in ("button", "view", "global_shortcut", "message_shortcut", "event")
}

# --- the checks ------------------------------------------------------------------------------------


class Hostile:
    """One harness on its own event loop, driven synchronously from Hypothesis examples."""

    def __init__(self, database_url: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.h: Harness = self.run(
            Harness.start(
                database_url=database_url,
                clock=FakeClock(datetime(2026, 12, 18, 10, 0, tzinfo=UTC)),
                run_migrations=False,
            )
        )
        # An unhandled exception must reach the client as the 500 it would be, not raise in the test.
        self.run(self.h.http.aclose())
        self.h.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.h.api, raise_app_exceptions=False),
            base_url="http://bot.test",
        )
        SUBCOMMANDS[:] = sorted(self.h.features.router.subcommands)
        for kind, keys in REGISTERED.items():
            keys[:] = sorted({r.key for r in self.h.features.registrations if r.kind == kind})
        self.token = self.run(create_token(self.h.services, "northshire", "hostile input (synthetic)")).token
        self.factory = SlackRequestFactory(SIGNING_SECRET, fake=self.h.fake)
        self.tables = [t.name for t in metadata.sorted_tables]
        self.baseline = self.run(self.counts())
        self.examples = 0

    def run(self, coro: Coroutine[Any, Any, Any]) -> Any:
        return self.loop.run_until_complete(coro)

    def close(self) -> None:
        self.run(self.h.close())
        self.loop.close()

    async def counts(self) -> dict[str, int]:
        sql = "SELECT " + ", ".join(f"(SELECT count(*) FROM {t}) AS {t}" for t in self.tables)
        async with self.h.services.db.session() as session:
            row = (await session.execute(text(sql))).one()
        return dict(zip(self.tables, (int(v) for v in row), strict=True))

    def check(self, send: Coroutine[Any, Any, httpx.Response], what: str) -> httpx.Response:
        told_before = len(self.h.fake.responses) + len(self.h.fake.ephemerals())
        response = self.run(self._send_and_drain(send))
        self.examples += 1
        assert response.status_code != 500, f"{what}: 500 {response.text[:300]}"
        body = response.text
        for leak in LEAKS:
            assert leak not in body, f"{what}: response leaks {leak!r}: {body[:300]}"
        assert not LEAK_PATTERN.search(body), f"{what}: response leaks exception text: {body[:300]}"
        told = [r.text for r in self.h.fake.responses] + [e.text for e in self.h.fake.ephemerals()]
        for message in told[told_before:]:
            assert "Traceback" not in message and 'File "' not in message, f"{what}: told {message[:300]}"
            assert "went wrong on our side" not in message, (
                f"{what}: a forged payload met an unexpected error"
            )
        after = self.run(self.counts())
        changed = {t: (self.baseline[t], after[t]) for t in self.tables if after[t] != self.baseline[t]}
        assert set(changed) <= BOOKKEEPING, f"{what}: rows written {changed}"
        self.baseline = after
        return response

    async def _send_and_drain(self, send: Coroutine[Any, Any, httpx.Response]) -> httpx.Response:
        response = await send
        await self.h.services.tasks.drain(timeout=30)
        return response

    def slack(self, body: bytes, content_type: str, *, sign: str) -> Coroutine[Any, Any, httpx.Response]:
        # Signed over the raw bytes (slack_sdk's signer decodes them as UTF-8 first and cannot sign garbage).
        now = int(time.time())
        stamp = str(now - 301 if sign == "stale" else now)
        signature = signature_for(SIGNING_SECRET, stamp, body)
        if sign == "bad":
            signature = signature[:-1] + ("0" if signature[-1] != "0" else "1")
        headers = {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}
        if sign == "none":
            headers = {}
        if content_type:
            headers["Content-Type"] = content_type
        return self.h.http.post("/slack/events", content=body, headers=headers)


@pytest.fixture
def hostile(database_url: str) -> Any:
    target = Hostile(database_url)
    yield target
    target.close()


def test_signed_garbage_at_slack_events(hostile: Hostile) -> None:
    @settings(max_examples=900, **SETTINGS)  # type: ignore[arg-type]
    @given(body=signed_slack_bodies(hostile.factory))
    def signed(body: tuple[bytes, str]) -> None:
        raw, content_type = body
        response = hostile.check(hostile.slack(raw, content_type, sign="good"), f"signed {raw[:120]!r}")
        assert response.status_code in (200, 400, 404, 413), response.status_code

    signed()
    assert hostile.examples == 900


def test_unsigned_or_forged_requests_are_refused(hostile: Hostile) -> None:
    @settings(max_examples=250, **SETTINGS)  # type: ignore[arg-type]
    @given(body=signed_slack_bodies(hostile.factory), how=st.sampled_from(["bad", "stale", "none"]))
    def unsigned(body: tuple[bytes, str], how: str) -> None:
        raw, content_type = body
        response = hostile.check(hostile.slack(raw, content_type, sign=how), f"{how} {raw[:120]!r}")
        assert response.status_code in (401, 413), (how, response.status_code)

    unsigned()
    assert hostile.examples == 250


VALID = {
    "notification_type": "serious_harm",
    "la_aware_at": "2026-12-18T09:30:00Z",
    "abuse_or_neglect": "suspected",
    "children": [{"pseudonym": "Child A", "age_band": "1_4", "legal_status": "child_protection_plan"}],
    "agencies": ["la", "police"],
    "police_investigation": "yes",
    "media_interest": False,
    "summary": "Synthetic.",
}
# Each of these alone makes a notification invalid, so no generated body can open a case.
ALWAYS_INVALID = [
    ("children", "Child A"),
    ("children", [{"pseudonym": 5}]),
    ("agencies", {"la": 1}),
    ("notification_type", None),
    ("notification_type", ["death"]),
    ("la_aware_at", []),
    ("la_aware_at", "yesterday-ish"),
    ("abuse_or_neglect", {"x": 1}),
    ("children", []),
]


@st.composite
def webhook_bodies(draw: Callable[[st.SearchStrategy[Any]], Any]) -> tuple[bytes, dict[str, str]]:
    kind = draw(st.sampled_from(["raw", "deep", "json", "mutated", "mutated", "unicode"]))
    headers = {
        "Content-Type": draw(
            st.sampled_from([JSON_CT, FORM, "text/plain", "application/json; charset=latin-1"])
        )
    }
    if draw(st.booleans()):
        headers["Idempotency-Key"] = draw(
            st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=300)
        )
    if kind == "raw":
        return draw(raw_bytes), headers
    if kind == "deep":
        return draw(deep_bodies), headers
    if kind == "json":
        return json.dumps(draw(json_values)).encode(), headers
    body = dict(VALID)
    if kind == "unicode":
        body["summary"] = draw(unicode_heavy)
        body["children"] = [
            {"pseudonym": draw(unicode_heavy), "age_band": "1_4", "legal_status": "child_in_need"}
        ]
    else:
        body = _mutate(body, draw)
    field, bad = draw(st.sampled_from(ALWAYS_INVALID))
    body[field] = bad
    return json.dumps(body, ensure_ascii=draw(st.booleans())).encode(), headers


def test_webhook_garbage_with_a_valid_token(hostile: Hostile) -> None:
    @settings(max_examples=550, **SETTINGS)  # type: ignore[arg-type]
    @given(body=webhook_bodies(), auth=st.sampled_from(["valid", "valid", "valid", "wrong", "none", "odd"]))
    def webhook(body: tuple[bytes, dict[str, str]], auth: str) -> None:
        raw, headers = body
        if auth == "valid":
            headers["Authorization"] = f"Bearer {hostile.token}"
        elif auth == "wrong":
            headers["Authorization"] = "Bearer rbt_" + "A" * 43
        elif auth == "odd":
            headers["Authorization"] = "Basic Zm9vOmJhcg=="
        send = hostile.h.http.post("/api/v1/notifications", content=raw, headers=headers)
        response = hostile.check(send, f"webhook {auth} {raw[:120]!r}")
        assert response.status_code in (400, 401, 409, 413, 422), (response.status_code, response.text[:200])

    webhook()
    assert hostile.examples == 550


def test_health_and_metrics_with_odd_requests(hostile: Hostile) -> None:
    header_text = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=200)

    @settings(max_examples=300, **SETTINGS)  # type: ignore[arg-type]
    @given(
        path=st.sampled_from(
            [
                "/healthz",
                "/metrics",
                "/healthz/",
                "/metrics/../healthz",
                "/slack/events",
                "/api/v1/notifications",
            ]
        ),
        method=st.sampled_from(["GET", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"]),
        query=st.dictionaries(
            st.text(max_size=40), st.text(max_size=300), max_size=4
        ),  # httpx caps URL length
        accept=header_text,
        body=st.one_of(st.just(b""), raw_bytes),
    )
    def odd(path: str, method: str, query: dict[str, str], accept: str, body: bytes) -> None:
        url = path + ("?" + urlencode(query, encoding="utf-8", errors="surrogatepass") if query else "")
        send = hostile.h.http.request(
            method,
            url,
            content=body if method not in ("GET", "HEAD") else None,
            headers={"Accept": accept, "X-Forwarded-For": accept},
        )
        response = hostile.check(send, f"{method} {url[:120]}")
        if method == "GET" and path in ("/healthz", "/metrics"):
            assert response.status_code == 200

    odd()
    assert hostile.examples == 300
