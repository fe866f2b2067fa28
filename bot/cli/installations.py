"""`reviewbot installations list|bind|unbind`: the workspaces ReviewBot is installed in (OAuth) and the
partnership an administrator binds each to (besides the partnership file's ``team_ids``)."""

from __future__ import annotations

import argparse

from bot.cli.database import CommandFailed, run
from bot.cli.tokens import _services


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("installations", help="OAuth installations: list them, bind one to a partnership")
    inner = parser.add_subparsers(
        dest="installations_command", metavar="INSTALLATIONS_COMMAND", required=True
    )
    listing = inner.add_parser("list", help="every installation (never its token)")
    listing.set_defaults(handler=lambda a: run(_list))
    bind = inner.add_parser("bind", help="bind an installation to a partnership of the partnership file")
    bind.add_argument("installation_id", type=int)
    bind.add_argument("partnership", help="partnership id from the partnership file")
    bind.set_defaults(handler=lambda a: run(lambda: _bind(a.installation_id, a.partnership)))
    unbind = inner.add_parser("unbind", help="undo bind (the partnership file's team_ids still apply)")
    unbind.add_argument("installation_id", type=int)
    unbind.set_defaults(handler=lambda a: run(lambda: _bind(a.installation_id, None)))


async def _list() -> int:
    from bot.tenants.crypto import TokenCipher
    from bot.tenants.store import InstallationStore

    services = await _services()
    try:
        store = InstallationStore(
            services.db, TokenCipher(services.settings.encryption_key or _NO_KEY), services.clock
        )
        rows = await store.listing()
    finally:
        await services.db.dispose()
    for row in rows:
        where = f"org {row.enterprise_id} (org-wide)" if row.is_enterprise_install else f"team {row.team_id}"
        state = (
            f"disabled {row.disabled_at:%Y-%m-%d} ({row.disabled_reason})" if row.disabled_at else "active"
        )
        bound = row.partnership_id or "-"
        rotating = "rotating" if row.bot_refresh_token_encrypted else "long-lived"
        print(f"{row.id}\t{where}\t{state}\tpartnership {bound}\t{rotating} token")
    if not rows:
        print("No installations yet. Install the app at https://<your server>/slack/install.")
    return 0


async def _bind(installation_id: int, partnership_id: str | None) -> int:
    from bot.tenants.crypto import TokenCipher
    from bot.tenants.store import InstallationStore

    services = await _services()
    try:
        if partnership_id is not None:
            try:
                services.config.partnership(partnership_id)
            except KeyError:
                raise CommandFailed(
                    f"Unknown partnership {partnership_id!r}. "
                    "Fix: use a partnership id from your partnership file.",
                    code=2,
                ) from None
        store = InstallationStore(
            services.db, TokenCipher(services.settings.encryption_key or _NO_KEY), services.clock
        )
        done = await store.bind(installation_id, partnership_id)
    finally:
        await services.db.dispose()
    if not done:
        print(f"No installation with id {installation_id}.")
        return 1
    print(
        f"Installation {installation_id} bound to {partnership_id}."
        if partnership_id
        else f"Installation {installation_id} unbound."
    )
    return 0


# Listing and binding never decrypt a token; a placeholder key lets them run without the real one.
_NO_KEY = "bm90LXVzZWQtZm9yLWxpc3RpbmctYW5kLWJpbmRpbmc="
