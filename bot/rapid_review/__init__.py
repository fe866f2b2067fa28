"""The rapid review: the checklist agency by agency, agency returns, the decision, partner sign-off and
the pack for the Panel (process-rules.md section 2).

The modules here are the domain (rows, rules, pure Block Kit); the Slack listeners live in
``bot.commands.checklist``, ``returns``, ``decision``, ``signoff`` and ``export``.
"""

from typing import Any


def __getattr__(name: str) -> Any:
    """``bot.rapid_review.open_items_for`` for the Home tab, imported on first use: importing it eagerly
    would make the package (which bot.rules.overrides needs for the templates) import the whole domain."""
    if name == "open_items_for":
        from bot.rapid_review.home import open_items_for

        return open_items_for
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
