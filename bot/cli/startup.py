"""Settings for a command, with every problem reported in one round.

A command that needs settings gets them from :func:`settings_or_raise`: the settings' own problems and,
alongside them, the partnership file's (when it exists), so fixing a deployment takes one read of
the message, not one run per mistake.
"""

from __future__ import annotations

import os
from pathlib import Path

from bot.config.loading import load_config
from bot.config.problems import ConfigError
from bot.settings import BUNDLED_EXAMPLE_CONFIG, Settings, SettingsError, load_settings


class StartupProblems(Exception):
    """Settings and partnership file problems, rendered together."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def settings_or_raise(*, require_slack: bool, require_signing_secret: bool | None = None) -> Settings:
    """The settings, or :class:`StartupProblems` naming every settings and partnership file mistake."""
    try:
        return load_settings(require_slack=require_slack, require_signing_secret=require_signing_secret)
    except SettingsError as exc:
        text = exc.render()
    config_path = Path(os.environ.get("REVIEWBOT_CONFIG") or BUNDLED_EXAMPLE_CONFIG)
    if config_path.is_file():
        try:
            load_config(config_path)
        except ConfigError as exc:
            count = len(exc.problems)
            text += f"\nThe partnership file has {count} problem{'s' if count != 1 else ''} too:\n"
            text += "\n".join(f"- {p}" for p in exc.problems)
    raise StartupProblems(text)
