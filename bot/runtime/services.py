"""The composition root's bag of collaborators, handed to every feature's ``register``."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.access import Actor
from bot.clock import Clock
from bot.config.partnership import Config
from bot.db.engine import Database
from bot.metrics import Metrics
from bot.runtime.tasks import BackgroundWork
from bot.runtime.wiring import Wiring
from bot.settings import Settings
from bot.slack.gateway import SlackGateway
from bot.slack.status import SlackStatus


@dataclass
class Services:
    settings: Settings
    config: Config
    clock: Clock
    db: Database
    gateway: SlackGateway
    metrics: Metrics = field(default_factory=Metrics)
    tasks: BackgroundWork = field(default_factory=BackgroundWork)
    wiring: Wiring = field(default_factory=Wiring)  # filled by bot.runtime.features.build_wiring
    slack: SlackStatus = field(default_factory=SlackStatus)  # what health says about Slack
    # The partnership file as loaded: where a partnership's people start from (bot.people). ``config``
    # carries the people as the database holds them once bot.people.store has read them.
    file_config: Config | None = None
    people_revision: int | None = None  # the people revision ``config`` reflects; None: not read yet

    def __post_init__(self) -> None:
        if self.file_config is None:
            self.file_config = self.config

    def actors(self, user_id: str) -> list[Actor]:
        """The person in each partnership they belong to (empty if they are in none)."""
        out = []
        for partnership, person in self.config.memberships(user_id):
            agency = partnership.agency(person.agency)
            out.append(
                Actor(
                    user_id=user_id,
                    partnership_id=partnership.id,
                    agency_id=person.agency,
                    agency_name=agency.name if agency else None,
                    roles=frozenset(str(r) for r in person.roles),
                )
            )
        return out

    def actor(self, user_id: str, partnership_id: str | None = None) -> Actor:
        """The person as seen from one partnership; with no partnership given, their only one.

        Someone in several partnerships who gives none gets the first; callers that create things
        (a notification) ask which partnership instead of relying on this.
        """
        actors = self.actors(user_id)
        if partnership_id is not None:
            actors = [a for a in actors if a.partnership_id == partnership_id]
        return actors[0] if actors else Actor(user_id=user_id)
