"""The people store: people in the database, read by every access decision and every reminder.

``services.config`` is the partnership file with each partnership's people replaced by the active
rows of the ``people`` table. :func:`refresh_people` keeps it current: the gate calls it before every
Slack request and the worker before every tick; it reads one small revision sum and reloads the
people only when it moved, so a change made in Slack (by this process or another) is effective at
once, without a restart.

First start: a partnership with no people in the database yet (no revision row) gets the people of
its partnership file, imported by ReviewBot itself (audited as ``people.imported``). After that the
database is what counts; ``reviewbot people import`` brings later file edits in on purpose.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot import audit
from bot.clock import Clock
from bot.config.partnership import Config, Partnership
from bot.config.people import Person, Role
from bot.errors import BadInput
from bot.observability import get_logger
from bot.people.labels import label_of as _label_of
from bot.people.labels import ordered_roles
from bot.people.models import PeopleRevision, PersonRecord
from bot.privacy.guard import scan
from bot.runtime.services import Services
from bot.runtime.wiring import Provisions

log = get_logger(__name__)

FROM_FILE = "file"
FROM_SLACK = "slack"
SYSTEM = "reviewbot"  # the actor of the automatic first-start import
LABEL_LIMIT = 60


def _person(row: PersonRecord) -> Person:
    # Rows were validated on the way in (file or Slack), so they are not validated again on every read.
    return Person.model_construct(
        slack_user_id=row.slack_user_id,
        label=row.label,
        agency=row.agency_id,
        roles=[Role(r) for r in ordered_roles(row.roles)],
        working_days=row.working_days,  # type: ignore[arg-type]  # checked when stored
        team_id=row.team_id,  # people are known by (workspace, member id): bot.config.tenancy.identify
    )


def overlay(config: Config, rows: list[PersonRecord], stored: set[str]) -> Config:
    """``config`` with the people of every partnership in ``stored`` replaced by its active rows."""
    by_partnership: dict[str, list[PersonRecord]] = defaultdict(list)
    for row in rows:
        if row.active:
            by_partnership[row.partnership_id].append(row)
    partnerships = []
    for partnership in config.partnerships:
        if partnership.id in stored:
            people = [_person(r) for r in sorted(by_partnership[partnership.id], key=lambda r: r.id)]
            partnership = partnership.model_copy(update={"people": people})
        partnerships.append(partnership)
    return config.model_copy(update={"partnerships": partnerships})


async def refresh_people(services: Services, *, within: float = 0.0) -> None:
    """Bring ``services.config``'s people up to date with the database (one query when nothing moved).

    ``within``: seconds for which the last read stands (the gate passes the setting, so a busy server
    reads the revisions at most that often; a change made in this process is read at once, by the
    force of the ``/review people`` listeners calling this with the default 0)."""
    checked = services.people_checked_at
    if within > 0 and checked is not None and time.monotonic() - checked < within:
        return
    services.people_checked_at = time.monotonic()
    async with services.db.read() as session:
        revisions = {
            r.partnership_id: r.revision for r in (await session.execute(select(PeopleRevision))).scalars()
        }
    assert services.file_config is not None
    missing = [p for p in services.file_config.partnerships if p.id not in revisions]
    if missing:
        await _first_import(services, missing)
        async with services.db.read() as session:
            revisions = {
                r.partnership_id: r.revision
                for r in (await session.execute(select(PeopleRevision))).scalars()
            }
    total = sum(revisions.values())
    if total == services.people_revision:
        return
    async with services.db.read() as session:
        rows = list((await session.execute(select(PersonRecord))).scalars())
    services.config = overlay(services.config, rows, set(revisions))
    services.people_revision = total


async def _first_import(services: Services, partnerships: list[Partnership]) -> None:
    for partnership in partnerships:
        try:
            async with services.db.session() as session:
                if await session.get(PeopleRevision, partnership.id) is not None:
                    continue  # another process got there first
                report = await import_partnership(session, services.clock, partnership, actor=SYSTEM)
        except IntegrityError:  # two processes starting at once: the other one's import stands
            continue
        log.info("people.first_import", partnership=partnership.id, added=len(report.added))


async def bump(session: AsyncSession, partnership_id: str, now: datetime) -> None:
    """Count a change to the partnership's people (in the caller's unit of work)."""
    moved = await session.execute(
        update(PeopleRevision)
        .where(PeopleRevision.partnership_id == partnership_id)
        .values(revision=PeopleRevision.revision + 1, updated_at=now)
    )
    if not getattr(moved, "rowcount", 0):
        session.add(PeopleRevision(partnership_id=partnership_id, revision=1, updated_at=now))


def label_of(services: Services, partnership_id: str, user_id: str) -> str:
    """The label of (partnership, user) as the people store holds it: what the bot shows for a person."""
    return _label_of(services.config, partnership_id, user_id)


# -- importing the partnership file --------------------------------------------------------------------


@dataclass
class ImportReport:
    partnership_id: str
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    not_in_file: list[str] = field(default_factory=list)  # active in the database, not in the file
    removed: list[str] = field(default_factory=list)  # with prune: deactivated

    @property
    def summary(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "not_in_file": len(self.not_in_file),
            "removed": len(self.removed),
        }


def _facts(person: Person) -> tuple[object, ...]:
    days = list(person.working_days) if person.working_days is not None else None
    return (person.agency, ordered_roles(person.roles), person.label, days, True, person.team_id)


def _row_facts(row: PersonRecord) -> tuple[object, ...]:
    return (row.agency_id, ordered_roles(row.roles), row.label, row.working_days, row.active, row.team_id)


async def import_partnership(
    session: AsyncSession,
    clock: Clock,
    partnership: Partnership,
    *,
    actor: str,
    prune: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Make the database hold the file's people for ``partnership``: add, update, report the rest.

    People in the database but not in the file (added in Slack) are kept and reported unless
    ``prune``, which deactivates them. ``dry_run`` reports without changing anything.
    """
    now = clock.now()
    rows = {
        r.slack_user_id: r
        for r in (
            await session.execute(select(PersonRecord).where(PersonRecord.partnership_id == partnership.id))
        ).scalars()
    }
    report = ImportReport(partnership.id)
    for person in partnership.people:
        row = rows.get(person.slack_user_id)
        if row is None:
            report.added.append(person.slack_user_id)
            if not dry_run:
                session.add(
                    PersonRecord(
                        partnership_id=partnership.id,
                        team_id=person.team_id,
                        slack_user_id=person.slack_user_id,
                        agency_id=person.agency,
                        roles=ordered_roles(person.roles),
                        label=person.label,
                        working_days=list(person.working_days) if person.working_days else None,
                        active=True,
                        source=FROM_FILE,
                        added_by=actor,
                        added_at=now,
                        changed_by=actor,
                        changed_at=now,
                    )
                )
        elif _row_facts(row) != _facts(person):
            report.changed.append(person.slack_user_id)
            if not dry_run:
                row.agency_id, row.roles, row.label = person.agency, ordered_roles(person.roles), person.label
                row.working_days = list(person.working_days) if person.working_days else None
                row.team_id = person.team_id
                row.active, row.changed_by, row.changed_at = True, actor, now
        else:
            report.unchanged.append(person.slack_user_id)
    in_file = {p.slack_user_id for p in partnership.people}
    for user_id, row in sorted(rows.items()):
        if user_id in in_file or not row.active:
            continue
        if prune:
            report.removed.append(user_id)
            if not dry_run:
                row.active, row.changed_by, row.changed_at = False, actor, now
        else:
            report.not_in_file.append(user_id)
    if dry_run:
        return report
    if (
        report.added
        or report.changed
        or report.removed
        or await session.get(PeopleRevision, partnership.id) is None
    ):
        await session.flush()
        await bump(session, partnership.id, now)
        audit.record(
            session,
            clock,
            actor=actor,
            action="people.imported",
            partnership_id=partnership.id,
            after=report.summary,
        )
    return report


# -- changes made in Slack -----------------------------------------------------------------------------


def check_agency(partnership: Partnership, agency_id: str | None) -> str | None:
    if agency_id is None or agency_id.lower() in ("none", "-"):
        return None
    found = partnership.agency(agency_id.strip().lower())
    if found is None:
        known = ", ".join(f"`{a.id}`" for a in partnership.agencies)
        raise BadInput("That is not one of this partnership's agencies.", f"Use one of: {known}.")
    return found.id


def check_roles(raw: list[str]) -> list[str]:
    wanted = [r.strip().lower().replace("-", "_").replace(" ", "_") for r in raw if r.strip()]
    known = {str(r) for r in Role}
    if not wanted or any(r not in known for r in wanted):
        shown = ", ".join(f"`{r}`" for r in ordered_roles(list(known)))
        raise BadInput("Give one or more roles, separated by commas.", f"Roles are: {shown}.")
    return ordered_roles(wanted)


def check_label(partnership: Partnership, label: str | None) -> str | None:
    if label is None or not label.strip():
        return None
    label = " ".join(label.split())
    if len(label) > LABEL_LIMIT:
        raise BadInput(
            f"A label is at most {LABEL_LIMIT} characters.", "Describe the role, e.g. 'Police lead'."
        )
    if scan(label, allowed_terms=partnership.allowed_terms()):
        raise BadInput(
            "That label looks like a person's name or contact details.",
            "Labels describe the role, e.g. 'Business manager, LA': Slack already shows who it is.",
        )
    return label


async def person_row(session: AsyncSession, partnership_id: str, user_id: str) -> PersonRecord | None:
    found = await session.execute(
        select(PersonRecord).where(
            PersonRecord.partnership_id == partnership_id, PersonRecord.slack_user_id == user_id
        )
    )
    return found.scalars().first()


def _summary(row: PersonRecord) -> dict[str, object]:
    return {
        "user": row.slack_user_id,
        "agency": row.agency_id,
        "roles": list(row.roles),
        "active": row.active,
    }


async def add_person(
    session: AsyncSession,
    clock: Clock,
    partnership: Partnership,
    *,
    actor: str,
    user_id: str,
    agency_id: str | None,
    roles: list[str],
    label: str | None,
    team_id: str | None = None,
) -> PersonRecord:
    """Add someone (or bring back someone removed) with an agency and roles; audited."""
    now = clock.now()
    row = await person_row(session, partnership.id, user_id)
    if row is not None and row.active:
        raise BadInput(
            "They are already in the partnership.",
            "Use `/review people roles @person role,...` to change their roles.",
        )
    before = _summary(row) if row is not None else None
    if row is None:
        row = PersonRecord(
            partnership_id=partnership.id,
            team_id=team_id,
            slack_user_id=user_id,
            source=FROM_SLACK,
            added_by=actor,
            added_at=now,
            working_days=None,
        )
        session.add(row)
    row.agency_id, row.roles, row.label, row.active = agency_id, roles, label, True
    row.changed_by, row.changed_at = actor, now
    await session.flush()
    await bump(session, partnership.id, now)
    audit.record(
        session,
        clock,
        actor=actor,
        action="person.added",
        partnership_id=partnership.id,
        before=before,
        after=_summary(row) | {"label": (label or "")[:LABEL_LIMIT]},
    )
    return row


async def set_roles(
    session: AsyncSession, clock: Clock, partnership_id: str, *, actor: str, user_id: str, roles: list[str]
) -> PersonRecord:
    def change(row: PersonRecord) -> None:
        row.roles = roles

    fix = "Add them with `/review people add`."
    return await _change(session, clock, partnership_id, actor, user_id, "person.roles_changed", fix, change)


async def deactivate(
    session: AsyncSession, clock: Clock, partnership_id: str, *, actor: str, user_id: str
) -> PersonRecord:
    def change(row: PersonRecord) -> None:
        row.active = False

    fix = "`/review people` lists who is."
    return await _change(session, clock, partnership_id, actor, user_id, "person.removed", fix, change)


async def _change(
    session: AsyncSession,
    clock: Clock,
    partnership_id: str,
    actor: str,
    user_id: str,
    action: str,
    fix: str,
    change: Callable[[PersonRecord], None],
) -> PersonRecord:
    """Change an active person's row, count the change and audit it (before and after)."""
    row = await person_row(session, partnership_id, user_id)
    if row is None or not row.active:
        raise BadInput("They are not in the partnership.", fix)
    before = _summary(row)
    now = clock.now()
    change(row)
    row.changed_by, row.changed_at = actor, now
    await bump(session, partnership_id, now)
    audit.record(
        session,
        clock,
        actor=actor,
        action=action,
        partnership_id=partnership_id,
        before=before,
        after=_summary(row),
    )
    return row


def provide(features: Provisions) -> None:
    # First of every tick: the worker's reminders and digests go to people as the store holds them now.
    features.tick(refresh_people, order=1)
