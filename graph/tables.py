"""The data tables: their columns, what each column states, and reading them with file:line:column.

A table is a CSV file named after its kind (``pairings.csv``) anywhere under the data
directory; files of the same kind in several folders (``reference/``, ``case/``,
``curated/``) are read as one table.  ``TABLES`` below is the whole schema: the
build reads nothing it does not describe, rejects what it does not expect, and
states each value with the predicate and datatype its column declares.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field, replace
from pathlib import Path

from .config import DCTERMS, ELI, GEO, OWL, PA, PROV, RDF, RDFS, SKOS, TIME, XSD
from .errors import DataProblem

TYPE = RDF + "type"
LABEL = RDFS + "label"
LIST = ";"  # separates the values of a cell that holds several


@dataclass(frozen=True)
class Column:
    """One column: how its values are checked, and what each value states about its row's entity.

    ``kind`` says how a value is checked and which RDF term it becomes:

    - text, gbcode, int, decimal, bool: a literal, tagged ``lang`` or typed ``datatype``;
    - wkt: a point as GeoSPARQL WKT ("POINT (longitude latitude)", CRS84), a ``geo:wktLiteral``;
    - year: the OWL-Time instant of the year, or with a ``datatype`` (xsd:gYear) a literal;
    - date: a literal typed by its precision (xsd:gYear, xsd:gYearMonth, xsd:date); with a
      ``datatype``, only dates of that precision are stated;
    - enum: the concept of vocabulary ``target[0]``; with a ``datatype``, the code itself as a literal;
    - ref: the entity a value names, of one of the kinds in ``target``;
    - id: the row's own id (stated by being the subject).

    Each term is stated as ``entity predicate term`` (and ``entity also term``) and as
    ``term inverse entity``; a column with none of the three is only checked, or is used by a
    special case in ``graph/build.py``.  ``separator`` splits a cell into several values.

    ``attributed_by`` names a column of sources (a ``;`` list) that give this column's values: each
    triple the column states is then also stated as an ``rdf:Statement`` node derived from those
    sources (the qualified pattern of the ontology's comment), ``{base}fact/{id}-{column}-{n}``.
    """

    name: str
    kind: str = "text"
    required: bool = False
    target: tuple[str, ...] = ()
    predicate: str = ""
    also: str = ""
    inverse: str = ""
    datatype: str = ""
    lang: str = ""
    separator: str = ""
    attributed_by: str = ""


@dataclass(frozen=True)
class Table:
    """One kind of table: what its ids name, what every row's entity is, and its columns.

    The builder states a row's own ``columns`` as declared, then its ``provenance`` (sources,
    confidence, note), whose confidence and note it states only for a row that names its sources.
    Tables of relations without ids (memberships, links) are stated by special cases.
    """

    kind: str  # the entity kind of its ids; "" for a table of relations without ids
    columns: tuple[Column, ...]
    provenance: tuple[Column, ...] = ()
    types: tuple[str, ...] = ()  # classes of every row's entity

    @property
    def all_columns(self) -> tuple[Column, ...]:
        """Every column a file of this table may have."""
        return self.columns + self.provenance


ID = Column("id", "id", required=True)
LABELS = (
    Column("label_zh", required=True, predicate=LABEL, lang="zh-Hans"),
    Column("label_en", required=True, predicate=LABEL, lang="en"),
)
NOTE = Column("note", predicate=SKOS + "note", lang="en")
CONFIDENCE = Column("confidence", "enum", target=("confidence",), predicate=PA + "confidence")
SOURCES = Column("sources", "ref", True, ("source",), predicate=PROV + "wasDerivedFrom", separator=LIST)
PROVENANCE = (SOURCES, CONFIDENCE, NOTE)
START_YEAR = Column("start_year", "year", predicate=TIME + "hasBeginning")
END_YEAR = Column("end_year", "year", predicate=TIME + "hasEnd")
# where a year comes from; a year given without one is `stated` (graph/build.py states it)
START_BASIS = Column("start_basis", "enum", target=("year-basis",), predicate=PA + "startBasis")
END_BASIS = Column("end_basis", "enum", target=("year-basis",), predicate=PA + "endBasis")


def attributed(column: Column, sources: str) -> Column:
    """``column``, its values given by the sources of the column ``sources`` (see ``Column``)."""
    return replace(column, attributed_by=sources)


def sources_of(name: str) -> Column:
    """A column of sources that give another column's values; they are also the row's sources."""
    return Column(name, "ref", target=("source",), predicate=PROV + "wasDerivedFrom", separator=LIST)


BATCH = Column("batch", "int", predicate=PA + "batchNumber", datatype=XSD + "integer")
DATE = Column("date", "date", predicate=PA + "date")
DATE_NOTE = Column("date_note", predicate=PA + "dateNote", lang="en")
SUMMARY = Column("summary_en", predicate=DCTERMS + "description", lang="en")
# our own Chinese summary: a translation of summary_en (no fact that summary_en does not give)
SUMMARY_ZH = Column("summary_zh", predicate=DCTERMS + "description", lang="zh-Hans")
AUTHORIZES = Column(
    "authorizes", "ref", target=("programme", "pairing", "instrument"), predicate=PA + "authorizes", separator=LIST
)
ILLUSTRATES = Column("illustrates", "enum", target=("theory",), predicate=PA + "illustrates", separator=LIST)
EVIDENCE = Column("evidence", "ref", target=("evidence",), predicate=PA + "evidence", separator=LIST)

TABLES: dict[str, Table] = {
    "sources": Table(
        "source",
        types=(PA + "Source",),
        columns=(
            ID,
            Column("title", required=True, predicate=DCTERMS + "title", also=LABEL),
            Column("url", predicate=PA + "url", datatype=XSD + "anyURI"),
            Column("citation", predicate=DCTERMS + "bibliographicCitation"),
            Column("publisher", predicate=DCTERMS + "publisher"),
            Column("kind", "enum", True, ("source-kind",), predicate=PA + "sourceKind"),
            Column("date", "date", predicate=DCTERMS + "issued"),
            Column("original_outlet", predicate=PA + "originalOutlet"),
            Column("accessed", "date", predicate=PA + "accessed", datatype=XSD + "date"),
            NOTE,
        ),
    ),
    "programmes": Table(
        "programme",
        types=(PA + "Programme",),
        provenance=PROVENANCE,
        columns=(
            ID,
            *LABELS,
            Column("target_region", predicate=PA + "targetRegion", lang="en"),
            START_YEAR,
            END_YEAR,
            START_BASIS,
            END_BASIS,
            Column("launched_by", predicate=PA + "launchedBy", lang="en"),
            Column("mode", "enum", True, ("mode",), predicate=PA + "mode", separator=LIST),
            Column("fields", "enum", True, ("field",), predicate=PA + "field", separator=LIST),
            Column("replaced_by", "ref", target=("programme",), predicate=PA + "replacedBy", inverse=PA + "replaces"),
        ),
    ),
    "actors": Table(
        "actor",
        provenance=(SOURCES, replace(CONFIDENCE, required=True), NOTE),
        columns=(
            ID,
            *(attributed(label, "label_sources") for label in LABELS),
            Column("kind", "enum", True, ("actor-kind",), predicate=TYPE),
            Column("level", "enum", target=("level",), predicate=PA + "adminLevel", separator=LIST),
            attributed(Column("parent", "ref", target=("actor",), predicate=PA + "parentRegion"), "parent_sources"),
            attributed(Column("gb_code", "gbcode", predicate=PA + "gbCode"), "code_sources"),
            attributed(
                Column("alt_labels_zh", predicate=SKOS + "altLabel", lang="zh-Hans", separator=LIST),
                "alt_label_sources",
            ),
            sources_of("label_sources"),
            sources_of("alt_label_sources"),
            sources_of("parent_sources"),
            sources_of("code_sources"),
            Column("pseudonym", predicate=PA + "pseudonym"),
            Column("role_zh", predicate=PA + "role", lang="zh-Hans"),
            Column("role_en", predicate=PA + "role", lang="en"),
            Column("side", "enum", target=("side",), predicate=PA + "side", separator=LIST),
            Column("member_count", "int", predicate=PA + "memberCount", datatype=XSD + "integer"),
        ),
    ),
    "pairings": Table(
        "pairing",
        types=(PA + "Pairing",),
        provenance=PROVENANCE,
        columns=(
            ID,
            Column("kind", "enum", target=("pairing-kind",), predicate=TYPE),
            Column("programme", "ref", target=("programme",), predicate=PA + "programme"),
            Column("supporter", "ref", True, ("actor",), predicate=PA + "supporter"),
            Column("recipient", "ref", True, ("actor",), predicate=PA + "recipient"),
            Column("supporter_detail", predicate=PA + "supporterDetail", lang="zh-Hans"),
            Column("supporter_detail_en", predicate=PA + "supporterDetail", lang="en"),
            Column("fields", "enum", True, ("field",), predicate=PA + "field", separator=LIST),
            Column("mode", "enum", True, ("mode",), predicate=PA + "mode", separator=LIST),
            START_YEAR,
            END_YEAR,
            START_BASIS,
            END_BASIS,
            Column("parent", "ref", target=("pairing",), predicate=PA + "parentPairing"),
            BATCH,
        ),
    ),
    "teams": Table(
        "actor",
        types=(PA + "Team",),
        provenance=PROVENANCE,
        columns=(
            ID,
            *LABELS,
            Column("pairing", "ref", True, ("pairing",), predicate=PA + "underPairing"),
            Column("sent_by", "ref", target=("actor",), predicate=PA + "sentBy"),
            BATCH,
            Column("members", "ref", target=("actor",), separator=LIST),
        ),
    ),  # stated as memberships
    "memberships": Table(
        "",
        provenance=PROVENANCE,
        columns=(  # stated as memberships
            Column("member", "ref", True, ("actor",)),
            Column("organisation", "ref", True, ("actor",)),
            Column("role_zh"),
            Column("role_en"),
        ),
    ),
    "instruments": Table(
        "instrument",
        provenance=PROVENANCE,
        columns=(
            ID,
            *LABELS,
            Column("kind", "enum", True, ("instrument-kind",), predicate=TYPE),
            Column("type", "enum", target=("instrument-type",), predicate=TYPE),
            Column("form", "enum", target=("form",), predicate=PA + "documentForm", separator=LIST),
            Column("issuers", "ref", target=("actor",), predicate=PA + "issuedBy", separator=LIST),
            Column("issuer_text", predicate=PA + "issuerText"),
            DATE,
            DATE_NOTE,
            Column("doc_number", predicate=PA + "documentNumber"),
            Column("parties", "ref", target=("actor",), inverse=PA + "partyTo", separator=LIST),
            Column("governs", "ref", target=("programme", "pairing"), predicate=PA + "governs", separator=LIST),
            AUTHORIZES,
            SUMMARY,
            SUMMARY_ZH,
            Column("in_force_from", "date", predicate=ELI + "first_date_entry_in_force"),
            Column("in_force_until", "date", predicate=ELI + "date_no_longer_in_force"),
        ),
    ),
    "provisions": Table(
        "provision",
        types=(PA + "Provision",),
        provenance=PROVENANCE,
        columns=(
            ID,
            Column("instrument", "ref", True, ("instrument",), predicate=ELI + "is_part_of", inverse=ELI + "has_part"),
            *LABELS,
            Column("article", required=True, predicate=ELI + "number"),
            DATE,
            DATE_NOTE,
            SUMMARY,
            SUMMARY_ZH,
            AUTHORIZES,
        ),
    ),
    "links": Table(
        "",
        provenance=PROVENANCE,
        columns=(  # each row states subject-predicate-object
            Column("subject", "ref", True, ("instrument", "provision")),
            Column("predicate", "enum", True, ("link",)),
            Column("object", "ref", True, ("programme", "pairing", "instrument")),
        ),
    ),
    "evidence": Table(
        "evidence",
        types=(PA + "Evidence",),
        provenance=PROVENANCE,
        columns=(
            ID,
            Column("code", required=True, predicate=PA + "evidenceCode"),
            Column("kind", "enum", True, ("evidence-kind",), predicate=PA + "evidenceKind", datatype=XSD + "string"),
            Column("speaker", "ref", target=("actor",), predicate=PA + "speaker"),
            Column("quote_zh", required=True, predicate=PA + "quote", lang="zh-Hans"),
            SUMMARY,
            ILLUSTRATES,
            Column(
                "about",
                "ref",
                target=("pairing", "actor", "instrument", "programme"),
                inverse=PA + "evidence",
                separator=LIST,
            ),
        ),
    ),
    "alliances": Table(
        "alliance",
        types=(PA + "MicroAlliance",),
        provenance=PROVENANCE,
        columns=(
            ID,
            Column("kind", "enum", True, ("alliance-kind",), predicate=TYPE),
            *LABELS,
            Column("members", "ref", True, ("actor",), predicate=PA + "allianceMember", separator=LIST),
            ILLUSTRATES,
            EVIDENCE,
        ),
    ),
    "emotions": Table(
        "expression",
        types=(PA + "EmotionalExpression",),
        provenance=PROVENANCE,
        columns=(
            ID,
            Column("expressed_by", "ref", True, ("actor",), predicate=PA + "expressedBy"),
            Column("stage", "enum", True, ("stage",), predicate=PA + "stage", also=PA + "illustrates"),
            Column("discourse_zh", required=True, predicate=PA + "discourse", lang="zh-Hans"),
            Column("discourse_en", required=True, predicate=PA + "discourse", lang="en"),
            Column("setting_zh", predicate=PA + "setting", lang="zh-Hans"),
            EVIDENCE,
        ),
    ),
    "identifications": Table(
        "identification",
        types=(PA + "Identification",),
        provenance=(SOURCES, replace(CONFIDENCE, required=True), NOTE),
        columns=(
            ID,
            Column("pseudonymous", "ref", True, ("actor",), predicate=PA + "pseudonymousActor"),
            Column("identified_as", "ref", True, ("actor",), predicate=PA + "identifiedAs"),
            Column("reasons_en", required=True, predicate=PA + "reason", lang="en", separator="|"),
        ),
    ),
    "figures": Table(
        "figure",
        types=(PA + "Figure",),
        provenance=PROVENANCE,
        columns=(
            ID,
            Column("subject", "ref", True, ("pairing", "programme", "actor"), predicate=PA + "figureOf"),
            Column("measure", "enum", True, ("measure",), predicate=PA + "measure"),
            Column("value", "decimal", True, predicate=PA + "value", datatype=XSD + "decimal"),
            Column("at_least", "bool", predicate=PA + "atLeast", datatype=XSD + "boolean"),
            Column("since_year", "year", predicate=PA + "sinceYear", datatype=XSD + "gYear"),
            Column("as_of_year", "year", predicate=PA + "asOfYear", datatype=XSD + "gYear"),
            Column("approximate", "bool", predicate=PA + "approximate", datatype=XSD + "boolean"),
            Column("period_note", predicate=PA + "periodNote", lang="en"),
            Column("scope_en", predicate=PA + "scope", lang="en"),
        ),
    ),
    # an actor merged into another: its old IRI keeps only owl:sameAs and dcterms:isReplacedBy, each
    # derived from the row's sources (as rdf:Statement nodes); confidence and note are only checked
    "merges": Table(
        "actor",
        columns=(
            ID,
            attributed(
                Column("into", "ref", True, ("actor",), predicate=OWL + "sameAs", also=DCTERMS + "isReplacedBy"),
                "sources",
            ),
            replace(SOURCES, predicate=""),
            replace(CONFIDENCE, predicate=""),
            replace(NOTE, predicate=""),
        ),
    ),
    "coverage": Table(
        "coverage",
        types=(PA + "CoverageStatement",),
        provenance=(SOURCES, CONFIDENCE, NOTE),
        columns=(
            ID,
            Column("programme", "ref", True, ("programme",), predicate=PA + "coverageOf"),
            Column("statement_zh", predicate=PA + "statement", lang="zh-Hans"),
            Column("statement_en", required=True, predicate=PA + "statement", lang="en"),
            Column("stated_supporters", "int", predicate=PA + "statedSupporters", datatype=XSD + "integer"),
            Column("stated_recipients", "int", predicate=PA + "statedRecipients", datatype=XSD + "integer"),
            Column("recipient_units_en", predicate=PA + "recipientUnits", lang="en"),
        ),
    ),
    "gaps": Table(
        "gap",
        types=(PA + "KnownGap",),
        provenance=(replace(SOURCES, required=False),),
        columns=(
            ID,
            Column(
                "about",
                "ref",
                target=("programme", "pairing", "actor", "instrument"),
                predicate=PA + "gapAbout",
                separator=LIST,
            ),
            Column("label_zh", predicate=LABEL, lang="zh-Hans"),
            Column("label_en", required=True, predicate=LABEL, lang="en"),
            NOTE,
        ),
    ),
    # where actors are: one representative point each (tools/import_points.py), stated in GeoSPARQL as the
    # geometry {base}geometry/{actor} of the actor (graph/build.py: state_point)
    "points": Table(
        "",
        provenance=PROVENANCE,
        columns=(
            Column("actor", "ref", True, ("actor",)),
            Column("wkt", "wkt", True, predicate=GEO + "asWKT", datatype=GEO + "wktLiteral"),
            Column("basis", "enum", True, ("point-basis",), predicate=PA + "pointBasis"),
            Column("placed_in", "ref", target=("actor",), predicate=PA + "placedIn"),
            Column("gazetteer_code", "gbcode", predicate=PA + "gazetteerCode"),
            Column("gazetteer_name", predicate=PA + "gazetteerName", lang="zh-Hans"),
        ),
    ),
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

    def split(self, name: str, separator: str = LIST) -> list[str]:
        return [v.strip() for v in self.get(name).split(separator) if v.strip()]

    def problem(self, column: str, message: str) -> DataProblem:
        return DataProblem(self.path, self.line, self.columns.get(column, 0), column, message)


def read_table(path: Path, table: str, shown_as: str, problems: list[DataProblem]) -> list[Row]:
    """Read one CSV file of ``table``, checking its header against the schema."""
    columns = TABLES[table].all_columns
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
                    problems.append(
                        DataProblem(shown_as, line, 0, "", f"{len(record)} fields where the header has {len(header)}")
                    )
                    continue
                rows.append(Row(table, shown_as, line, dict(zip(header, record, strict=True)), positions))
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
