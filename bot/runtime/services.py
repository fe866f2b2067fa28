"""The composition root's bag of collaborators, handed to every feature's ``register``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from bot.access import Actor
from bot.clock import Clock
from bot.config.partnership import Config, Partnership
from bot.config.people import Person
from bot.config.tenancy import identify
from bot.db.engine import Database
from bot.metrics import Metrics
from bot.runtime.tasks import BackgroundWork
from bot.runtime.wiring import Wiring
from bot.settings import Settings
from bot.slack.gateway import SlackGateway
from bot.slack.status import SlackStatus
from bot.slack.tenant import acting_as, current_tenant
from bot.tenants.service import Tenancy


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
    # OAuth installs (SLACK_CLIENT_ID/SECRET): the installation each request and partnership uses.
    tenancy: Tenancy | None = None
    # The partnership file as loaded: where a partnership's people start from (bot.people). ``config``
    # carries the people as the database holds them once bot.people.store has read them.
    file_config: Config | None = None
    people_revision: int | None = None  # the people revision ``config`` reflects; None: not read yet
    people_checked_at: float | None = None  # time.monotonic() of the last read of the revisions

    def __post_init__(self) -> None:
        if self.file_config is None:
            self.file_config = self.config

    def actors(self, user_id: str) -> list[Actor]:
        """The person in each partnership they belong to (empty if they are in none)."""
        out = []
        for partnership, person in self.memberships(user_id):
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

    @asynccontextmanager
    async def acting_for(self, partnership_id: str, *, force: bool = False) -> AsyncIterator[None]:
        """Run the block with the installation of the workspace ``partnership_id`` lives in (OAuth
        installs; nothing to do with one workspace). Work started by a request already runs as its
        team; ``force`` resolves again anyway (the worker, which serves every partnership)."""
        if self.tenancy is None or (current_tenant.get() is not None and not force):
            yield
            return
        tenant = await self.tenancy.for_partnership(partnership_id)
        with acting_as(tenant):  # None: the gateway refuses every call ("not_installed")
            yield

    def workspace_key(self, partnership_id: str) -> str:
        """The workspace a partnership's messages go to, as a lane key ("" with one workspace)."""
        if self.tenancy is None:
            return ""
        try:
            partnership = self.config.partnership(partnership_id)
        except KeyError:
            return f"P:{partnership_id}"
        if partnership.team_ids:
            return partnership.team_ids[0]
        return f"E:{partnership.enterprise_id}" if partnership.enterprise_id else f"P:{partnership_id}"

    def memberships(self, user_id: str) -> list[tuple[Partnership, Person]]:
        """The person's entries in the partnership file, as seen from the workspace the current
        request came from: with OAuth installs only the partnerships that workspace serves, and
        people known by (team, member id) (see bot.config.tenancy.identify)."""
        tenant = current_tenant.get()
        if tenant is None or tenant.partnerships is None:
            return self.config.memberships(user_id)
        return identify(self.config, user_id, team_id=tenant.person_team, partnerships=tenant.partnerships)

    def actor(self, user_id: str, partnership_id: str | None = None) -> Actor:
        """The person as seen from one partnership; with no partnership given, their only one.

        Someone in several partnerships who gives none gets the first; callers that create things
        (a notification) ask which partnership instead of relying on this.
        """
        actors = self.actors(user_id)
        if partnership_id is not None:
            actors = [a for a in actors if a.partnership_id == partnership_id]
        return actors[0] if actors else Actor(user_id=user_id)
