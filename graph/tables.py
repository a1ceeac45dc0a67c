"""The data tables: their columns, and reading them with file:line:column for every value.

A table is a CSV file named after its kind (``pairings.csv``) anywhere under the data
directory; files of the same kind in several folders (``reference/``, ``case/``,
``curated/``) are read as one table.  ``TABLES`` below is the whole schema: the
build reads nothing it does not describe, and rejects what it does not expect.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataProblem


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"          # text | id | year | date | int | decimal | bool | enum | ref | refs
    required: bool = False
    target: tuple[str, ...] = ()  # for ref/refs: the entity kinds a value may name; for enum: the vocabulary


def C(name: str, kind: str = "text", required: bool = False, *target: str) -> Column:
    return Column(name, kind, required, tuple(target))


PROVENANCE = (C("sources", "refs", True, "source"), C("confidence", "enum", False, "confidence"), C("note"))

TABLES: dict[str, tuple[str, tuple[Column, ...]]] = {
    # table name: (entity kind of its ids, columns)
    "sources": ("source", (C("id", "id", True), C("title", "text", True), C("url"), C("citation"), C("publisher"),
                           C("kind", "text", True), C("accessed", "date"), C("note"))),
    "programmes": ("programme", (C("id", "id", True), C("label_zh", "text", True), C("label_en", "text", True),
                                 C("target_region"), C("start_year", "year"), C("end_year", "year"), C("launched_by"),
                                 C("mode", "enum", True, "mode"), C("fields", "enum", True, "field")) + PROVENANCE),
    "actors": ("actor", (C("id", "id", True), C("label_zh", "text", True), C("label_en", "text", True),
                         C("kind", "enum", True, "actor-kind"), C("level", "enum", False, "level"),
                         C("parent", "ref", False, "actor"), C("gb_code", "gbcode"), C("alt_labels_zh"),
                         C("pseudonym"), C("role_zh"), C("role_en"), C("side", "enum", False, "side"),
                         C("member_count", "int")) + PROVENANCE),
    "pairings": ("pairing", (C("id", "id", True), C("kind", "enum", False, "pairing-kind"),
                             C("programme", "ref", False, "programme"), C("supporter", "ref", True, "actor"),
                             C("recipient", "ref", True, "actor"), C("supporter_detail"),
                             C("fields", "enum", True, "field"), C("mode", "enum", True, "mode"),
                             C("start_year", "year"), C("end_year", "year"), C("parent", "ref", False, "pairing"),
                             C("batch", "int")) + PROVENANCE),
    "teams": ("actor", (C("id", "id", True), C("label_zh", "text", True), C("label_en", "text", True),
                        C("pairing", "ref", True, "pairing"), C("sent_by", "ref", False, "actor"), C("batch", "int"),
                        C("members", "refs", False, "actor"))
              + PROVENANCE),
    "memberships": ("", (C("member", "ref", True, "actor"), C("organisation", "ref", True, "actor"), C("role_zh"),
                         C("role_en")) + PROVENANCE),
    "instruments": ("instrument", (C("id", "id", True), C("label_zh", "text", True), C("label_en", "text", True),
                                   C("kind", "enum", True, "instrument-kind"), C("type", "enum", False, "instrument-type"),
                                   C("form", "enum", False, "form"), C("issuers", "refs", False, "actor"),
                                   C("issuer_text"), C("date", "date"), C("date_note"), C("doc_number"),
                                   C("parties", "refs", False, "actor"),
                                   C("governs", "refs", False, "programme", "pairing"),
                                   C("authorizes", "refs", False, "programme", "pairing", "instrument"),
                                   C("summary_en")) + PROVENANCE),
    "provisions": ("provision", (C("id", "id", True), C("instrument", "ref", True, "instrument"),
                                 C("label_zh", "text", True), C("label_en", "text", True), C("article", "text", True),
                                 C("date", "date"), C("date_note"), C("summary_en"),
                                 C("authorizes", "refs", False, "programme", "pairing", "instrument")) + PROVENANCE),
    "links": ("", (C("subject", "ref", True, "instrument", "provision"), C("predicate", "enum", True, "link"),
                   C("object", "ref", True, "programme", "pairing", "instrument")) + PROVENANCE),
    "evidence": ("evidence", (C("id", "id", True), C("code", "text", True), C("kind", "enum", True, "evidence-kind"),
                              C("speaker", "ref", False, "actor"), C("quote_zh", "text", True), C("summary_en"),
                              C("illustrates", "enum", False, "theory"),
                              C("about", "refs", False, "pairing", "actor", "instrument", "programme"))
                 + PROVENANCE),
    "alliances": ("alliance", (C("id", "id", True), C("kind", "enum", True, "alliance-kind"),
                               C("label_zh", "text", True), C("label_en", "text", True),
                               C("members", "refs", True, "actor"), C("illustrates", "enum", False, "theory"),
                               C("evidence", "refs", False, "evidence")) + PROVENANCE),
    "emotions": ("expression", (C("id", "id", True), C("expressed_by", "ref", True, "actor"),
                                C("stage", "enum", True, "stage"), C("discourse_zh", "text", True),
                                C("discourse_en", "text", True), C("setting_zh"),
                                C("evidence", "refs", False, "evidence")) + PROVENANCE),
    "identifications": ("identification", (C("id", "id", True), C("pseudonymous", "ref", True, "actor"),
                                           C("identified_as", "ref", True, "actor"),
                                           C("confidence", "enum", True, "confidence"), C("reasons_en", "text", True),
                                           C("sources", "refs", True, "source"), C("note"))),
    "figures": ("figure", (C("id", "id", True), C("subject", "ref", True, "pairing", "programme"),
                           C("measure", "enum", True, "measure"), C("value", "decimal", True), C("at_least", "bool"),
                           C("since_year", "year"), C("as_of_year", "year")) + PROVENANCE),
}
# Tables are read in this order, so that what a row refers to is usually defined above it.
ORDER = tuple(TABLES)


@dataclass
class Row:
    """One data row: its values by column, and where each came from."""

    table: str
    path: str
    line: int
    values: dict[str, str]
    columns: dict[str, int] = field(default_factory=dict)

    def get(self, name: str) -> str:
        return self.values.get(name, "").strip()

    def split(self, name: str) -> list[str]:
        return [v.strip() for v in self.get(name).split(";") if v.strip()]

    def problem(self, column: str, message: str) -> DataProblem:
        return DataProblem(self.path, self.line, self.columns.get(column, 0), column, message)


def read_table(path: Path, table: str, shown_as: str, problems: list[DataProblem]) -> list[Row]:
    """Read one CSV file of ``table``, checking its header against the schema."""
    _, columns = TABLES[table]
    known = {c.name for c in columns}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except StopIteration:
            problems.append(DataProblem(shown_as, 1, 0, "", "empty file: a header row is required"))
            return []
        except csv.Error as exc:
            problems.append(DataProblem(shown_as, reader.line_num or 1, 0, "", f"not valid CSV: {exc}"))
            return []
        header = [h.strip() for h in header]
        positions = {name: i + 1 for i, name in enumerate(header)}
        for i, name in enumerate(header):
            if name not in known:
                problems.append(DataProblem(shown_as, 1, i + 1, name, f"unknown column '{name}' in a {table} table"))
        for col in columns:
            if col.required and col.name not in positions:
                problems.append(DataProblem(shown_as, 1, 0, col.name, f"missing column '{col.name}'"))
        rows: list[Row] = []
        start = 2
        try:
            for record in reader:
                line = start
                start = reader.line_num + 1
                if not any(cell.strip() for cell in record):
                    continue
                if len(record) != len(header):
                    problems.append(DataProblem(shown_as, line, 0, "",
                                                f"{len(record)} fields where the header has {len(header)}"))
                    continue
                rows.append(Row(table, shown_as, line, dict(zip(header, record)), positions))
        except csv.Error as exc:
            problems.append(DataProblem(shown_as, reader.line_num, 0, "", f"not valid CSV: {exc}"))
        return rows


def find_tables(data_dir: Path) -> dict[str, list[Path]]:
    """Every table file under ``data_dir`` by table name, in a stable order (build output excluded)."""
    found: dict[str, list[Path]] = {name: [] for name in TABLES}
    for path in sorted(data_dir.rglob("*.csv")):
        if "build" in path.relative_to(data_dir).parts[:-1]:
            continue
        if path.stem in found:
            found[path.stem].append(path)
    return found
