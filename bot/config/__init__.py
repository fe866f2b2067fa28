"""The partnership file: who is in each safeguarding partnership, in which role, and how it works.

Configuration as code: one YAML file, validated by pydantic with ``extra="forbid"`` everywhere so a
misspelt setting is an error instead of a silently ignored line. Loading reports every mistake in
one run with the file, line and a fix, because the person editing this file is usually a business
manager, not a developer, and one round trip per typo wastes their afternoon.

The modules, in the domain's words:

* :mod:`bot.config.partnership`: a partnership (nation, channels, case references) and the whole file;
* :mod:`bot.config.people`: people, known by Slack id, and their roles;
* :mod:`bot.config.agencies`: the agencies, and which of them are statutory partners;
* :mod:`bot.config.schedules`: the weekly digest and the reminder ladders;
* :mod:`bot.config.fields`: the kinds of value (ids, Slack ids, times) with plain-English errors;
* :mod:`bot.config.cross_checks`: checks that span several settings, run on the raw YAML too;
* :mod:`bot.config.loading`: reading and validating the file, with line numbers;
* :mod:`bot.config.wording`: pydantic's errors reworded as a message and a fix;
* :mod:`bot.config.problems`: a :class:`Problem` (file, line, message, fix) and :class:`ConfigError`.

Import from the module that defines a name; the names below are re-exported for older imports.
"""

from __future__ import annotations

from bot.config.agencies import Agency, AgencyKind
from bot.config.loading import load_config, parse_config
from bot.config.partnership import Channels, Config, Partnership
from bot.config.people import Person, Role
from bot.config.problems import ConfigError, Problem, format_problems
from bot.config.schedules import DigestSchedule, Escalation, Ladder, ReminderSettings

__all__ = [
    "Agency",
    "AgencyKind",
    "Channels",
    "Config",
    "ConfigError",
    "DigestSchedule",
    "Escalation",
    "Ladder",
    "Partnership",
    "Person",
    "Problem",
    "ReminderSettings",
    "Role",
    "format_problems",
    "load_config",
    "parse_config",
]
