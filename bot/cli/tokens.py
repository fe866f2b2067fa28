"""`reviewbot tokens create|revoke|list`: bearer tokens for the notification webhook; `reviewbot tokens
rotate-key`: re-encrypt the stored Slack bot tokens (OAuth installs) with the first encryption key."""

from __future__ import annotations

import argparse
from collections.abc import Coroutine
from typing import Any

from bot.cli.database import CommandFailed, remember_database, run
from bot.cli.startup import settings_or_raise

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
    rotate = tokens_sub.add_parser(
        "rotate-key",
        help="re-encrypt every stored Slack bot token with the first key in REVIEWBOT_ENCRYPTION_KEY",
    )
    rotate.set_defaults(handler=lambda a: _run(_rotate_key()))


def _run(coro: Coroutine[Any, Any, int]) -> int:
    async def _work() -> int:
        try:
            return await coro
        except KeyError as exc:
            raise CommandFailed(
                f"Unknown partnership {exc}. Fix: use a partnership id from your partnership file.", code=2
            ) from None

    return run(_work)


async def _services():  # type: ignore[no-untyped-def]
    from bot.db.migrate import upgrade
    from bot.runtime.assembly import build_services

    settings = settings_or_raise(require_slack=False)
    remember_database(settings.database_url)
    services = build_services(settings)
    try:
        await upgrade(services.db)
    except BaseException:
        await services.db.dispose()
        raise
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


async def _rotate_key() -> int:
    """Put the new key first in REVIEWBOT_ENCRYPTION_KEY (old ones after it), run this, then drop the
    old keys: every token is then readable with the new key alone."""
    from bot.settings import encryption_key_problem
    from bot.tenants.crypto import TokenCipher, TokenCipherError
    from bot.tenants.store import InstallationStore

    services = await _services()
    try:
        problem = encryption_key_problem(services.settings.encryption_key)
        if problem:
            raise CommandFailed(
                f"REVIEWBOT_ENCRYPTION_KEY: {problem}. Fix: set the new key first, then the old ones, "
                "comma-separated.",
                code=2,
            )
        store = InstallationStore(services.db, TokenCipher(services.settings.encryption_key), services.clock)
        try:
            count = await store.rotate_key()
        except TokenCipherError:
            raise CommandFailed(
                "A stored token opens with none of the keys given. Fix: keep every key in use so far in "
                "REVIEWBOT_ENCRYPTION_KEY (the new one first) and run this again.",
                code=1,
            ) from None
    finally:
        await services.db.dispose()
    print(f"Re-encrypted the tokens of {count} installation(s) with the first key; the others may go now.")
    return 0
