"""`/review attendance` in a case channel: record who attended the case's latest meeting (business
unit, chair, or the meeting's organiser or chair)."""

from __future__ import annotations

from bot.access import Permission
from bot.commands.gate import Needs
from bot.commands.meeting import LATEST_MEETING_HERE, meeting_id_of, open_attendance
from bot.commands.registry import Features
from bot.commands.router import CommandContext, CommandReply


def register(features: Features) -> None:
    services = features.services

    async def attendance_command(ctx: CommandContext) -> CommandReply:
        await open_attendance(services, ctx.requester, meeting_id_of(ctx.admitted))
        return CommandReply(text="")

    features.subcommand(
        "attendance",
        "attendance",
        "record who attended this case's latest meeting (business unit, chair, organiser)",
        attendance_command,
        needs=Needs(Permission.RECORD_ATTENDANCE, LATEST_MEETING_HERE),
        order=51,
    )
