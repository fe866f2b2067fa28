"""`/review export`: the pack for the Panel (Word and Markdown), uploaded to the case channel only.

Only people allowed to export (business unit, chair, signatories) can produce it, and only in the
case's own private channel, so the files never land anywhere wider than the case.
"""

from __future__ import annotations

from bot import audit
from bot.access import Permission
from bot.cases.models import Case
from bot.commands.checklist import ensure_checklist
from bot.commands.finders import CASE_HERE, admitted_case
from bot.commands.gate import Needs
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply
from bot.observability import get_logger
from bot.rapid_review.export import build_pack, to_docx, to_markdown
from bot.runtime.services import Services

log = get_logger(__name__)


async def upload_pack(services: Services, case_id: int, channel_id: str, user_id: str) -> None:
    pack = await build_pack(services, case_id)
    stem = pack.file_stem()
    await services.gateway.upload_file(
        channel_id, f"{stem}.docx", to_docx(pack), title=f"{pack.title} (Word)"
    )
    await services.gateway.upload_file(
        channel_id, f"{stem}.md", to_markdown(pack), title=f"{pack.title} (Markdown)"
    )
    async with services.db.session() as session:
        case = await session.get(Case, case_id)
        assert case is not None
        audit.record(
            session,
            services.clock,
            actor=user_id,
            action="rapid_review.pack_exported",
            partnership_id=case.partnership_id,
            case_id=case_id,
            after={"files": [f"{stem}.docx", f"{stem}.md"], "channel": channel_id},
        )
    log.info("rapid_review.pack_exported", case_id=case_id)


def register(features: Features) -> None:
    services = features.services

    async def export(ctx: CommandContext) -> CommandReply:
        case = await admitted_case(services, ctx.admitted)
        await ensure_checklist(services, case, ctx.user_id)
        assert case.channel_id is not None

        async def _tell(text: str) -> None:
            await ctx.requester.tell(services.gateway, text)

        services.tasks.spawn(
            upload_pack(services, case.id, case.channel_id, ctx.user_id), name="export-pack", tell=_tell
        )
        return CommandReply(
            text=f"Preparing the pack for {case.reference}: a Word document and a Markdown file "
            "will appear in this channel in a moment."
        )

    features.subcommand(
        "export",
        "export",
        "the pack for the Panel (Word and Markdown) in this channel (business unit, chair, signatories)",
        export,
        needs=Needs(Permission.EXPORT_PACK, CASE_HERE),
        order=34,
    )
