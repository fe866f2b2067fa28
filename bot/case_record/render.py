"""A case record (bot.case_record.gather's plain data) as JSON, Markdown or a Word document (pure).

Every renderer shows the same fields in the same order; lists of records become tables. Nothing is
looked up here: what is written is exactly what the record holds.
"""

from __future__ import annotations

import io
import json
from typing import Any

from docx import Document

Record = dict[str, Any]

TITLES = {
    "stage_history": "Stage history",
    "events": "Events",
    "deadlines": "Deadlines",
    "checklist": "Checklist",
    "returns": "Agency returns",
    "decision": "Decision",
    "signoffs": "Sign-offs",
    "meetings": "Meetings",
    "key_practice_episodes": "Key practice episodes",
    "findings": "Findings",
    "family_participation": "Family participation",
    "holds": "Holds from parallel proceedings",
    "review_plan": "Review plan",
    "actions": "Actions",
    "audit": "Audit log",
}
HEAD = ("reference", "nation", "ruleset", "stage")


def as_json(records: list[Record], *, single: bool) -> str:
    """One object for one case (REF), an array for ``--all``."""
    return json.dumps(records[0] if single else records, indent=2, ensure_ascii=False) + "\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k} {_cell(v)}" for k, v in value.items())
    return str(value).replace("\n", " ").replace("|", "/")


def _sections(record: Record) -> list[tuple[str, list[str], list[list[str]], list[str]]]:
    """(title, table header, table rows, lines) per section, in record order."""
    out = []
    for key, title in TITLES.items():
        value = record[key]
        if isinstance(value, dict):
            rows = [[k, _cell(v)] for k, v in value.items()]
            out.append((title, ["", ""], rows, [] if rows else ["None recorded."]))
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            header = list(value[0])
            out.append((title, header, [[_cell(v.get(h)) for h in header] for v in value], []))
        elif isinstance(value, list):
            out.append((title, [], [], [f"{n}. {_cell(v)}" for n, v in enumerate(value, 1)] or ["None."]))
        else:
            out.append((title, [], [], ["None recorded."]))
    return out


def as_markdown(records: list[Record]) -> str:
    lines: list[str] = []
    for record in records:
        lines.append(f"# Case record {record['reference']}")
        lines.append("")
        lines += [f"- **{key}**: {_cell(record[key])}" for key in HEAD]
        for title, header, rows, text in _sections(record):
            lines += ["", f"## {title}", ""]
            if rows:
                lines.append("| " + " | ".join(h or " " for h in header) + " |")
                lines.append("|" + "---|" * len(header))
                lines += ["| " + " | ".join(row) + " |" for row in rows]
            lines += text
        lines.append("")
    return "\n".join(lines) + "\n"


def as_docx(records: list[Record]) -> bytes:
    document = Document()
    for index, record in enumerate(records):
        if index:
            document.add_page_break()
        document.add_heading(f"Case record {record['reference']}", level=1)
        for key in HEAD:
            document.add_paragraph(f"{key}: {_cell(record[key])}")
        for title, header, rows, text in _sections(record):
            document.add_heading(title, level=2)
            if rows:
                table = document.add_table(rows=1, cols=len(header))
                table.style = "Table Grid"
                for cell, name in zip(table.rows[0].cells, header, strict=True):
                    cell.text = name
                for row in rows:
                    for cell, value in zip(table.add_row().cells, row, strict=True):
                        cell.text = value
            for line in text:
                document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
