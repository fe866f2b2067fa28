"""Which partnership a partnership-level subcommand means (`/review board`, `stats`, `themes`...).

The gate admits the person in every partnership where they hold the permission
(:attr:`Allowed.actors`); a person in several names one among the command's words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.access import Actor
from bot.commands.gate import Allowed
from bot.errors import BadInput
from bot.runtime.services import Services

if TYPE_CHECKING:
    from bot.config.partnership import Partnership


def chosen_partnership(
    services: Services, allowed: Allowed, words: list[str]
) -> tuple[Partnership, Actor, list[str]]:
    """The partnership named among ``words`` (or the only one), the person there, and the other words."""
    named = [a for a in allowed.actors if a.partnership_id in words]
    chosen = named or list(allowed.actors)
    if len(chosen) > 1:
        raise BadInput(
            "You are in several partnerships.",
            "Name one: " + ", ".join(f"`{a.partnership_id}`" for a in chosen) + ".",
        )
    actor = chosen[0]
    assert actor.partnership_id is not None
    rest = [w for w in words if w != actor.partnership_id]
    return services.config.partnership(actor.partnership_id), actor, rest
