"""`reviewbot check-config [PATH]`: check a partnership file before the bot uses it.

Business managers edit the partnership file by hand; this names every mistake with its line and a
fix in one run, and exits non-zero so a deployment pipeline can refuse a broken file.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from bot.config.loading import load_config
from bot.config.partnership import Config
from bot.config.problems import ConfigError, format_problems
from bot.settings import BUNDLED_EXAMPLE_CONFIG

EXIT_OK = 0
EXIT_PROBLEMS = 2


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "check-config",
        help="check a partnership file and list every mistake with its line and a fix",
        description="Check a partnership file. Exits 0 if it can be used, 2 if it has mistakes.",
    )
    parser.add_argument(
        "path",
        nargs="?",
        type=Path,
        default=None,
        help="the partnership YAML file (default: $REVIEWBOT_CONFIG, else the bundled example)",
    )
    parser.set_defaults(handler=run)
    return parser


def default_path() -> Path:
    """The file the bot itself would load: REVIEWBOT_CONFIG if set, else the bundled example."""
    configured = os.environ.get("REVIEWBOT_CONFIG")
    return Path(configured) if configured else BUNDLED_EXAMPLE_CONFIG


def run(args: argparse.Namespace) -> int:
    path: Path = args.path or default_path()
    try:
        config = load_config(path)
    except ConfigError as exc:
        print(format_problems(exc.problems), file=sys.stderr)
        count = len(exc.problems)
        print(
            f"{path}: {count} problem{'s' if count != 1 else ''} found; the file was not loaded.",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    print(f"OK: {path}: {summary(config)}")
    return EXIT_OK


def summary(config: Config) -> str:
    """Counts for the OK line; a person in two partnerships is one person."""
    partnerships = len(config.partnerships)
    agencies = sum(len(p.agencies) for p in config.partnerships)
    people = len({person.slack_user_id for p in config.partnerships for person in p.people})
    return (
        f"{partnerships} partnership{'s' if partnerships != 1 else ''}, "
        f"{agencies} agenc{'ies' if agencies != 1 else 'y'}, "
        f"{people} {'people' if people != 1 else 'person'}"
    )
