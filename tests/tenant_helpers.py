"""Installing the app through /slack/install and /slack/oauth_redirect against the stand-in, and
looking for a token in the database, for the many-workspace tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
from sqlalchemy import inspect, select, text

from bot.sandbox.fake_slack import InstallRequest
from bot.sandbox.harness import Harness

TWO_WORKSPACES = Path(__file__).parent / "fixtures" / "two_workspaces.yaml"
NORTH, GLEN = "T0NORTH001", "T0GLEN0001"


def state_of(page: httpx.Response) -> str:
    """The state in the install page's Add to Slack link (or a redirect's Location)."""
    where = page.headers.get("location") or page.text
    found = re.search(r"[?&;]state=([A-Za-z0-9_\-]+)", where)
    assert found, "no state in the install page"
    return found.group(1)


async def install(
    h: Harness,
    team_id: str | None,
    *,
    enterprise_id: str | None = None,
    org_wide: bool = False,
    user_id: str = "U0INSTALL1",
) -> httpx.Response:
    """The whole flow: the install page, Slack's authorise page (the stand-in approves at once and
    redirects with a code and the state), then the bot's redirect endpoint."""
    page = await h.http.get("/slack/install")
    assert page.status_code == 200, page.text
    link = re.search(r'href="([^"]+)"', page.text)
    assert link, page.text
    authorize = link.group(1).replace("&amp;", "&")
    h.fake.next_install = InstallRequest(
        team_id=team_id, enterprise_id=enterprise_id, is_enterprise_install=org_wide, user_id=user_id
    )
    h.fake.oauth_redirect_uri = "http://bot.test/slack/oauth_redirect"
    async with httpx.AsyncClient(trust_env=False) as client:
        approved = await client.get(authorize, follow_redirects=False)
    assert approved.status_code == 302, approved.text
    back = urlsplit(approved.headers["location"])
    query = {k: v[0] for k, v in parse_qs(back.query).items()}
    assert query["state"] == state_of(page)
    return await h.http.get("/slack/oauth_redirect", params=query)


@contextmanager
def as_team(h: Harness, team_id: str) -> Iterator[None]:
    """Signed requests from another workspace (the request factory's team)."""
    before = h.slack.team_id
    h.slack.team_id = team_id
    try:
        yield
    finally:
        h.slack.team_id = before


async def database_text(h: Harness) -> str:
    """Every value in every table, as text (to look for a secret stored in the clear)."""
    out: list[str] = []
    async with h.services.db.session() as session:
        names = await session.run_sync(lambda s: inspect(s.connection()).get_table_names())
        for name in names:
            for row in (await session.execute(text(f'SELECT * FROM "{name}"'))).all():
                out.extend(str(v) for v in row)
    return "\n".join(out)


def database_file_bytes(h: Harness) -> bytes:
    """The SQLite file (and its WAL) as bytes; empty on PostgreSQL."""
    url = h.services.settings.database_url
    if not url.startswith("sqlite"):
        return b""
    path = Path(url.split("///", 1)[1])
    data = path.read_bytes()
    for extra in (Path(f"{path}-wal"), Path(f"{path}-journal")):
        if extra.exists():
            data += extra.read_bytes()
    return data


__all__ = [
    "GLEN",
    "NORTH",
    "TWO_WORKSPACES",
    "as_team",
    "database_file_bytes",
    "database_text",
    "install",
    "select",
]
