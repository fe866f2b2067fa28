"""Loading the partnership file: read the YAML, validate it, and report every mistake in one run.

:func:`load_config` reports each mistake with the file, line and a fix, because the person editing
this file is usually a business manager, not a developer, and one round trip per typo wastes their
afternoon. Validation errors and the checks across settings are collected together; repeated keys
(which YAML would silently merge) are reported too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.config.cross_checks import cross_check
from bot.config.partnership import CROSS_CHECKED, Config
from bot.config.problems import EXAMPLE_FILE, ConfigError, Loc, Problem, where
from bot.config.wording import describe


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps values a person would not expect YAML 1.1 to reinterpret.

    Unquoted ``12:30`` is a base-60 integer (750) in YAML 1.1 and ``2026-02-30`` crashes the date
    constructor with no line number; both stay strings here so validation reports them in place.
    """

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        if ":" in str(node.value):
            return self.construct_scalar(node)
        return super().construct_yaml_int(node)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def load_config(path: str | Path) -> Config:
    """Read and validate a partnership file; raise ConfigError listing every problem found."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise ConfigError(
            [
                Problem(
                    name,
                    None,
                    f"cannot read the partnership file ({reason})",
                    "check the path, or set REVIEWBOT_CONFIG to your partnership file",
                )
            ]
        ) from None
    return parse_config(text, file=name)


def parse_config(text: str, *, file: str = "<partnership file>") -> Config:
    """Validate partnership YAML given as text; ``file`` is only used to name it in problems."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or "it could not be read"
        if exc.context and exc.context_mark:
            what += f" ({exc.context} that starts on line {exc.context_mark.line + 1})"
        raise ConfigError(
            [
                Problem(
                    file,
                    mark.line + 1 if mark else None,
                    f"this is not valid YAML: {what}",
                    "check the indentation and quotes on this line and the one above",
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(
            [Problem(file, None, f"this is not valid YAML: {exc}", "check the indentation and quotes")]
        ) from None
    finally:
        loader.dispose()
    if root is None or data is None:
        raise ConfigError([Problem(file, 1, "the partnership file is empty", f"start from {EXAMPLE_FILE}")])

    located: list[tuple[Loc, str, str]] = []
    config: Config | None = None
    try:
        config = Config.model_validate(data, context={CROSS_CHECKED: True})
    except ValidationError as exc:
        located.extend((tuple(e["loc"]), *describe(e)) for e in exc.errors(include_url=False))
    located.extend((i.loc, i.message, i.fix) for i in cross_check(data))

    problems = list(_duplicate_keys(root, file))
    problems.extend(
        Problem(file, _line_of(root, loc), f"{where(loc)}: {message}" if loc else message, fix)
        for loc, message, fix in located
    )
    if problems or config is None:
        problems.sort(key=lambda p: p.line or 0)
        raise ConfigError(problems)
    return config


def _line_of(root: yaml.Node, loc: Loc) -> int:
    """The line of the deepest node on ``loc``: the key for mappings, the item for lists.

    Where the path runs out (a missing setting) this is the line of the section that lacks it.
    """
    node, marker = root, root
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            found = next(
                ((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(part)),
                None,
            )
            if found is None:
                break
            marker, node = found
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = marker = node.value[part]
        else:
            break
    return int(marker.start_mark.line) + 1


def _duplicate_keys(root: yaml.Node, file: str) -> Iterator[Problem]:
    """YAML lets a repeated key silently replace the first; in a partnership file that loses people."""
    stack, visited = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in visited:
            continue
        visited.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in keys:
                        yield Problem(
                            file,
                            key.start_mark.line + 1,
                            f"'{key.value}' appears twice in the same section; the later one would "
                            "silently replace the earlier",
                            "merge the two into one entry",
                        )
                    keys.add(key.value)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
