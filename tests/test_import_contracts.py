"""The acyclic_modules import contract (tests/import_contracts.py) finds a cycle across packages."""

from __future__ import annotations

import grimp

from tests.import_contracts import AcyclicModulesContract


def _graph(imports: list[tuple[str, str]]) -> grimp.ImportGraph:
    graph = grimp.ImportGraph()
    for module in ("app", "app.cases", "app.cases.service", "app.review", "app.review.start", "app.core"):
        graph.add_module(module)
    for line, (importer, imported) in enumerate(imports, 1):
        graph.add_import(
            importer=importer, imported=imported, line_number=line, line_contents=f"import {imported}"
        )
    return graph


def _contract() -> AcyclicModulesContract:
    return AcyclicModulesContract(
        name="no cycles", session_options={"root_packages": ["app"]}, contract_options={"containers": ["app"]}
    )


def test_a_cycle_between_modules_of_two_packages_breaks_the_contract() -> None:
    graph = _graph(
        [
            ("app.cases.service", "app.review.start"),
            ("app.review.start", "app.cases.service"),
            ("app.review.start", "app.core"),
        ]
    )
    check = _contract().check(graph, verbose=False)
    assert not check.kept
    [cycle] = check.metadata["cycles"]
    assert cycle["modules"] == ["app.cases.service", "app.review.start"]
    assert sorted(cycle["imports"]) == [
        ("app.cases.service", "app.review.start", "1"),
        ("app.review.start", "app.cases.service", "2"),
    ]


def test_imports_that_only_point_down_keep_the_contract() -> None:
    graph = _graph([("app.cases.service", "app.review.start"), ("app.review.start", "app.core")])
    assert _contract().check(graph, verbose=False).kept
