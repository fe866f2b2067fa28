"""`reviewbot doctor`: check a deployment end to end and say what to fix.

It checks, in order: the settings; the partnership file; the database (reachable, migrated to this
version's head); the Slack bot token (auth.test) and the scopes Slack says it was granted against
the ones app.yaml asks for; that the bot is in each partnership's business unit and board channels.
Each problem is printed with its fix; the exit code is 1 if there is any (warnings alone do not
count), so a deployment pipeline can run it before switching traffic over.
"""

from __future__ import annotations

import argparse
import asyncio
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.cli.check_config import summary
from bot.cli.database import database_failure, missing_sqlite_file, program, shown_url
from bot.config.loading import load_config
from bot.config.partnership import Config
from bot.config.problems import ConfigError
from bot.settings import Settings, read_settings

# Handlers import the application (Slack, the database engine, the web app, the worker; structlog for
# the logs) when they run, not when the command line starts: `reviewbot --help`, `version`, `calendar`,
# `rules` and `check-config` answer without loading them (bot.cli imports every subcommand module).
if TYPE_CHECKING:
    from bot.slack.gateway import BotIdentity, SlackGateway

EXIT_OK = 0
EXIT_PROBLEMS = 1
SLACK_TIMEOUT_SECONDS = 10.0


class Verdict(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "FAIL"


@dataclass(frozen=True)
class Finding:
    verdict: Verdict
    what: str
    fix: str = ""

    def render(self) -> str:
        line = f"{self.verdict.value:<4}  {self.what}"
        return f"{line}\n      Fix: {self.fix}" if self.fix else line


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    doctor = sub.add_parser(
        "doctor",
        help="check settings, partnership file, database, Slack token, scopes and channels; say what to fix",
        description="Check this deployment end to end. Exits 0 when nothing needs fixing, 1 otherwise.",
    )
    doctor.set_defaults(handler=run)


def run(_args: argparse.Namespace) -> int:
    from bot.observability import configure_logging

    configure_logging("ERROR")  # the findings are the output; the libraries' logs would only repeat them
    findings = asyncio.run(diagnose())
    for finding in findings:
        print(finding.render())
    problems = sum(1 for f in findings if f.verdict is Verdict.FAIL)
    if problems:
        print(f"{problems} problem{'s' if problems != 1 else ''} found.")
        return EXIT_PROBLEMS
    print("No problems found.")
    return EXIT_OK


async def diagnose() -> list[Finding]:
    settings, problems = read_settings(require_slack=True)
    findings = [
        Finding(Verdict.FAIL, f"setting {p.variable}: {p.problem}", p.fix) for p in problems
    ] or [Finding(Verdict.OK, "settings")]
    config = _partnership_file(settings, findings)
    findings.append(await _database(settings))
    if settings.slack_bot_token:
        findings.extend(await _slack(settings, config))
    return findings


def _partnership_file(settings: Settings, findings: list[Finding]) -> Config | None:
    if not settings.reviewbot_config.is_file():
        return None  # reported with the settings
    try:
        config = load_config(settings.reviewbot_config)
    except ConfigError as exc:
        findings.extend(
            Finding(Verdict.FAIL, f"partnership file {p.file}:{p.line or '-'}: {p.message}", p.fix)
            for p in exc.problems
        )
        return None
    findings.append(Finding(Verdict.OK, f"partnership file {settings.reviewbot_config}: {summary(config)}"))
    return config


async def _database(settings: Settings) -> Finding:
    from sqlalchemy.exc import SQLAlchemyError

    from bot.db.engine import Database
    from bot.db.migrate import current_revision, head_revision, known_revisions

    where = shown_url(settings.database_url)
    missing = missing_sqlite_file(settings.database_url)
    if missing is not None:
        return Finding(
            Verdict.FAIL,
            f"database {where}: there is no file at {missing}",
            f"check DATABASE_URL, or create it with `{program()} db upgrade`",
        )
    db = Database(settings.database_url)
    try:
        revision = await current_revision(db)
    except (OSError, SQLAlchemyError) as exc:
        message = database_failure(exc, settings.database_url)
        what, _, fix = message.partition(" Fix: ")
        return Finding(Verdict.FAIL, what, fix)
    finally:
        await db.dispose()
    head = head_revision()
    upgrade = f"run `{program()} db upgrade` (`serve` and `worker` also upgrade it on start)"
    if revision == head:
        return Finding(Verdict.OK, f"database {where}: migrated (revision {revision})")
    if revision is None:
        return Finding(Verdict.FAIL, f"database {where}: no ReviewBot tables yet", upgrade)
    if revision not in known_revisions():
        return Finding(
            Verdict.FAIL,
            f"database {where}: at revision {revision}, newer than this version of ReviewBot",
            "run the newer ReviewBot, or restore a backup taken before it upgraded the database",
        )
    return Finding(
        Verdict.FAIL, f"database {where}: at revision {revision}, this version needs {head}", upgrade
    )


async def _slack(settings: Settings, config: Config | None) -> list[Finding]:
    from bot.slack.errors import SlackError, SlackUnavailable
    from bot.slack.gateway import SlackGateway

    gateway = SlackGateway.create(settings.slack_bot_token, settings.slack_api_url, pace_seconds=0)
    try:
        try:
            identity = await asyncio.wait_for(gateway.auth_test(attempts=1), SLACK_TIMEOUT_SECONDS)
        except (SlackUnavailable, TimeoutError) as exc:
            code = exc.code if isinstance(exc, SlackError) else "timeout"
            return [
                Finding(
                    Verdict.FAIL,
                    f"Slack did not answer at {settings.slack_api_url} ({code})",
                    "check this machine can reach Slack (proxy, firewall) and that SLACK_API_URL is unset",
                )
            ]
        except SlackError as exc:
            return [
                Finding(
                    Verdict.FAIL,
                    f"Slack refused SLACK_BOT_TOKEN ({exc.code})",
                    "copy the Bot User OAuth Token (xoxb-) again from the app's 'OAuth & Permissions' "
                    "page; reinstall the app if it was revoked",
                )
            ]
        findings = [
            Finding(
                Verdict.OK,
                f"Slack token: bot user {identity.user_id} in workspace {identity.team or identity.team_id}",
            )
        ]
        findings.extend(_scopes(identity))
        if config is not None:
            findings.extend(await _channels(gateway, config))
        return findings
    finally:
        await gateway.close()


def _scopes(identity: BotIdentity) -> list[Finding]:
    from bot.slack.gateway import required_scopes

    if identity.scopes is None:
        return [
            Finding(Verdict.WARN, "Slack did not say which scopes the token has (no x-oauth-scopes header)")
        ]
    wanted = required_scopes()
    missing = sorted(wanted - identity.scopes)
    extra = sorted(identity.scopes - wanted)
    findings = []
    if missing:
        findings.append(
            Finding(
                Verdict.FAIL,
                f"the bot token lacks scope{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                "that app.yaml asks for",
                "in the app's settings paste app.yaml into 'App Manifest' (or add the scopes under 'OAuth & "
                "Permissions'), reinstall the app to the workspace, and put the new token in SLACK_BOT_TOKEN",
            )
        )
    else:
        findings.append(Finding(Verdict.OK, f"scopes: all {len(wanted)} that app.yaml asks for"))
    if extra:
        findings.append(
            Finding(
                Verdict.WARN,
                f"the bot token also has {', '.join(extra)}, which ReviewBot does not use; remove "
                "them from the app and reinstall it (least privilege)",
            )
        )
    return findings


async def _channels(gateway: SlackGateway, config: Config) -> list[Finding]:
    from bot.slack.errors import SlackError

    findings = []
    for partnership in config.partnerships:
        for role, channel in (
            ("business unit", partnership.channels.business_unit),
            ("board", partnership.channels.board),
        ):
            named = f"{partnership.id} {role} channel {channel}"
            invite = (
                f"in Slack, open that channel and type `/invite @ReviewBot`; or correct "
                f"channels.{'business_unit' if role == 'business unit' else 'board'} in the partnership file"
            )
            try:
                info = await asyncio.wait_for(gateway.channel_info(channel), SLACK_TIMEOUT_SECONDS)
            except TimeoutError:
                findings.append(Finding(Verdict.FAIL, f"{named}: Slack did not answer", "try again"))
                continue
            except SlackError as exc:
                if exc.code == "missing_scope":
                    fix = "reinstall the app with app.yaml's scopes (see the scopes line above)"
                    findings.append(Finding(Verdict.FAIL, f"{named}: the token may not look at it", fix))
                elif exc.code == "channel_not_found":
                    findings.append(
                        Finding(
                            Verdict.FAIL,
                            f"{named}: not found (it does not exist, or it is private and the bot "
                            "is not in it)",
                            invite,
                        )
                    )
                else:
                    findings.append(Finding(Verdict.FAIL, f"{named}: Slack answered {exc.code}", invite))
                continue
            if info.get("is_archived"):
                findings.append(
                    Finding(Verdict.FAIL, f"{named}: archived", "unarchive it, or name another channel")
                )
            elif not info.get("is_member"):
                findings.append(Finding(Verdict.FAIL, f"{named}: the bot is not a member", invite))
            else:
                findings.append(Finding(Verdict.OK, f"{named}: the bot is in it"))
    return findings
