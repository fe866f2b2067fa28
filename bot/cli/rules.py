"""``reviewbot rules show [RULESET]``: the rule sets as people read them, a timeline per process.

Why: whoever checks a figure against the statutory guidance needs to see, for each deadline, what it
is counted from, how binding it is, how sure we are ([V]/[P]/[U] with the process-rules.md row) and
where it came from, without reading YAML.
"""

from __future__ import annotations

import argparse
import sys

from bot.rules.loader import RuleSetError, all_rulesets, in_force_window, load_ruleset
from bot.rules.models import ANCHOR_DESCRIPTIONS, DeadlineRule, RuleSet


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``rules show [RULESET]`` to the main parser's subcommands."""
    rules_parser = sub.add_parser("rules", help="show the statutory rule sets")
    rules_parser.set_defaults(handler=_missing_subcommand)
    commands = rules_parser.add_subparsers(dest="rules_command", metavar="{show}")
    show = commands.add_parser("show", help="list the rule sets, or show one as a timeline")
    show.add_argument("ruleset", nargs="?", metavar="RULESET", help="a rule set id, e.g. england-2023")
    show.set_defaults(handler=handle_show)


def handle_show(args: argparse.Namespace) -> int:
    """Without RULESET list every rule set with its in-force dates; with one, print its timeline."""
    if args.ruleset is None:
        for line in ruleset_list_lines(all_rulesets()):
            print(line)
        return 0
    try:
        ruleset = load_ruleset(args.ruleset)
    except RuleSetError as error:
        print(f"error: {str(error).splitlines()[0]}", file=sys.stderr)
        return 2
    for line in timeline_lines(ruleset):
        print(line)
    return 0


def ruleset_list_lines(rulesets: list[RuleSet]) -> list[str]:
    """One line per rule set: id, nation, in-force window, version and title."""
    width = max(len(r.id) for r in rulesets)
    lines = []
    for ruleset in rulesets:
        lines.append(f"{ruleset.id:<{width}}  {_window(ruleset):<25}  v{ruleset.version}  {ruleset.title}")
    return lines


def timeline_lines(ruleset: RuleSet) -> list[str]:
    """The rule set as a timeline: deadlines grouped by the event they are counted from."""
    lines = [
        ruleset.title,
        f"  id: {ruleset.id}  version: {ruleset.version}  nation: {ruleset.nation.label}",
        f"  edition: {ruleset.edition}",
        f"  in force: {_window(ruleset)}",
        f"  working days: {ruleset.calendar_nation.bank_holiday_label} bank holidays",
        "",
    ]
    for anchor in ANCHOR_DESCRIPTIONS:
        rules = [rule for rule in ruleset.deadlines if rule.anchor is anchor]
        if not rules:
            continue
        lines.append(f"{anchor.value}: {ANCHOR_DESCRIPTIONS[anchor]}")
        for rule in rules:
            lines.extend(_deadline_lines(rule))
        lines.append("")
    if ruleset.lifecycle is not None:
        life = ruleset.lifecycle
        lines.append(f"After the decision: {life.review_name} (decision told to {life.national_body})")
        for event in life.events:
            how = (
                f"recorded with `/review record {event.id}`"
                if event.auto is None
                else f"by itself ({event.auto.value})"
            )
            meets = f"; meets {', '.join(event.meets)}" if event.meets else ""
            lines.append(f"  - {event.id}: {event.label} [{how}{meets}]")
        lines.append("")
    if ruleset.notes:
        lines.append("Notes:")
        lines.extend(f"  - {note}" for note in ruleset.notes)
    return lines


def _deadline_lines(rule: DeadlineRule) -> list[str]:
    applies = ", ".join(t.value for t in rule.applies_to) or "all notification types"
    configurable = "configurable default" if rule.configurable else "fixed"
    lines = [
        f"  -> {rule.id}: {rule.label}",
        f"       {rule.timescale()} | {rule.status.value} | {rule.kind.value} | {configurable} | "
        f"[{rule.verification.tag.value}] {rule.verification.row}",
        f"       responsible: {rule.responsible_role.value} | applies to: {applies}",
    ]
    if rule.alternative_anchors:
        lines.append(f"       may instead count from: {', '.join(a.value for a in rule.alternative_anchors)}")
    if rule.is_default:
        lines.append(f"       timescale: {rule.source_text()}")
        lines.extend(f"       step described in: {url}" for url in rule.source_urls)
    else:
        lines.extend(f"       source: {url}" for url in rule.source_urls)
    if rule.override_note:
        lines.append(f"       override: {rule.override_note}")
    return lines


def _window(ruleset: RuleSet) -> str:
    first, last = in_force_window(ruleset)
    return f"{first.isoformat()} to {last.isoformat() if last else 'now'}"


def _missing_subcommand(args: argparse.Namespace) -> int:
    print("error: say 'rules show' (optionally with a rule set id, e.g. england-2023)", file=sys.stderr)
    return 2
