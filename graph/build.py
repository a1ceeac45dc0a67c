"""Build the knowledge graph from the data tables.

``build(data_dir)`` reads every table, checks every value, and returns the quads of
two named graphs (the ontology and the data) with a dataset version computed from
their content.  It raises :class:`BuildError` listing every bad value with its
file, line and column; nothing is written unless the whole build succeeds, and
``write_build`` / ``graph.versions.write_store`` replace their target atomically.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import geo
from .config import DCTERMS, GEO, ORG, PA, PROV, RDF, RDFS, SF, TIME, XSD, base_iri, graph_names
from .errors import BuildError, DataProblem
from .formats import write_rdf
from .tables import CONFIDENCE, NOTE, ORDER, SOURCES, TABLES, Column, Row, find_tables, read_table
from .vocab import HARD_TYPES, ontology_quads, vocabularies

# a caller's progress bar, told (what is being done, how much is done, of how much or None if unknown)
Progress = Callable[[str, int, "int | None"], None]
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
YEAR_RANGE = (1900, 2100)
DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
DATE_TYPES = {4: XSD + "gYear", 7: XSD + "gYearMonth", 10: XSD + "date"}  # by the length of a valid date
GBCODE_PATTERN = re.compile(r"^\d{6}$")
PATHS = {
    "source": "source",
    "programme": "programme",
    "actor": "actor",
    "pairing": "pairing",
    "instrument": "instrument",
    "provision": "provision",
    "evidence": "evidence",
    "alliance": "alliance",
    "expression": "expression",
    "identification": "identification",
    "figure": "figure",
    "membership": "membership",
    "coverage": "coverage",
    "gap": "gap",
    "geometry": "geometry",  # an actor's point (the points table: geo:hasGeometry)
    "fact": "fact",  # rdf:Statement nodes: which sources give one triple (see Column.attributed_by)
}
EVIDENCE_KINDS = {"interview": ("访谈资料", "Interview material"), "case-record": ("个事案例", "Case record")}
FICTION = "fiction-forum"  # the source kind a fact may not rest on alone above confidence low
# the form of a GB/T 2260 code at each level that has one: (test, what the form is)
CODE_FORMS: dict[str, tuple[Callable[[str], bool], str]] = {
    "province": (lambda c: c.endswith("0000"), "XX0000"),
    "municipality": (lambda c: c.endswith("0000"), "XX0000"),
    "prefecture": (lambda c: c.endswith("00") and not c.endswith("0000"), "XXYY00, not XX0000"),
    "city": (lambda c: c.endswith("00") and not c.endswith("0000"), "XXYY00, not XX0000"),
    "county": (lambda c: not c.endswith("00"), "XXYYZZ with ZZ not 00"),
    "district": (lambda c: not c.endswith("00"), "XXYYZZ with ZZ not 00"),
    "county-city": (lambda c: not c.endswith("00"), "XXYYZZ with ZZ not 00"),
}
COUNTY_LEVELS = ("county", "district", "county-city")
COUNTY_PARENT_LEVELS = ("prefecture", "city", "municipality")  # and province, for a code XX90ZZ

A = ox.NamedNode(RDF + "type")
LABEL = ox.NamedNode(RDFS + "label")

Term = ox.NamedNode | ox.Literal
Found = dict[str, list[Term]]  # the terms of a row's cells, by column


def node(term: Term) -> ox.NamedNode:
    """A term that names an entity or a concept, as every term of a ref or enum value does."""
    assert isinstance(term, ox.NamedNode), term
    return term


def valid_year(value: str) -> bool:
    """Whether ``value`` is a year the tables accept: four digits within YEAR_RANGE."""
    return bool(re.fullmatch(r"\d{4}", value)) and YEAR_RANGE[0] <= int(value) <= YEAR_RANGE[1]


def wkt_problem(value: str) -> str | None:
    """What is wrong with a point in WKT, or None: it must be a POINT in CRS84, longitude first and in
    range (``graph.geo``).

    >>> wkt_problem("POINT (87.6 43.8)") is None
    True
    >>> wkt_problem("POINT (43.8 187.6)")
    "bad point 'POINT (43.8 187.6)': latitude 187.6 is outside -90…90 (expected POINT (longitude latitude))"
    """
    try:
        geo.check_point(*geo.parse_wkt(value))
    except ValueError as exc:
        return f"bad point '{value}': {exc} (expected POINT (longitude latitude))"
    return None


def date_type(value: str) -> str | None:
    """The XSD datatype of a YYYY, YYYY-MM or YYYY-MM-DD date, or None if ``value`` is not one."""
    m = DATE_PATTERN.match(value)
    if not m:
        return None
    month, day = m.group(2), m.group(3)
    if (month is None or 1 <= int(month) <= 12) and (day is None or 1 <= int(day) <= 31):
        return DATE_TYPES[len(value)]
    return None


@dataclass
class Build:
    """The result of a build: the quads, the dataset version and how many triples are data."""

    quads: list[ox.Quad]
    version: str
    data_triples: int
    base: str

    def nquads(self) -> bytes:
        return write_rdf(self.quads, ox.RdfFormat.N_QUADS)


class _Builder:
    """Reads the tables, checks every value, and states each row as its table's declarations say."""

    def __init__(self, data_dir: Path, base: str):
        self.data_dir = data_dir
        self.base = base
        self.vocab = vocabularies()
        self.graph = graph_names(base)["data"]
        self.problems: list[DataProblem] = []
        self.quads: list[ox.Quad] = []
        self.ids: dict[str, tuple[str, Row]] = {}  # id -> (entity kind, defining row)
        self.years: set[int] = set()
        self.skipped: set[int] = set()  # rows whose id is bad or taken: checked, not emitted
        self.codes: dict[str, Row] = {}  # gb_code -> the first actor row that has it
        self.located: dict[str, int] = {}  # actor id -> the line of its point

    # ---- helpers --------------------------------------------------------------
    def iri(self, kind: str, ident: str) -> ox.NamedNode:
        return ox.NamedNode(f"{self.base}{PATHS[kind]}/{ident}")

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: Term) -> None:
        self.quads.append(ox.Quad(s, p, o, self.graph))

    def labels(self, s: ox.NamedNode, zh: str, en: str) -> None:
        self.add(s, LABEL, ox.Literal(zh, language="zh-Hans"))
        self.add(s, LABEL, ox.Literal(en, language="en"))

    def ref(self, row: Row, column: str, value: str, kinds: tuple[str, ...]) -> ox.NamedNode | None:
        """The IRI of the entity ``value`` names if it is of one of ``kinds``; else report it."""
        found = self.ids.get(value)
        if found is None or found[0] not in kinds:
            what = " or ".join(kinds)
            self.problems.append(row.problem(column, f"unknown {what} '{value}'"))
            return None
        if found[1].table == "merges" and row.table != "merges":
            into = found[1].get("into")
            self.problems.append(row.problem(column, f"actor '{value}' was merged into '{into}': name '{into}'"))
            return None
        if found[1].table == "merges" and column == "into":
            self.problems.append(row.problem(column, f"'{value}' is itself merged (into '{found[1].get('into')}')"))
            return None
        return self.iri(found[0], value)

    def enum(self, row: Row, column: str, vocabulary: str, value: str) -> str | None:
        """The concept IRI of ``value`` in ``vocabulary`` ("" for a code without one); else report it."""
        allowed = self.vocab[vocabulary]
        if value not in allowed:
            self.problems.append(
                row.problem(column, f"unknown {column} '{value}' (expected one of: {', '.join(sorted(allowed))})")
            )
            return None
        return allowed[value]

    def check_value(self, row: Row, column: Column) -> None:
        """Report a required value that is missing, or a value not of its column's form."""
        value = row.get(column.name)
        if not value:
            if column.required:
                self.problems.append(row.problem(column.name, f"{column.name} is required"))
            return
        if column.kind == "date" and date_type(value) is None:
            self.problems.append(row.problem(column.name, f"bad date '{value}' (expected YYYY, YYYY-MM or YYYY-MM-DD)"))
        elif column.kind == "int" and not re.fullmatch(r"\d+", value):
            self.problems.append(row.problem(column.name, f"bad number '{value}' (expected a whole number)"))
        elif column.kind == "decimal" and not re.fullmatch(r"\d+(\.\d+)?", value):
            self.problems.append(row.problem(column.name, f"bad number '{value}'"))
        elif column.kind == "bool" and value not in ("true", "false"):
            self.problems.append(row.problem(column.name, f"bad value '{value}' (expected true or false)"))
        elif column.kind == "gbcode" and not GBCODE_PATTERN.match(value):
            self.problems.append(row.problem(column.name, f"bad GB/T 2260 code '{value}' (expected six digits)"))
        elif column.kind == "wkt" and (problem := wkt_problem(value)):
            self.problems.append(row.problem(column.name, problem))
        elif column.kind == "year" and not valid_year(value):
            self.problems.append(
                row.problem(column.name, f"bad year '{value}' (expected four digits, {YEAR_RANGE[0]}-{YEAR_RANGE[1]})")
            )

    def year_instant(self, year: int) -> ox.NamedNode:
        """The OWL-Time instant of a year, ``{base}year/2010``, described once."""
        node = ox.NamedNode(f"{self.base}year/{year:04d}")
        if year not in self.years:
            self.years.add(year)
            self.add(node, A, ox.NamedNode(TIME + "Instant"))
            self.add(
                node, ox.NamedNode(TIME + "inXSDGYear"), ox.Literal(f"{year:04d}", datatype=ox.NamedNode(XSD + "gYear"))
            )
            self.labels(node, f"{year}年", str(year))
        return node

    def label_of(self, ident: str) -> tuple[str, str]:
        """The labels of the row with this id (the id itself where there is none)."""
        known = self.ids.get(ident)
        if known is None:
            return ident, ident
        return known[1].get("label_zh") or ident, known[1].get("label_en") or ident

    # ---- reading ---------------------------------------------------------------
    def read(self) -> dict[str, list[Row]]:
        """Every table's rows; a CSV file that is no table is reported."""
        found = find_tables(self.data_dir)
        for path in sorted(self.data_dir.rglob("*.csv")):
            rel = path.relative_to(self.data_dir)
            if path.stem not in TABLES and "build" not in rel.parts[:-1]:
                self.problems.append(
                    DataProblem(
                        self._shown(path),
                        1,
                        0,
                        "",
                        f"unknown table '{path.stem}' (expected one of: {', '.join(ORDER)})",
                    )
                )
        tables: dict[str, list[Row]] = {}
        for name in ORDER:
            rows: list[Row] = []
            for path in found[name]:
                rows.extend(read_table(path, name, self._shown(path), self.problems))
            tables[name] = rows
        return tables

    def _shown(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.data_dir.parent))
        except ValueError:
            return str(path)

    def register(self, tables: dict[str, list[Row]]) -> None:
        """Check every value and record every id; a row with a bad or taken id is reported and skipped."""
        for name in ORDER:
            table = TABLES[name]
            for row in tables[name]:
                for column in table.all_columns:
                    self.check_value(row, column)
                if not table.kind:
                    continue
                ident = row.get("id")
                if not ident:
                    continue
                if not ID_PATTERN.match(ident):
                    self.problems.append(
                        row.problem(
                            "id",
                            f"bad id '{ident}' (letters, digits, '.', '_' and '-' "
                            f"only, starting with a letter or digit)",
                        )
                    )
                    self.skipped.add(id(row))
                elif ident in self.ids:
                    first = self.ids[ident][1]
                    self.problems.append(
                        row.problem("id", f"duplicate id '{ident}' (first defined at {first.path}:{first.line})")
                    )
                    self.skipped.add(id(row))
                else:
                    self.ids[ident] = (table.kind, row)

    # ---- stating what the declarations say ----------------------------------------
    def terms(self, row: Row, column: Column) -> list[Term]:
        """The RDF terms of a cell, one per value; a value that is bad or names nothing known is left out.

        An empty cell stands for nothing, except in a required ref or enum column of one value: that is
        looked up all the same, and so reported as unknown besides as missing.
        """
        value = row.get(column.name)
        if not value and (column.separator or not column.required or column.kind not in ("ref", "enum")):
            return []
        values = row.split(column.name, column.separator) if column.separator else [value]
        terms = (self.term(row, column, v) for v in values)
        return [t for t in terms if t is not None]

    def term(self, row: Row, column: Column, value: str) -> Term | None:
        """The RDF term of one value, as its column's kind and datatype say (see ``Column``)."""
        datatype = ox.NamedNode(column.datatype) if column.datatype else None
        if column.kind == "ref":
            return self.ref(row, column.name, value, column.target)
        if column.kind == "enum":
            concept = self.enum(row, column.name, column.target[0], value)
            if concept is None:
                return None
            if datatype:  # the code itself, not its concept
                return ox.Literal(value, datatype=datatype)
            return ox.NamedNode(concept) if concept else None
        if column.kind == "year":
            if not valid_year(value):
                return None
            year = int(value)
            return ox.Literal(f"{year:04d}", datatype=datatype) if datatype else self.year_instant(year)
        if column.kind == "date":
            precision = date_type(value)
            if precision is None or column.datatype not in ("", precision):
                return None
            return ox.Literal(value, datatype=ox.NamedNode(precision))
        if column.lang:
            return ox.Literal(value, language=column.lang)
        return ox.Literal(value, datatype=datatype) if datatype else ox.Literal(value)

    def state(self, s: ox.NamedNode, column: Column, terms: list[Term]) -> None:
        """State the terms of one column about ``s`` with the column's predicates."""
        for term in terms:
            if column.predicate:
                self.add(s, ox.NamedNode(column.predicate), term)
            if column.also:
                self.add(s, ox.NamedNode(column.also), term)
            if column.inverse:
                self.add(node(term), ox.NamedNode(column.inverse), s)

    def state_row(self, row: Row) -> None:
        """State one row: its entity's types and columns, its provenance, then its table's special cases."""
        table = TABLES[row.table]
        found = {column.name: self.terms(row, column) for column in table.columns}
        self.check_fiction_only(row)
        if not table.kind:
            RELATIONS[row.table](self, row, found)
            return
        s = self.iri(table.kind, row.get("id"))
        for cls in table.types:
            self.add(s, A, ox.NamedNode(cls))
        for column in table.columns:
            self.state(s, column, found[column.name])
        self.state_provenance(row, s)
        for special in SPECIAL_CASES.get(row.table, ()):
            special(self, row, s, found)

    def state_provenance(self, row: Row, s: ox.NamedNode) -> None:
        """State where a row's facts come from: its sources and, only if it names any, its confidence and
        note (an empty confidence is not looked up)."""
        provenance = TABLES[row.table].provenance
        if not provenance:
            return
        sources, *rest = provenance
        self.state(s, sources, self.terms(row, sources))
        if row.split(sources.name):
            for column in rest:
                if row.get(column.name):
                    self.state(s, column, self.terms(row, column))

    # ---- special cases: what a column declaration cannot say ------------------------
    def check_url_or_citation(self, row: Row, s: ox.NamedNode, found: Found) -> None:
        """A source needs a url or a citation."""
        if not row.get("url") and not row.get("citation"):
            self.problems.append(row.problem("url", "a source needs a url or a citation"))

    def check_period(self, row: Row, s: ox.NamedNode, found: Found) -> None:
        """A period may not end before it starts."""
        start, end = row.get("start_year"), row.get("end_year")
        if valid_year(start) and valid_year(end) and int(start) > int(end):
            self.problems.append(row.problem("end_year", f"end_year {int(end)} is before start_year {int(start)}"))

    def check_not_own_parent(self, row: Row, s: ox.NamedNode, found: Found) -> None:
        """An actor cannot be its own parent."""
        if s in found["parent"]:
            self.problems.append(row.problem("parent", "an actor cannot be its own parent"))

    def check_distinct_partners(self, row: Row, s: ox.NamedNode, found: Found) -> None:
        """A pairing's supporter and recipient are two actors."""
        if found["supporter"] and found["supporter"] == found["recipient"]:
            self.problems.append(
                row.problem("recipient", f"supporter and recipient are the same actor '{row.get('supporter')}'")
            )

    def state_mentorship(self, row: Row, s: ox.NamedNode, found: Found) -> None:
        """A mentorship's supporter is its mentor, and its recipient the mentee."""
        if row.get("kind") == "mentorship":
            for mentor in found["supporter"]:
                self.add(s, ox.NamedNode(PA + "mentor"), mentor)
            for mentee in found["recipient"]:
                self.add(s, ox.NamedNode(PA + "mentee"), mentee)

    def label_pairing(self, row: Row, s: ox.NamedNode, found: Found) -> None:
        """Label a pairing 'supporter → recipient (programme)'."""
        if not (found["supporter"] and found["recipient"]):
            return
        szh, sen = self.label_of(row.get("supporter"))
        rzh, ren = self.label_of(row.get("recipient"))
        if found["programme"]:
            pzh, pen = self.label_of(row.get("programme"))
        elif row.get("kind") == "mentorship":
            pzh, pen = "师徒结对", "mentorship"
        else:
            pzh, pen = "结对", "pairing"
        self.labels(s, f"{szh} → {rzh}（{pzh}）", f"{sen} → {ren} ({pen})")

    def at_team_level(self, row: Row, s: ox.NamedNode, found: Found) -> None:
        """A team sits at the team level of administration."""
        self.add(s, ox.NamedNode(PA + "adminLevel"), ox.NamedNode(PA + "teamLevel"))

    def state_team_members(self, row: Row, s: ox.NamedNode, found: Found) -> None:
        """Each member of a team holds a membership of it (a member that is not known was reported, and
        is left out; a team without an id was reported too)."""
        if not row.get("id"):
            return
        for member in found["members"]:
            member_node = node(member)
            self.state_membership(row, member_node.value.rsplit("/", 1)[-1], member_node, row.get("id"), s, "", "")

    def state_membership_row(self, row: Row, found: Found) -> None:
        """A row of the memberships table: the membership of a member in an organisation, with its role."""
        members, organisations = found["member"], found["organisation"]
        if members and organisations:
            self.state_membership(
                row,
                row.get("member"),
                node(members[0]),
                row.get("organisation"),
                node(organisations[0]),
                row.get("role_zh"),
                row.get("role_en"),
            )

    def state_membership(
        self, row: Row, member_id: str, member: ox.NamedNode, org_id: str, org: ox.NamedNode, role_zh: str, role_en: str
    ) -> None:
        """An org:Membership node ``membership/MEMBER--ORG`` with its member, organisation, role and provenance."""
        m = self.iri("membership", f"{member_id}--{org_id}")
        self.add(member, ox.NamedNode(ORG + "memberOf"), org)
        self.add(m, A, ox.NamedNode(ORG + "Membership"))
        self.add(m, ox.NamedNode(ORG + "member"), member)
        self.add(m, ox.NamedNode(ORG + "organization"), org)
        mzh, men = self.label_of(member_id)
        ozh, oen = self.label_of(org_id)
        self.labels(
            m, f"{mzh}：{ozh}{'（' + role_zh + '）' if role_zh else '成员'}", f"{men}: {role_en or 'member'} of {oen}"
        )
        if role_zh:
            self.add(m, ox.NamedNode(PA + "role"), ox.Literal(role_zh, language="zh-Hans"))
        if role_en:
            self.add(m, ox.NamedNode(PA + "role"), ox.Literal(role_en, language="en"))
        self.state_provenance(row, m)

    def check_type_fits_kind(self, row: Row, s: ox.NamedNode, found: Found) -> None:
        """Constitutions, laws and administrative regulations are hard law; every other type is soft law."""
        typ, kind = row.get("type"), row.get("kind")
        if found["type"] and (typ in HARD_TYPES) != (kind == "hard-law"):
            self.problems.append(row.problem("type", f"type '{typ}' does not fit kind '{kind}'"))

    def state_link(self, row: Row, found: Found) -> None:
        """A row of the links table: the triple 'subject predicate object', and an rdf:Statement node
        ``fact/link-{subject}-{predicate}-{object}`` that gives the row's sources, confidence and note
        to that one triple (the subject also rests on the sources)."""
        if not (found["subject"] and found["predicate"] and found["object"]):
            return
        subject, predicate, obj = node(found["subject"][0]), node(found["predicate"][0]), found["object"][0]
        self.add(subject, predicate, obj)
        self.state(subject, SOURCES, self.terms(row, SOURCES))
        fact = self.iri("fact", f"link-{row.get('subject')}-{row.get('predicate')}-{row.get('object')}")
        self.add(fact, A, ox.NamedNode(RDF + "Statement"))
        self.add(fact, ox.NamedNode(RDF + "subject"), subject)
        self.add(fact, ox.NamedNode(RDF + "predicate"), predicate)
        self.add(fact, ox.NamedNode(RDF + "object"), obj)
        for column in (SOURCES, CONFIDENCE, NOTE):
            self.state(fact, column, self.terms(row, column))

    def state_point(self, row: Row, found: Found) -> None:
        """A row of the points table: the actor is a ``geo:Feature`` with the geometry
        ``geometry/{actor}``, an ``sf:Point`` whose WKT, basis, gazetteer code or unit, sources and
        confidence the row gives.  One point per actor; a placed-in point names its unit, a gazetteer
        point its code."""
        if not found["actor"]:
            return
        actor, ident = node(found["actor"][0]), row.get("actor")
        if ident in self.located:
            self.problems.append(
                row.problem("actor", f"a second point for actor '{ident}' (the first at line {self.located[ident]})")
            )
            return
        self.located[ident] = row.line
        basis = row.get("basis")
        if basis == "placed-in" and not row.get("placed_in"):
            self.problems.append(row.problem("placed_in", "a placed-in point names the unit it is placed in"))
        if basis == "gazetteer" and not row.get("gazetteer_code"):
            self.problems.append(row.problem("gazetteer_code", "a gazetteer point names the code it is given under"))
        g = self.iri("geometry", ident)
        self.add(actor, A, ox.NamedNode(GEO + "Feature"))
        self.add(actor, ox.NamedNode(GEO + "hasGeometry"), g)
        self.add(actor, ox.NamedNode(GEO + "hasDefaultGeometry"), g)
        self.add(g, A, ox.NamedNode(GEO + "Geometry"))
        self.add(g, A, ox.NamedNode(SF + "Point"))
        zh, en = self.label_of(ident)
        self.labels(g, f"{zh}的坐标点", f"the point of {en}")
        for column in TABLES["points"].columns[1:]:
            self.state(g, column, found[column.name])
        self.state_provenance(row, g)

    def label_evidence(self, row: Row, s: ox.NamedNode, found: Found) -> None:
        """Label a piece of evidence by its kind and id."""
        if found["kind"]:
            zh, en = EVIDENCE_KINDS[row.get("kind")]
            self.labels(s, f"{zh} {row.get('id')}", f"{en} {row.get('id')}")

    def label_expression(self, row: Row, s: ox.NamedNode, found: Found) -> None:
        """Label an emotional expression by who expressed it, front-stage or back-stage."""
        if found["expressed_by"] and found["stage"]:
            zh, en = self.label_of(row.get("expressed_by"))
            front = row.get("stage") == "socialEmotion"
            self.labels(
                s,
                f"{zh}的{'台前' if front else '幕后'}情感表达",
                f"{en}: {'front-stage' if front else 'back-stage'} emotion",
            )

    def label_identification(self, row: Row, s: ox.NamedNode, found: Found) -> None:
        """Label an identification 'pseudonym identified as actor (inference)'."""
        if found["pseudonymous"] and found["identified_as"]:
            pzh, pen = self.label_of(row.get("pseudonymous"))
            rzh, ren = self.label_of(row.get("identified_as"))
            self.labels(s, f"{pzh} 识别为 {rzh}（推断）", f"{pen} identified as {ren} (inference)")

    def label_figure(self, row: Row, s: ox.NamedNode, found: Found) -> None:
        """Label a figure 'subject: measure [≥] value'."""
        if found["subject"] and found["measure"]:
            zh, en = self.label_of(row.get("subject"))
            m, value, more = row.get("measure"), row.get("value"), row.get("at_least") == "true"
            self.labels(s, f"{zh}：{m} {'≥' if more else ''}{value}", f"{en}: {m} {'≥ ' if more else ''}{value}")

    def check_fiction_only(self, row: Row) -> None:
        """A row whose sources are all web fiction or forums (kind fiction-forum) has confidence low."""
        names = {c.name for c in TABLES[row.table].all_columns}
        if not {"sources", "confidence"} <= names or not row.split("sources"):
            return
        kinds = []
        for source in row.split("sources"):
            known = self.ids.get(source)
            if known is None or known[0] != "source":
                return  # reported as unknown
            kinds.append(known[1].get("kind"))
        confidence = row.get("confidence")
        if all(kind == FICTION for kind in kinds) and confidence != "low":
            given = f"not '{confidence}'" if confidence else "none is given"
            self.problems.append(
                row.problem(
                    "confidence", f"every source of this row is of kind {FICTION}: confidence must be low ({given})"
                )
            )

    def check_unique_code(self, row: Row, s: ox.NamedNode, found: Found) -> None:
        """No two actors share a GB/T 2260 code."""
        code = row.get("gb_code")
        if not GBCODE_PATTERN.match(code):
            return
        first = self.codes.setdefault(code, row)
        if first is not row:
            self.problems.append(
                row.problem(
                    "gb_code",
                    f"gb_code '{code}' is also the code of '{first.get('id')}' ({first.path}:{first.line})",
                )
            )

    def check_level_fits_code(self, row: Row, s: ox.NamedNode, found: Found) -> None:
        """An actor's level matches the form of its GB/T 2260 code (province XX0000, prefecture XXYY00, …)."""
        code = row.get("gb_code")
        if not GBCODE_PATTERN.match(code):
            return
        for level in row.split("level"):
            fits, form = CODE_FORMS.get(level, (lambda c: True, ""))
            if not fits(code):
                self.problems.append(
                    row.problem("level", f"level '{level}' does not fit gb_code '{code}' (expected the form {form})")
                )

    def check_county_parent(self, row: Row, s: ox.NamedNode, found: Found) -> None:
        """A county-level actor's parent is at prefecture level (prefecture, city or municipality), or a
        province where the actor's code has 90 in the middle (a county-level unit under the province)."""
        levels = [level for level in row.split("level") if level in COUNTY_LEVELS]
        parent = self.ids.get(row.get("parent"))
        if not levels or not found["parent"] or parent is None:
            return
        allowed = set(COUNTY_PARENT_LEVELS)
        if row.get("gb_code")[2:4] == "90":
            allowed.add("province")
        parent_levels = parent[1].split("level")
        if not allowed & set(parent_levels):
            at = f"level {', '.join(parent_levels)}" if parent_levels else "no level"
            self.problems.append(
                row.problem(
                    "parent",
                    f"a {levels[0]} sits under a prefecture, city or municipality (or a province, for a code "
                    f"XX90ZZ); parent '{row.get('parent')}' is at {at}",
                )
            )

    def state_year_bases(self, row: Row, s: ox.NamedNode, found: Found) -> None:
        """State where each year comes from: a year given with no basis is `stated`.  A pairing with no
        start (end) year takes its programme's, with basis `programme`; with end basis `continued` it
        has no end.  A basis that needs a year it does not have is reported."""
        programme = self.ids.get(row.get("programme")) if row.table == "pairings" and found["programme"] else None
        filled: dict[str, int] = {}
        for which, predicate in (("start", "hasBeginning"), ("end", "hasEnd")):
            year, basis = row.get(f"{which}_year"), row.get(f"{which}_basis")
            column = f"{which}_basis"
            if basis and not found[column]:
                continue  # an unknown basis, reported
            if basis == "continued" and (which == "start" or year):
                message = "only an end can be continued" if which == "start" else f"states no end year, not {year}"
                self.problems.append(row.problem(column, f"{column} 'continued': {message}"))
            elif basis == "programme" and row.table == "programmes":
                self.problems.append(row.problem(column, f"a programme's {column} cannot be 'programme'"))
            elif year:
                if valid_year(year) and not basis:
                    self.add(s, ox.NamedNode(PA + f"{which}Basis"), ox.NamedNode(self.vocab["year-basis"]["stated"]))
            elif basis in ("", "programme") and programme is not None:
                inherited = programme[1].get(f"{which}_year")
                if valid_year(inherited):
                    filled[which] = int(inherited)
                    self.add(s, ox.NamedNode(TIME + predicate), self.year_instant(int(inherited)))
                    if not basis:
                        concept = self.vocab["year-basis"]["programme"]
                        self.add(s, ox.NamedNode(PA + f"{which}Basis"), ox.NamedNode(concept))
                elif basis:
                    self.problems.append(
                        row.problem(column, f"{column} 'programme' but the programme has no {which}_year")
                    )
            elif basis and basis != "continued":
                self.problems.append(row.problem(column, f"{column} '{basis}' needs a {which}_year"))
        start = filled.get("start", int(row.get("start_year")) if valid_year(row.get("start_year")) else None)
        end = filled.get("end", int(row.get("end_year")) if valid_year(row.get("end_year")) else None)
        if filled and start is not None and end is not None and start > end:
            self.problems.append(
                row.problem(
                    "start_year" if "end" in filled else "end_year",
                    f"the period would run from {start} to {end} with the programme's years: give the pairing's "
                    "own start_year or end_year (or end_basis continued)",
                )
            )

    def state_attributions(self, row: Row, s: ox.NamedNode, found: Found) -> None:
        """State each triple of an attributed column (``Column.attributed_by``) as an rdf:Statement node
        ``fact/{id}-{column}-{n}`` derived from the sources its attribution column names."""
        for column in TABLES[row.table].columns:
            sources = found.get(column.attributed_by) if column.attributed_by else None
            if not sources:
                continue
            n = 0
            for term in found[column.name]:
                triples = [(s, p, term) for p in (column.predicate, column.also) if p]
                if column.inverse:
                    triples.append((node(term), column.inverse, s))
                for subject, predicate, obj in triples:
                    n += 1
                    fact = self.iri("fact", f"{row.get('id')}-{column.name}-{n}")
                    self.add(fact, A, ox.NamedNode(RDF + "Statement"))
                    self.add(fact, ox.NamedNode(RDF + "subject"), subject)
                    self.add(fact, ox.NamedNode(RDF + "predicate"), ox.NamedNode(predicate))
                    self.add(fact, ox.NamedNode(RDF + "object"), obj)
                    for source in sources:
                        self.add(fact, ox.NamedNode(PROV + "wasDerivedFrom"), source)

    def label_coverage(self, row: Row, s: ox.NamedNode, found: Found) -> None:
        """Label a coverage statement by its programme."""
        if found["programme"]:
            zh, en = self.label_of(row.get("programme"))
            self.labels(s, f"{zh}：覆盖情况", f"{en}: coverage")

    def run(self, progress: Progress | None = None) -> list[ox.Quad]:
        """Read, check and state every table: the quads of the data graph; ``progress`` is told of the
        rows stated (what, done, total)."""
        tables = self.read()
        self.register(tables)
        total, done = sum(len(tables[name]) for name in ORDER), 0
        for name in ORDER:
            for row in tables[name]:
                if id(row) not in self.skipped:
                    self.state_row(row)
                done += 1
                if progress is not None and (done % 200 == 0 or done == total):
                    progress(f"rows of {name}", done, total)
        return self.quads


Special = Callable[[_Builder, Row, ox.NamedNode, Found], None]
# what each table states beyond its column declarations, and the checks that span columns
SPECIAL_CASES: dict[str, tuple[Special, ...]] = {
    "sources": (_Builder.check_url_or_citation,),
    "programmes": (_Builder.check_period, _Builder.state_year_bases),
    "actors": (
        _Builder.check_not_own_parent,
        _Builder.check_unique_code,
        _Builder.check_level_fits_code,
        _Builder.check_county_parent,
        _Builder.state_attributions,
    ),
    "pairings": (
        _Builder.check_period,
        _Builder.check_distinct_partners,
        _Builder.state_year_bases,
        _Builder.state_mentorship,
        _Builder.label_pairing,
    ),
    "teams": (_Builder.at_team_level, _Builder.state_team_members),
    "instruments": (_Builder.check_type_fits_kind,),
    "evidence": (_Builder.label_evidence,),
    "emotions": (_Builder.label_expression,),
    "identifications": (_Builder.label_identification,),
    "figures": (_Builder.label_figure,),
    "merges": (_Builder.state_attributions,),
    "coverage": (_Builder.label_coverage,),
}
# tables of relations without ids: each row is stated by its own function
RELATIONS: dict[str, Callable[[_Builder, Row, Found], None]] = {
    "memberships": _Builder.state_membership_row,
    "links": _Builder.state_link,
    "points": _Builder.state_point,
}


def build(data_dir: Path, base: str | None = None, progress: Progress | None = None) -> Build:
    """Build the graph from the tables under ``data_dir``; raise BuildError listing every bad value.
    ``progress(what, done, total)``, if given, is told of the rows stated as the build goes."""
    base = base or base_iri()
    builder = _Builder(Path(data_dir), base)
    data = builder.run(progress)
    if builder.problems:
        raise BuildError(sorted(set(builder.problems), key=lambda p: (p.path, p.line, p.column, p.message)))
    graphs = graph_names(base)
    onto = [ox.Quad(t.subject, t.predicate, t.object, graphs["ontology"]) for t in ontology_quads()]
    quads = sorted(set(onto + data), key=str)
    digest = hashlib.sha256(write_rdf(quads, ox.RdfFormat.N_QUADS)).hexdigest()[:12]
    data_count = sum(1 for q in quads if q.graph_name == graphs["data"])
    ds = ox.NamedNode(base + "dataset")
    meta = [
        ox.Quad(ds, A, ox.NamedNode(PA + "Dataset"), graphs["data"]),
        ox.Quad(ds, LABEL, ox.Literal("对口支援知识图谱", language="zh-Hans"), graphs["data"]),
        ox.Quad(ds, LABEL, ox.Literal("Paired-Assistance Knowledge Graph", language="en"), graphs["data"]),
        ox.Quad(ds, ox.NamedNode(DCTERMS + "hasVersion"), ox.Literal(digest), graphs["data"]),
        ox.Quad(
            ds,
            ox.NamedNode(PA + "tripleCount"),
            ox.Literal(str(data_count), datatype=ox.NamedNode(XSD + "integer")),
            graphs["data"],
        ),
    ]
    return Build(quads + meta, digest, data_count, base)


def write_build(result: Build, path: Path) -> None:
    """Write a build as N-Quads, replacing ``path`` atomically (a reader sees the old or the new file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(result.nquads())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
