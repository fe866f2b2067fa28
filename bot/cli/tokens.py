"""`reviewbot tokens create|revoke|list`: bearer tokens for the notification webhook."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.config.problems import ConfigError, format_problems
from bot.settings import SettingsError, load_settings

# Handlers import the application (Slack, the database engine, the web app, the worker; structlog for
# the logs) when they run, not when the command line starts: `reviewbot --help`, `version`, `calendar`,
# `rules` and `check-config` answer without loading them (bot.cli imports every subcommand module).


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    tokens = sub.add_parser("tokens", help="manage webhook bearer tokens (one or more per partnership)")
    tokens_sub = tokens.add_subparsers(dest="tokens_command", metavar="TOKENS_COMMAND", required=True)
    create = tokens_sub.add_parser("create", help="create a token; it is printed once and stored only hashed")
    create.add_argument("--partnership", required=True, help="partnership id from the partnership file")
    create.add_argument("--name", required=True, help="what uses it, e.g. 'case management system'")
    create.set_defaults(handler=lambda a: _run(_create(a.partnership, a.name)))
    revoke = tokens_sub.add_parser("revoke", help="revoke a token by its id")
    revoke.add_argument("token_id", type=int)
    revoke.set_defaults(handler=lambda a: _run(_revoke(a.token_id)))
    listing = tokens_sub.add_parser("list", help="list tokens (ids, names, partnerships; never the secrets)")
    listing.set_defaults(handler=lambda a: _run(_list()))


def _run(coro: object) -> int:
    try:
        return asyncio.run(coro)  # type: ignore[arg-type]
    except SettingsError as exc:
        print(exc.render(), file=sys.stderr)
    except ConfigError as exc:
        print(format_problems(exc.problems), file=sys.stderr)
    except KeyError as exc:
        print(f"Unknown partnership {exc}. Check the ids in your partnership file.", file=sys.stderr)
    return 2


async def _services():  # type: ignore[no-untyped-def]
    from bot.db.migrate import upgrade
    from bot.runtime.assembly import build_services

    services = build_services(load_settings(require_slack=False))
    await upgrade(services.db)
    return services


async def _create(partnership: str, name: str) -> int:
    from bot.webhook.tokens import create_token

    services = await _services()
    try:
        new = await create_token(services, partnership, name)
    finally:
        await services.db.dispose()
    print(f"Token {new.id} for {partnership} ({name}). Copy it now; it will not be shown again:")
    print(new.token)
    return 0


async def _revoke(token_id: int) -> int:
    from bot.webhook.tokens import revoke_token

    services = await _services()
    try:
        done = await revoke_token(services, token_id)
    finally:
        await services.db.dispose()
    print(f"Token {token_id} revoked." if done else f"No live token with id {token_id}.")
    return 0 if done else 1


async def _list() -> int:
    from bot.webhook.tokens import list_tokens

    services = await _services()
    try:
        rows = await list_tokens(services)
    finally:
        await services.db.dispose()
    for row in rows:
        state = f"revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "live"
        print(f"{row.id}\t{row.partnership_id}\t{row.name}\t{state}")
    if not rows:
        print("No tokens yet. Create one with: reviewbot tokens create --partnership ID --name NAME")
    return 0
