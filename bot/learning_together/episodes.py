"""Key practice episodes: the review team adds and edits them; findings link to them.

They start from the rapid review's list (seeded when the Learning Together review is commissioned,
bot.learning_together.plan). Each change is one unit of work with its audit row, which holds numbers
and codes, never the titles or factors.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import audit
from bot.cases.models import Case
from bot.errors import BadInput, NotFound
from bot.learning_together.modals import EpisodeForm, EpisodeShown
from bot.learning_together.models import FindingEpisode, KeyPracticeEpisode
from bot.runtime.services import Services


@dataclass(frozen=True)
class EpisodeLine:
    episode_id: int
    number: int
    title: str
    period: str
    agencies: tuple[str, ...]
    factors: tuple[str, ...]
    findings: int


async def episodes_of(session: AsyncSession, case_id: int) -> list[KeyPracticeEpisode]:
    query = (
        select(KeyPracticeEpisode)
        .where(KeyPracticeEpisode.case_id == case_id)
        .order_by(KeyPracticeEpisode.number)
    )
    return list((await session.execute(query)).scalars())


def shown(row: KeyPracticeEpisode) -> EpisodeShown:
    return EpisodeShown(
        row.id,
        row.number,
        row.title,
        row.period_from,
        row.period_to,
        tuple(row.agencies or ()),
        tuple(row.contributory_factors or ()),
    )


async def episode_by_number(services: Services, case_id: int, number: int) -> EpisodeShown:
    async with services.db.read() as session:
        row = (
            await session.execute(
                select(KeyPracticeEpisode).where(
                    KeyPracticeEpisode.case_id == case_id, KeyPracticeEpisode.number == number
                )
            )
        ).scalar()
    if row is None:
        raise BadInput(f"There is no key practice episode {number}.", "See them with `/review episode list`.")
    return shown(row)


async def save_episode(
    services: Services, case_id: int, form: EpisodeForm, *, user_id: str, episode_id: int | None
) -> int:
    """Add an episode (``episode_id`` None) or change one of this case's; its number."""
    now = services.clock.now()
    async with services.db.session() as session:
        case = await session.get(Case, case_id)
        if case is None:
            raise NotFound("That case no longer exists.")
        if episode_id is None:
            last = await session.scalar(
                select(func.max(KeyPracticeEpisode.number)).where(KeyPracticeEpisode.case_id == case.id)
            )
            row = KeyPracticeEpisode(
                case_id=case.id,
                partnership_id=case.partnership_id,
                number=int(last or 0) + 1,
                source="review_team",
                created_by=user_id,
                created_at=now,
                title="",
            )
            session.add(row)
            action = "episode.added"
        else:
            found = await session.get(KeyPracticeEpisode, episode_id)
            if found is None or found.case_id != case.id:
                raise NotFound("That key practice episode no longer exists.")
            row, action = found, "episode.changed"
        row.title, row.period_from, row.period_to = form.title, form.period_from, form.period_to
        row.agencies, row.contributory_factors = list(form.agencies), list(form.factors)
        row.updated_at = now
        await session.flush()
        audit.record(
            session,
            services.clock,
            actor=user_id,
            action=action,
            partnership_id=case.partnership_id,
            case_id=case.id,
            after={
                "episode": row.number,
                "agencies": list(form.agencies),
                "contributory_factors": len(form.factors),
                "period_from": form.period_from,
                "period_to": form.period_to,
            },
        )
        return row.number


async def episode_lines(services: Services, case_id: int) -> list[EpisodeLine]:
    async with services.db.read() as session:
        rows = await episodes_of(session, case_id)
        counts = dict(
            (
                await session.execute(
                    select(FindingEpisode.episode_id, func.count())
                    .where(FindingEpisode.episode_id.in_([r.id for r in rows] or [0]))
                    .group_by(FindingEpisode.episode_id)
                )
            ).all()
        )
    return [
        EpisodeLine(
            r.id,
            r.number,
            r.title,
            period_text(r),
            tuple(r.agencies or ()),
            tuple(r.contributory_factors or ()),
            int(counts.get(r.id, 0)),
        )
        for r in rows
    ]


def period_text(row: KeyPracticeEpisode) -> str:
    if row.period_from and row.period_to:
        return f"{row.period_from:%d/%m/%Y} to {row.period_to:%d/%m/%Y}"
    if row.period_from:
        return f"from {row.period_from:%d/%m/%Y}"
    if row.period_to:
        return f"until {row.period_to:%d/%m/%Y}"
    return "period not given"


async def episode_options(services: Services, case_id: int) -> list[tuple[int, str]]:
    """(id, "n. title") of the case's episodes, for the finding form."""
    async with services.db.read() as session:
        return [(r.id, f"{r.number}. {r.title}") for r in await episodes_of(session, case_id)]


async def link_finding(session: AsyncSession, case_id: int, finding_id: int, episode_ids: list[int]) -> int:
    """Link a finding to these episodes of its case (others are refused); the number linked."""
    if not episode_ids:
        return 0
    rows = await episodes_of(session, case_id)
    known = {r.id for r in rows}
    if set(episode_ids) - known:
        raise BadInput("Choose key practice episodes of this case.")
    for episode_id in dict.fromkeys(episode_ids):
        session.add(FindingEpisode(finding_id=finding_id, episode_id=episode_id))
    return len(set(episode_ids))
