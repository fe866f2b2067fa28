"""An import-linter contract type the built-in ones lack: no import cycle between modules anywhere.

``acyclic_siblings`` compares the children of one package at a time, so a cycle whose modules live in
different packages (``bot.cases.service`` -> ``bot.rapid_review.start`` -> ``bot.rapid_review.checklist``
-> ``bot.cases.service``) passes it, as does a cycle hidden by an import inside a function. This type
looks at the whole module graph, which holds those imports too, and fails on every strongly connected
group of two or more modules, listing the imports that close it.

Registered in pyproject.toml (``contract_types``) and run by ``lint-imports`` from the repository root.
"""

from __future__ import annotations

from typing import Any

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck
from importlinter.domain.helpers import module_expressions_to_modules


class AcyclicModulesContract(Contract):
    """Options: ``containers``, the packages whose modules (at any depth) must import no cycle."""

    type_name = "acyclic_modules"

    containers = fields.SetField(subfield=fields.ModuleExpressionField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        containers = module_expressions_to_modules(graph, self.containers, raise_if_unmatched=True)
        modules = sorted(
            name
            for name in graph.modules
            if any(name == c.name or name.startswith(c.name + ".") for c in containers)
        )
        inside = set(modules)
        edges = {m: sorted(graph.find_modules_directly_imported_by(m) & inside) for m in modules}
        cycles = [sorted(group) for group in _strongly_connected(modules, edges) if len(group) > 1]
        return ContractCheck(
            kept=not cycles,
            metadata={"cycles": [_closing_imports(graph, group, edges) for group in sorted(cycles)]},
        )

    def render_broken_contract(self, check: ContractCheck) -> None:
        for group in check.metadata["cycles"]:
            output.print_error(f"Import cycle between {len(group['modules'])} modules:")
            for importer, imported, line in group["imports"]:
                output.print_error(f"- {importer} -> {imported} (l.{line})", bold=False)
            output.new_line()


def _closing_imports(graph: ImportGraph, group: list[str], edges: dict[str, list[str]]) -> dict[str, Any]:
    members = set(group)
    imports = []
    for importer in group:
        for imported in edges[importer]:
            if imported in members:
                details = graph.get_import_details(importer=importer, imported=imported)
                line = ",".join(str(d["line_number"]) for d in details) or "?"
                imports.append((importer, imported, line))
    return {"modules": group, "imports": imports}


def _strongly_connected(nodes: list[str], edges: dict[str, list[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iteratively (a long import chain must not hit the recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            successors = edges[node]
            if position < len(successors):
                work.append((node, position + 1))
                successor = successors[position]
                if successor not in index:
                    work.append((successor, 0))
                elif successor in on_stack:
                    low[node] = min(low[node], index[successor])
                continue
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                groups.append(group)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return groups
