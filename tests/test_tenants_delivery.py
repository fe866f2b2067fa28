"""Reminder delivery across workspaces, at a small scale: each post made with its own team's token,
to that team's channels and people, none twice, none lost (the benchmark does 10,000 over 20)."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from bot.clock import FakeClock
from bot.reminders.dispatch import dispatch_due
from bot.reminders.models import ReminderStatus
from bot.sandbox.harness import Harness
from tests.reminder_helpers import notice, rows, seed

WORKSPACES, CHANNELS, PER_CHANNEL = 4, 3, 5


def _team(t: int) -> str:
    return f"T0LOAD{t:04d}"


def _channels(t: int) -> list[str]:
    return [f"C0L{t:03d}CH{c:03d}" for c in range(CHANNELS)]


def _config(path: Path) -> Path:
    partnerships = [
        {
            "id": f"load-{t}",
            "name": f"Load partnership {t} (synthetic)",
            "nation": "england",
            "team_ids": [_team(t)],
            "channels": {"business_unit": _channels(t)[0], "board": _channels(t)[1]},
            "agencies": [
                {
                    "id": "la",
                    "name": f"Council {t} (synthetic)",
                    "kind": "local_authority",
                    "statutory_partner": True,
                }
            ],
            # The same member id in every workspace: four different people.
            "people": [
                {
                    "slack_user_id": "U0SAMEID01",
                    "agency": "la",
                    "roles": ["business_manager", "chair", "signatory"],
                }
            ],
        }
        for t in range(WORKSPACES)
    ]
    path.write_text(yaml.safe_dump({"partnerships": partnerships}))
    return path


@pytest.fixture
async def h(database_url: str, clock: FakeClock, tmp_path: Path) -> AsyncIterator[Harness]:
    harness = await Harness.start(
        database_url=database_url, config_path=_config(tmp_path / "load.yaml"), clock=clock, oauth=True
    )
    tenancy = harness.services.tenancy
    assert tenancy is not None
    for t in range(WORKSPACES):
        harness.fake.add_team(_team(t), bot_token=f"xoxb-load-{t}")
        for channel in _channels(t):
            harness.fake.add_channel(channel, channel.lower())
            harness.fake.team_channel(channel, _team(t))
        await tenancy.store.save_installation(
            enterprise_id=None,
            enterprise_name=None,
            team_id=_team(t),
            team_name=None,
            is_enterprise_install=False,
            app_id="A0TESTAPP",
            bot_user_id=f"U0BOT{t:04d}",
            bot_id=None,
            bot_scopes="chat:write,im:write",
            bot_token=f"xoxb-load-{t}",
            bot_refresh_token=None,
            bot_token_expires_at=None,
            installer_user_id=None,
        )
    try:
        yield harness
    finally:
        await harness.close()


async def test_every_post_goes_with_its_own_teams_token(h: Harness, clock: FakeClock) -> None:
    due = clock.now() - timedelta(minutes=1)
    planned: dict[str, tuple[str, str]] = {}  # text -> (team, channel or person)
    seeded = []
    for t in range(WORKSPACES):
        for channel in _channels(t):
            for k in range(PER_CHANNEL):
                text = f"load:{t}:{channel}:{k}"
                row = notice(text, due, channel, text)
                row["partnership_id"] = f"load-{t}"
                seeded.append(row)
                planned[text] = (_team(t), channel)
        dm = notice(f"dm:{t}", due, "U0SAMEID01", f"dm:{t}")
        dm |= {"partnership_id": f"load-{t}", "payload": {"text": f"dm:{t}"}}
        seeded.append(dm)
        planned[f"dm:{t}"] = (_team(t), "U0SAMEID01")
    await seed(h, seeded)
    report = await dispatch_due(h.services)
    posts = [c for c in h.fake.calls("chat.postMessage") if c.ok]
    assert report.sent == len(planned) and len(posts) == len(planned)  # the four DMs are four messages
    texts = Counter(str(c.params["text"]) for c in posts)
    assert set(texts) == set(planned) and max(texts.values()) == 1  # none lost, none twice
    for call in posts:
        team, where = planned[str(call.params["text"])]
        assert call.team_id == team
        assert call.headers["Authorization"] == f"Bearer xoxb-load-{team[-1]}"
        if where.startswith("C"):
            assert call.params["channel"] == where and h.fake.channel_team(where) == team
    opens = h.fake.calls("conversations.open")
    assert sorted(c.team_id or "" for c in opens) == sorted(_team(t) for t in range(WORKSPACES))
    assert {r.status for r in await rows(h)} == {ReminderStatus.SENT.value}
