"""Runtime settings from the environment and an optional `.env` file.

Only deployment facts live here (tokens, URLs, paths). Everything about the partnership (agencies,
people, roles, channels, local rules) lives in the partnership file named by REVIEWBOT_CONFIG.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.db.urls import async_url

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./reviewbot.sqlite3"
BUNDLED_EXAMPLE_CONFIG = Path(__file__).parent / "examples" / "partnership.example.yaml"

_FIXES: dict[str, str] = {
    "SLACK_BOT_TOKEN": "set SLACK_BOT_TOKEN to the Bot User OAuth Token (starts xoxb-) from the app's "
    "'OAuth & Permissions' page",
    "SLACK_SIGNING_SECRET": "set SLACK_SIGNING_SECRET to the Signing Secret from the app's "
    "'Basic Information' page",
    "SLACK_APP_TOKEN": "leave SLACK_APP_TOKEN unset for HTTP, or set an app-level token "
    "(starts xapp-) with the "
    "connections:write scope for Socket Mode",
    "SLACK_API_URL": "leave SLACK_API_URL unset to use Slack, or give an http(s) URL ending in /api/",
    "DATABASE_URL": "use sqlite+aiosqlite:///path/to/file.sqlite3 or postgresql+asyncpg://user:pass@host/db",
    "REVIEWBOT_CONFIG": "point REVIEWBOT_CONFIG at your partnership YAML file (see bot/examples/)",
    "LOG_LEVEL": "use one of DEBUG, INFO, WARNING, ERROR",
    "SLACK_PACE_SECONDS": "leave SLACK_PACE_SECONDS unset, or give seconds as a number such as 1.0",
    "REVIEWBOT_TICK_SECONDS": "leave REVIEWBOT_TICK_SECONDS unset, or give seconds from 1 to 30",
    "REVIEWBOT_PEOPLE_RECHECK_SECONDS": "leave REVIEWBOT_PEOPLE_RECHECK_SECONDS unset, "
    "or give seconds from 0 to 60",
    "SLACK_CLIENT_ID": "set both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (the app's 'Basic Information' "
    "page) to install through OAuth, or neither for one workspace with SLACK_BOT_TOKEN",
    "SLACK_CLIENT_SECRET": "set both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (the app's 'Basic Information' "
    "page) to install through OAuth, or neither for one workspace with SLACK_BOT_TOKEN",
    "REVIEWBOT_ENCRYPTION_KEY": "set REVIEWBOT_ENCRYPTION_KEY to a Fernet key (make one with "
    '`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`); '
    "several keys, comma-separated, while rotating (the first encrypts)",
    "REVIEWBOT_INSTALL_REDIRECT_URL": "leave it unset, or give the public https URL of /slack/oauth_redirect",
}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    slack_bot_token: str = Field(default="", validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str = Field(default="", validation_alias="SLACK_SIGNING_SECRET")
    slack_app_token: str | None = Field(default=None, validation_alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default=DEFAULT_SLACK_API_URL, validation_alias="SLACK_API_URL")
    database_url: str = Field(default=DEFAULT_DATABASE_URL, validation_alias="DATABASE_URL")
    reviewbot_config: Path = Field(default=BUNDLED_EXAMPLE_CONFIG, validation_alias="REVIEWBOT_CONFIG")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", validation_alias="LOG_LEVEL"
    )
    # Seconds between two posts to one channel: Slack allows about one message a second per channel.
    slack_pace_seconds: float = Field(default=1.0, ge=0, validation_alias="SLACK_PACE_SECONDS")
    # How often the worker looks for due reminders (the issue allows at most 30 s).
    tick_seconds: float = Field(default=15.0, gt=0, le=30, validation_alias="REVIEWBOT_TICK_SECONDS")
    # How long a Slack request may rely on the people this process read last before it reads the
    # people revisions again: a change made in another process (a second server, `people import`) is
    # seen within this; one made in this process at once. 0: read them before every request.
    people_recheck_seconds: float = Field(
        default=1.0, ge=0, le=60, validation_alias="REVIEWBOT_PEOPLE_RECHECK_SECONDS"
    )
    # OAuth install (many workspaces): both set switches it on; SLACK_BOT_TOKEN is then not used.
    slack_client_id: str = Field(default="", validation_alias="SLACK_CLIENT_ID")
    slack_client_secret: str = Field(default="", validation_alias="SLACK_CLIENT_SECRET")
    # Fernet key(s) for bot tokens at rest, comma-separated: the first encrypts, all decrypt.
    encryption_key: str = Field(default="", validation_alias="REVIEWBOT_ENCRYPTION_KEY", repr=False)
    # Where Slack sends people back after they approve the install (the app's redirect URL); unset:
    # the one configured in the app (Slack then uses it).
    install_redirect_url: str = Field(default="", validation_alias="REVIEWBOT_INSTALL_REDIRECT_URL")

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, v: str) -> str:
        if v and not v.startswith("xoxb-"):
            raise ValueError("must start with xoxb-")
        return v

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, v: str | None) -> str | None:
        if v in (None, ""):
            return None
        if not v.startswith("xapp-"):
            raise ValueError("must start with xapp-")
        return v

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, v: str) -> str:
        if not v.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return v if v.endswith("/") else v + "/"

    @field_validator("database_url")
    @classmethod
    def _db_url(cls, v: str) -> str:
        if not v.startswith(
            ("sqlite+aiosqlite://", "sqlite://", "postgresql+asyncpg://", "postgresql://", "postgres://")
        ):
            raise ValueError("must be an sqlite+aiosqlite:// or postgresql+asyncpg:// URL")
        return async_url(v)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def socket_mode(self) -> bool:
        return bool(self.slack_app_token)

    @property
    def oauth_mode(self) -> bool:
        """Installed through OAuth into any number of workspaces (SLACK_CLIENT_ID and _SECRET set)."""
        return bool(self.slack_client_id and self.slack_client_secret)


@dataclass(frozen=True)
class SettingsProblem:
    variable: str
    problem: str
    fix: str

    def __str__(self) -> str:
        return f"- {self.variable}: {self.problem}. Fix: {self.fix}."


class SettingsError(Exception):
    def __init__(self, problems: list[SettingsProblem]) -> None:
        self.problems = problems
        super().__init__(self.render())

    def render(self) -> str:
        lines = [f"ReviewBot cannot start: {len(self.problems)} setting(s) need attention."]
        lines += [str(p) for p in self.problems]
        return "\n".join(lines)


def load_settings(*, require_slack: bool = True, require_signing_secret: bool | None = None) -> Settings:
    """Read settings and report every problem at once (not just the first).

    ``require_slack`` asks for the bot token (serve, worker); ``require_signing_secret`` (by default
    the same) for the Signing Secret, which only the HTTP endpoint uses: the worker never needs it,
    and neither does Socket Mode. An invalid value is reported, then read as its default so that the
    checks after it (a missing secret, a missing partnership file) are reported in the same round.
    """
    settings, problems = read_settings(
        require_slack=require_slack, require_signing_secret=require_signing_secret
    )
    if problems:
        raise SettingsError(problems)
    return settings


def read_settings(
    *, require_slack: bool = True, require_signing_secret: bool | None = None
) -> tuple[Settings, list[SettingsProblem]]:
    """The settings (an invalid value read as its default) and every problem with them."""
    problems: list[SettingsProblem] = []
    try:
        settings = Settings()
    except ValidationError as exc:
        fallbacks: dict[str, Any] = {}
        for err in exc.errors():
            var = str(err["loc"][0]) if err["loc"] else "?"
            problems.append(SettingsProblem(var, _message(err), _FIXES.get(var, "correct the value")))
            fallbacks[var] = _default_for(var)
        settings = Settings(**fallbacks)
    reported = {p.variable for p in problems}
    if require_signing_secret is None:
        require_signing_secret = require_slack
    problems += _oauth_problems(settings, reported)
    if (
        require_slack
        and not settings.oauth_mode
        and not settings.slack_bot_token
        and "SLACK_BOT_TOKEN" not in reported
        and not (settings.slack_client_id or settings.slack_client_secret)
    ):
        problems.append(SettingsProblem("SLACK_BOT_TOKEN", "missing", _FIXES["SLACK_BOT_TOKEN"]))
    if (
        require_signing_secret
        and not settings.slack_signing_secret
        and not settings.socket_mode
        and "SLACK_APP_TOKEN" not in reported
    ):
        problems.append(SettingsProblem("SLACK_SIGNING_SECRET", "missing", _FIXES["SLACK_SIGNING_SECRET"]))
    if not settings.reviewbot_config.is_file() and "REVIEWBOT_CONFIG" not in reported:
        problems.append(
            SettingsProblem(
                "REVIEWBOT_CONFIG", f"no file at {settings.reviewbot_config}", _FIXES["REVIEWBOT_CONFIG"]
            )
        )
    return settings, problems


def _oauth_problems(settings: Settings, reported: set[str]) -> list[SettingsProblem]:
    """OAuth needs both client credentials and an encryption key for the tokens it stores."""
    problems: list[SettingsProblem] = []
    if bool(settings.slack_client_id) != bool(settings.slack_client_secret):
        missing = "SLACK_CLIENT_SECRET" if settings.slack_client_id else "SLACK_CLIENT_ID"
        problems.append(SettingsProblem(missing, "missing (the other one is set)", _FIXES[missing]))
    if settings.oauth_mode and settings.socket_mode:
        problems.append(
            SettingsProblem(
                "SLACK_APP_TOKEN",
                "Socket Mode is not supported with OAuth installs",
                "leave SLACK_APP_TOKEN unset and give Slack the HTTP request URL (/slack/events)",
            )
        )
    if settings.oauth_mode and "REVIEWBOT_ENCRYPTION_KEY" not in reported:
        problem = encryption_key_problem(settings.encryption_key)
        if problem:
            problems.append(
                SettingsProblem("REVIEWBOT_ENCRYPTION_KEY", problem, _FIXES["REVIEWBOT_ENCRYPTION_KEY"])
            )
    return problems


def encryption_key_problem(value: str) -> str | None:
    """What is wrong with REVIEWBOT_ENCRYPTION_KEY (None: usable). Never repeats the value."""
    keys = [k.strip() for k in value.split(",") if k.strip()]
    if not keys:
        return "missing (OAuth stores bot tokens, and they are encrypted at rest)"
    import base64
    import binascii

    for n, key in enumerate(keys, 1):
        try:
            raw = base64.urlsafe_b64decode(key.encode("ascii"))
        except (binascii.Error, ValueError, UnicodeEncodeError):
            return f"key {n} is not a Fernet key (url-safe base64)"
        if len(raw) != 32:
            return f"key {n} is not a Fernet key (32 bytes, url-safe base64)"
    return None


def _message(err: ErrorDetails) -> str:
    """What is wrong, in our words: a validator's own sentence without pydantic's "Value error,"."""
    if err["type"] == "value_error" and "error" in (err.get("ctx") or {}):
        return str(err["ctx"]["error"])
    return str(err["msg"])


def _default_for(variable: str) -> Any:
    for field in Settings.model_fields.values():
        if field.validation_alias == variable:
            return field.default
    return None
