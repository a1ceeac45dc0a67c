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
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .config import (DCTERMS, ELI, ORG, PA, PROV, RDF, RDFS, SKOS, TIME, XSD, base_iri, graph_names)
from .errors import BuildError, DataProblem
from .tables import ORDER, TABLES, Row, find_tables, read_table
from .vocab import HARD_TYPES, ontology_quads, vocabularies

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
YEAR_RANGE = (1900, 2100)
DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
GBCODE_PATTERN = re.compile(r"^\d{6}$")
PATHS = {"source": "source", "programme": "programme", "actor": "actor", "pairing": "pairing",
         "instrument": "instrument", "provision": "provision", "evidence": "evidence", "alliance": "alliance",
         "expression": "expression", "identification": "identification", "figure": "figure",
         "membership": "membership"}

A = ox.NamedNode(RDF + "type")
LABEL = ox.NamedNode(RDFS + "label")


def P(ns: str, local: str) -> ox.NamedNode:
    return ox.NamedNode(ns + local)


@dataclass
class Build:
    """The result of a build: the quads, the dataset version and how many triples are data."""

    quads: list[ox.Quad]
    version: str
    data_triples: int
    base: str

    def nquads(self) -> bytes:
        return ox.serialize(self.quads, format=ox.RdfFormat.N_QUADS)


class _Builder:
    def __init__(self, data_dir: Path, base: str):
        self.data_dir = data_dir
        self.base = base
        self.vocab = vocabularies()
        self.graph = graph_names(base)["data"]
        self.problems: list[DataProblem] = []
        self.quads: list[ox.Quad] = []
        self.ids: dict[str, tuple[str, Row]] = {}   # id -> (entity kind, defining row)
        self.years: set[int] = set()
        self.skipped: set[int] = set()  # rows whose id is bad or taken: checked, not emitted

    # ---- helpers --------------------------------------------------------------
    def iri(self, kind: str, ident: str) -> ox.NamedNode:
        return ox.NamedNode(f"{self.base}{PATHS[kind]}/{ident}")

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o) -> None:
        self.quads.append(ox.Quad(s, p, o, self.graph))

    def text(self, s, p, value: str, lang: str | None = None) -> None:
        if value:
            self.add(s, p, ox.Literal(value, language=lang) if lang else ox.Literal(value))

    def labels(self, s, zh: str, en: str) -> None:
        self.add(s, LABEL, ox.Literal(zh, language="zh-Hans"))
        self.add(s, LABEL, ox.Literal(en, language="en"))

    def ref(self, row: Row, column: str, value: str, kinds: tuple[str, ...]) -> ox.NamedNode | None:
        found = self.ids.get(value)
        if found is None or found[0] not in kinds:
            what = " or ".join(kinds)
            self.problems.append(row.problem(column, f"unknown {what} '{value}'"))
            return None
        return self.iri(found[0], value)

    def refs(self, row: Row, column: str, kinds: tuple[str, ...]) -> list[ox.NamedNode]:
        out = []
        for value in row.split(column):
            node = self.ref(row, column, value, kinds)
            if node is not None:
                out.append(node)
        return out

    def enum(self, row: Row, column: str, vocabulary: str, value: str) -> str | None:
        allowed = self.vocab[vocabulary]
        if value not in allowed:
            self.problems.append(row.problem(
                column, f"unknown {column} '{value}' (expected one of: {', '.join(sorted(allowed))})"))
            return None
        return allowed[value]

    def year(self, row: Row, column: str) -> int | None:
        value = row.get(column)
        if not value:
            return None
        if not re.fullmatch(r"\d{4}", value) or not YEAR_RANGE[0] <= int(value) <= YEAR_RANGE[1]:
            self.problems.append(row.problem(column, f"bad year '{value}' (expected four digits, "
                                                     f"{YEAR_RANGE[0]}-{YEAR_RANGE[1]})"))
            return None
        return int(value)

    def check_value(self, row: Row, column) -> None:
        value = row.get(column.name)
        if not value:
            if column.required:
                self.problems.append(row.problem(column.name, f"{column.name} is required"))
            return
        if column.kind == "date" and not self._valid_date(value):
            self.problems.append(row.problem(column.name, f"bad date '{value}' (expected YYYY, YYYY-MM or YYYY-MM-DD)"))
        elif column.kind == "int" and not re.fullmatch(r"\d+", value):
            self.problems.append(row.problem(column.name, f"bad number '{value}' (expected a whole number)"))
        elif column.kind == "decimal" and not re.fullmatch(r"\d+(\.\d+)?", value):
            self.problems.append(row.problem(column.name, f"bad number '{value}'"))
        elif column.kind == "bool" and value not in ("true", "false"):
            self.problems.append(row.problem(column.name, f"bad value '{value}' (expected true or false)"))
        elif column.kind == "gbcode" and not GBCODE_PATTERN.match(value):
            self.problems.append(row.problem(column.name, f"bad GB/T 2260 code '{value}' (expected six digits)"))
        elif column.kind == "year":
            self.year(row, column.name)

    @staticmethod
    def _valid_date(value: str) -> bool:
        m = DATE_PATTERN.match(value)
        if not m:
            return False
        month, day = m.group(2), m.group(3)
        return (month is None or 1 <= int(month) <= 12) and (day is None or 1 <= int(day) <= 31)

    def date_literal(self, value: str) -> ox.Literal:
        kind = {4: "gYear", 7: "gYearMonth", 10: "date"}[len(value)]
        return ox.Literal(value, datatype=P(XSD, kind))

    def year_instant(self, year: int) -> ox.NamedNode:
        """The OWL-Time instant of a year, ``{base}year/2010``, described once."""
        node = ox.NamedNode(f"{self.base}year/{year:04d}")
        if year not in self.years:
            self.years.add(year)
            self.add(node, A, P(TIME, "Instant"))
            self.add(node, P(TIME, "inXSDGYear"), self.gyear(year))
            self.labels(node, f"{year}年", str(year))
        return node

    def gyear(self, value: int) -> ox.Literal:
        return ox.Literal(f"{value:04d}", datatype=P(XSD, "gYear"))

    def provenance(self, row: Row, s: ox.NamedNode) -> None:
        for src in self.refs(row, "sources", ("source",)):
            self.add(s, P(PROV, "wasDerivedFrom"), src)
        if not row.split("sources"):
            return
        conf = row.get("confidence")
        if conf:
            iri = self.enum(row, "confidence", "confidence", conf)
            if iri:
                self.add(s, P(PA, "confidence"), ox.NamedNode(iri))
        self.text(s, P(SKOS, "note"), row.get("note"), "en")

    def period(self, row: Row, s: ox.NamedNode, start: str = "start_year", end: str = "end_year") -> None:
        a, b = self.year(row, start), self.year(row, end)
        if a is not None:
            self.add(s, P(TIME, "hasBeginning"), self.year_instant(a))
        if b is not None:
            self.add(s, P(TIME, "hasEnd"), self.year_instant(b))
        if a is not None and b is not None and a > b:
            self.problems.append(row.problem(end, f"{end} {b} is before {start} {a}"))

    def concepts(self, row: Row, s, p: ox.NamedNode, column: str, vocabulary: str) -> None:
        for value in row.split(column):
            iri = self.enum(row, column, vocabulary, value)
            if iri:
                self.add(s, p, ox.NamedNode(iri))

    def label_of(self, ident: str) -> tuple[str, str]:
        row = self.ids[ident][1]
        return row.get("label_zh") or ident, row.get("label_en") or ident

    # ---- reading ---------------------------------------------------------------
    def read(self) -> dict[str, list[Row]]:
        found = find_tables(self.data_dir)
        for path in sorted(self.data_dir.rglob("*.csv")):
            rel = path.relative_to(self.data_dir)
            if path.stem not in TABLES and "build" not in rel.parts[:-1]:
                self.problems.append(DataProblem(self._shown(path), 1, 0, "",
                                                 f"unknown table '{path.stem}' (expected one of: {', '.join(ORDER)})"))
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
        for name in ORDER:
            kind, columns = TABLES[name]
            for row in tables[name]:
                for column in columns:
                    self.check_value(row, column)
                if not kind:
                    continue
                ident = row.get("id")
                if not ident:
                    continue
                if not ID_PATTERN.match(ident):
                    self.problems.append(row.problem("id", f"bad id '{ident}' (letters, digits, '.', '_' and '-' "
                                                           f"only, starting with a letter or digit)"))
                    self.skipped.add(id(row))
                elif ident in self.ids:
                    first = self.ids[ident][1]
                    self.problems.append(row.problem("id", f"duplicate id '{ident}' (first defined at "
                                                           f"{first.path}:{first.line})"))
                    self.skipped.add(id(row))
                else:
                    self.ids[ident] = (kind, row)

    # ---- emitting ---------------------------------------------------------------
    def emit_sources(self, rows: list[Row]) -> None:
        for row in rows:
            s = self.iri("source", row.get("id"))
            self.add(s, A, P(PA, "Source"))
            self.add(s, P(DCTERMS, "title"), ox.Literal(row.get("title")))
            self.add(s, LABEL, ox.Literal(row.get("title")))
            url = row.get("url")
            if url:
                self.add(s, P(PA, "url"), ox.Literal(url, datatype=P(XSD, "anyURI")))
            elif not row.get("citation"):
                self.problems.append(row.problem("url", "a source needs a url or a citation"))
            self.text(s, P(DCTERMS, "bibliographicCitation"), row.get("citation"))
            self.text(s, P(DCTERMS, "publisher"), row.get("publisher"))
            self.text(s, P(PA, "sourceKind"), row.get("kind"))
            if row.get("accessed") and len(row.get("accessed")) == 10:
                self.add(s, P(PA, "accessed"), self.date_literal(row.get("accessed")))
            self.text(s, P(SKOS, "note"), row.get("note"), "en")

    def emit_programmes(self, rows: list[Row]) -> None:
        for row in rows:
            s = self.iri("programme", row.get("id"))
            self.add(s, A, P(PA, "Programme"))
            self.labels(s, row.get("label_zh"), row.get("label_en"))
            self.text(s, P(PA, "targetRegion"), row.get("target_region"), "en")
            self.text(s, P(PA, "launchedBy"), row.get("launched_by"), "en")
            self.period(row, s)
            self.concepts(row, s, P(PA, "mode"), "mode", "mode")
            self.concepts(row, s, P(PA, "field"), "fields", "field")
            self.provenance(row, s)

    def emit_actors(self, rows: list[Row]) -> None:
        for row in rows:
            s = self.iri("actor", row.get("id"))
            cls = self.enum(row, "kind", "actor-kind", row.get("kind"))
            if cls:
                self.add(s, A, ox.NamedNode(cls))
            self.labels(s, row.get("label_zh"), row.get("label_en"))
            for alt in row.split("alt_labels_zh"):
                self.add(s, P(SKOS, "altLabel"), ox.Literal(alt, language="zh-Hans"))
            if row.get("level"):
                self.concepts(row, s, P(PA, "adminLevel"), "level", "level")
            if row.get("parent"):
                parent = self.ref(row, "parent", row.get("parent"), ("actor",))
                if parent is not None:
                    if parent == s:
                        self.problems.append(row.problem("parent", "an actor cannot be its own parent"))
                    self.add(s, P(PA, "parentRegion"), parent)
            self.text(s, P(PA, "gbCode"), row.get("gb_code"))
            self.text(s, P(PA, "pseudonym"), row.get("pseudonym"))
            self.text(s, P(PA, "role"), row.get("role_zh"), "zh-Hans")
            self.text(s, P(PA, "role"), row.get("role_en"), "en")
            if row.get("side"):
                self.concepts(row, s, P(PA, "side"), "side", "side")
            if row.get("member_count"):
                self.add(s, P(PA, "memberCount"), ox.Literal(row.get("member_count"), datatype=P(XSD, "integer")))
            self.provenance(row, s)

    def emit_pairings(self, rows: list[Row]) -> None:
        for row in rows:
            ident = row.get("id")
            s = self.iri("pairing", ident)
            kind = row.get("kind") or "pairing"
            cls = self.enum(row, "kind", "pairing-kind", kind)
            if cls:
                self.add(s, A, ox.NamedNode(cls))
                if kind != "pairing":
                    self.add(s, A, P(PA, "Pairing"))
            sup = self.ref(row, "supporter", row.get("supporter"), ("actor",))
            rec = self.ref(row, "recipient", row.get("recipient"), ("actor",))
            if sup is not None:
                self.add(s, P(PA, "supporter"), sup)
                if kind == "mentorship":
                    self.add(s, P(PA, "mentor"), sup)
            if rec is not None:
                self.add(s, P(PA, "recipient"), rec)
                if kind == "mentorship":
                    self.add(s, P(PA, "mentee"), rec)
            if sup is not None and sup == rec:
                self.problems.append(row.problem("recipient", f"supporter and recipient are the same actor "
                                                              f"'{row.get('supporter')}'"))
            prog = None
            if row.get("programme"):
                prog = self.ref(row, "programme", row.get("programme"), ("programme",))
                if prog is not None:
                    self.add(s, P(PA, "programme"), prog)
            if row.get("parent"):
                parent = self.ref(row, "parent", row.get("parent"), ("pairing",))
                if parent is not None:
                    self.add(s, P(PA, "parentPairing"), parent)
            if sup is not None and rec is not None:
                szh, sen = self.label_of(row.get("supporter"))
                rzh, ren = self.label_of(row.get("recipient"))
                if prog is not None:
                    pzh, pen = self.label_of(row.get("programme"))
                elif kind == "mentorship":
                    pzh, pen = "师徒结对", "mentorship"
                else:
                    pzh, pen = "结对", "pairing"
                self.labels(s, f"{szh} → {rzh}（{pzh}）", f"{sen} → {ren} ({pen})")
            self.text(s, P(PA, "supporterDetail"), row.get("supporter_detail"), "zh-Hans")
            self.concepts(row, s, P(PA, "field"), "fields", "field")
            self.concepts(row, s, P(PA, "mode"), "mode", "mode")
            self.period(row, s)
            if row.get("batch"):
                self.add(s, P(PA, "batchNumber"), ox.Literal(row.get("batch"), datatype=P(XSD, "integer")))
            self.provenance(row, s)

    def emit_teams(self, rows: list[Row]) -> None:
        for row in rows:
            s = self.iri("actor", row.get("id"))
            self.add(s, A, P(PA, "Team"))
            self.labels(s, row.get("label_zh"), row.get("label_en"))
            self.add(s, P(PA, "adminLevel"), P(PA, "teamLevel"))
            pairing = self.ref(row, "pairing", row.get("pairing"), ("pairing",))
            if pairing is not None:
                self.add(s, P(PA, "underPairing"), pairing)
            if row.get("sent_by"):
                by = self.ref(row, "sent_by", row.get("sent_by"), ("actor",))
                if by is not None:
                    self.add(s, P(PA, "sentBy"), by)
            if row.get("batch"):
                self.add(s, P(PA, "batchNumber"), ox.Literal(row.get("batch"), datatype=P(XSD, "integer")))
            for member_id, member in zip(row.split("members"), self.refs(row, "members", ("actor",))):
                self.membership(row, member_id, member, row.get("id"), s, "", "")
            self.provenance(row, s)

    def membership(self, row: Row, member_id: str, member, org_id: str, org, role_zh: str, role_en: str) -> None:
        m = self.iri("membership", f"{member_id}--{org_id}")
        self.add(member, P(ORG, "memberOf"), org)
        self.add(m, A, P(ORG, "Membership"))
        self.add(m, P(ORG, "member"), member)
        self.add(m, P(ORG, "organization"), org)
        mzh, men = self.label_of(member_id)
        ozh, oen = self.label_of(org_id)
        self.labels(m, f"{mzh}：{ozh}{'（' + role_zh + '）' if role_zh else '成员'}",
                    f"{men}: {role_en or 'member'} of {oen}")
        self.text(m, P(PA, "role"), role_zh, "zh-Hans")
        self.text(m, P(PA, "role"), role_en, "en")
        self.provenance(row, m)

    def emit_memberships(self, rows: list[Row]) -> None:
        for row in rows:
            member = self.ref(row, "member", row.get("member"), ("actor",))
            org = self.ref(row, "organisation", row.get("organisation"), ("actor",))
            if member is not None and org is not None:
                self.membership(row, row.get("member"), member, row.get("organisation"), org,
                                row.get("role_zh"), row.get("role_en"))

    def emit_instruments(self, rows: list[Row]) -> None:
        for row in rows:
            s = self.iri("instrument", row.get("id"))
            kind, typ = row.get("kind"), row.get("type")
            kind_iri = self.enum(row, "kind", "instrument-kind", kind)
            if kind_iri:
                self.add(s, A, ox.NamedNode(kind_iri))
            if typ:
                type_iri = self.enum(row, "type", "instrument-type", typ)
                if type_iri:
                    self.add(s, A, ox.NamedNode(type_iri))
                    if (typ in HARD_TYPES) != (kind == "hard-law"):
                        self.problems.append(row.problem("type", f"type '{typ}' does not fit kind '{kind}'"))
            self.labels(s, row.get("label_zh"), row.get("label_en"))
            if row.get("form"):
                self.concepts(row, s, P(PA, "documentForm"), "form", "form")
            for issuer in self.refs(row, "issuers", ("actor",)):
                self.add(s, P(PA, "issuedBy"), issuer)
            self.text(s, P(PA, "issuerText"), row.get("issuer_text"))
            if row.get("date") and self._valid_date(row.get("date")):
                self.add(s, P(PA, "date"), self.date_literal(row.get("date")))
            self.text(s, P(PA, "dateNote"), row.get("date_note"), "en")
            self.text(s, P(PA, "documentNumber"), row.get("doc_number"))
            for party in self.refs(row, "parties", ("actor",)):
                self.add(party, P(PA, "partyTo"), s)
            for target in self.refs(row, "governs", ("programme", "pairing")):
                self.add(s, P(PA, "governs"), target)
            for target in self.refs(row, "authorizes", ("programme", "pairing", "instrument")):
                self.add(s, P(PA, "authorizes"), target)
            self.text(s, P(DCTERMS, "description"), row.get("summary_en"), "en")
            self.provenance(row, s)

    def emit_provisions(self, rows: list[Row]) -> None:
        for row in rows:
            s = self.iri("provision", row.get("id"))
            self.add(s, A, P(PA, "Provision"))
            work = self.ref(row, "instrument", row.get("instrument"), ("instrument",))
            if work is not None:
                self.add(s, P(ELI, "is_part_of"), work)
                self.add(work, P(ELI, "has_part"), s)
            self.labels(s, row.get("label_zh"), row.get("label_en"))
            self.text(s, P(ELI, "number"), row.get("article"))
            if row.get("date") and self._valid_date(row.get("date")):
                self.add(s, P(PA, "date"), self.date_literal(row.get("date")))
            self.text(s, P(PA, "dateNote"), row.get("date_note"), "en")
            for target in self.refs(row, "authorizes", ("programme", "pairing", "instrument")):
                self.add(s, P(PA, "authorizes"), target)
            self.text(s, P(DCTERMS, "description"), row.get("summary_en"), "en")
            self.provenance(row, s)

    def emit_links(self, rows: list[Row]) -> None:
        for row in rows:
            subject = self.ref(row, "subject", row.get("subject"), ("instrument", "provision"))
            prop = self.enum(row, "predicate", "link", row.get("predicate"))
            obj = self.ref(row, "object", row.get("object"), ("programme", "pairing", "instrument"))
            if subject is None or prop is None or obj is None:
                continue
            self.add(subject, ox.NamedNode(prop), obj)
            for src in self.refs(row, "sources", ("source",)):
                self.add(subject, P(PROV, "wasDerivedFrom"), src)

    def emit_evidence(self, rows: list[Row]) -> None:
        kinds = {"interview": ("访谈资料", "Interview material"), "case-record": ("个事案例", "Case record")}
        for row in rows:
            s = self.iri("evidence", row.get("id"))
            self.add(s, A, P(PA, "Evidence"))
            kind = row.get("kind")
            if self.enum(row, "kind", "evidence-kind", kind) is not None:
                zh, en = kinds[kind]
                self.labels(s, f"{zh} {row.get('id')}", f"{en} {row.get('id')}")
                self.text(s, P(PA, "evidenceKind"), kind)
            self.text(s, P(PA, "evidenceCode"), row.get("code"))
            if row.get("speaker"):
                speaker = self.ref(row, "speaker", row.get("speaker"), ("actor",))
                if speaker is not None:
                    self.add(s, P(PA, "speaker"), speaker)
            self.text(s, P(PA, "quote"), row.get("quote_zh"), "zh-Hans")
            self.text(s, P(DCTERMS, "description"), row.get("summary_en"), "en")
            self.concepts(row, s, P(PA, "illustrates"), "illustrates", "theory")
            for about in self.refs(row, "about", ("pairing", "actor", "instrument", "programme")):
                self.add(about, P(PA, "evidence"), s)
            self.provenance(row, s)

    def emit_alliances(self, rows: list[Row]) -> None:
        for row in rows:
            s = self.iri("alliance", row.get("id"))
            cls = self.enum(row, "kind", "alliance-kind", row.get("kind"))
            if cls:
                self.add(s, A, ox.NamedNode(cls))
                self.add(s, A, P(PA, "MicroAlliance"))
            self.labels(s, row.get("label_zh"), row.get("label_en"))
            for member in self.refs(row, "members", ("actor",)):
                self.add(s, P(PA, "allianceMember"), member)
            self.concepts(row, s, P(PA, "illustrates"), "illustrates", "theory")
            for ev in self.refs(row, "evidence", ("evidence",)):
                self.add(s, P(PA, "evidence"), ev)
            self.provenance(row, s)

    def emit_emotions(self, rows: list[Row]) -> None:
        for row in rows:
            s = self.iri("expression", row.get("id"))
            self.add(s, A, P(PA, "EmotionalExpression"))
            actor = self.ref(row, "expressed_by", row.get("expressed_by"), ("actor",))
            stage = self.enum(row, "stage", "stage", row.get("stage"))
            if actor is not None:
                self.add(s, P(PA, "expressedBy"), actor)
            if stage is not None:
                self.add(s, P(PA, "stage"), ox.NamedNode(stage))
                self.add(s, P(PA, "illustrates"), ox.NamedNode(stage))
            if actor is not None and stage is not None:
                zh, en = self.label_of(row.get("expressed_by"))
                front = row.get("stage") == "socialEmotion"
                self.labels(s, f"{zh}的{'台前' if front else '幕后'}情感表达",
                            f"{en}: {'front-stage' if front else 'back-stage'} emotion")
            self.text(s, P(PA, "discourse"), row.get("discourse_zh"), "zh-Hans")
            self.text(s, P(PA, "discourse"), row.get("discourse_en"), "en")
            self.text(s, P(PA, "setting"), row.get("setting_zh"), "zh-Hans")
            for ev in self.refs(row, "evidence", ("evidence",)):
                self.add(s, P(PA, "evidence"), ev)
            self.provenance(row, s)

    def emit_identifications(self, rows: list[Row]) -> None:
        for row in rows:
            s = self.iri("identification", row.get("id"))
            self.add(s, A, P(PA, "Identification"))
            pseud = self.ref(row, "pseudonymous", row.get("pseudonymous"), ("actor",))
            real = self.ref(row, "identified_as", row.get("identified_as"), ("actor",))
            if pseud is not None:
                self.add(s, P(PA, "pseudonymousActor"), pseud)
            if real is not None:
                self.add(s, P(PA, "identifiedAs"), real)
            if pseud is not None and real is not None:
                pzh, pen = self.label_of(row.get("pseudonymous"))
                rzh, ren = self.label_of(row.get("identified_as"))
                self.labels(s, f"{pzh} 识别为 {rzh}（推断）", f"{pen} identified as {ren} (inference)")
            for reason in row.get("reasons_en").split("|"):
                self.text(s, P(PA, "reason"), reason.strip(), "en")
            self.provenance(row, s)

    def emit_figures(self, rows: list[Row]) -> None:
        measures = {v: k for k, v in self.vocab["measure"].items()}
        for row in rows:
            s = self.iri("figure", row.get("id"))
            self.add(s, A, P(PA, "Figure"))
            subject = self.ref(row, "subject", row.get("subject"), ("pairing", "programme"))
            measure = self.enum(row, "measure", "measure", row.get("measure"))
            if subject is not None:
                self.add(s, P(PA, "figureOf"), subject)
            if measure is not None:
                self.add(s, P(PA, "measure"), ox.NamedNode(measure))
            value = row.get("value")
            if re.fullmatch(r"\d+(\.\d+)?", value):
                self.add(s, P(PA, "value"), ox.Literal(value, datatype=P(XSD, "decimal")))
            more = row.get("at_least") == "true"
            if row.get("at_least") in ("true", "false"):
                self.add(s, P(PA, "atLeast"), ox.Literal(row.get("at_least"), datatype=P(XSD, "boolean")))
            for col, prop in (("since_year", "sinceYear"), ("as_of_year", "asOfYear")):
                year = self.year(row, col)
                if year is not None:
                    self.add(s, P(PA, prop), self.gyear(year))
            if subject is not None and measure is not None:
                zh, en = self.label_of(row.get("subject"))
                m = measures[measure]
                self.labels(s, f"{zh}：{m} {'≥' if more else ''}{value}", f"{en}: {m} {'≥ ' if more else ''}{value}")
            self.provenance(row, s)

    def run(self) -> list[ox.Quad]:
        tables = self.read()
        self.register(tables)
        for name in ORDER:
            getattr(self, f"emit_{name}")([r for r in tables[name] if id(r) not in self.skipped])
        return self.quads


def build(data_dir: Path, base: str | None = None) -> Build:
    """Build the graph from the tables under ``data_dir``; raise BuildError listing every bad value."""
    base = base or base_iri()
    builder = _Builder(Path(data_dir), base)
    data = builder.run()
    if builder.problems:
        raise BuildError(sorted(set(builder.problems), key=lambda p: (p.path, p.line, p.column, p.message)))
    graphs = graph_names(base)
    onto = [ox.Quad(t.subject, t.predicate, t.object, graphs["ontology"]) for t in ontology_quads()]
    quads = sorted(set(onto + data), key=str)
    digest = hashlib.sha256(ox.serialize(quads, format=ox.RdfFormat.N_QUADS)).hexdigest()[:12]
    data_count = sum(1 for q in quads if q.graph_name == graphs["data"])
    ds = ox.NamedNode(base + "dataset")
    meta = [
        ox.Quad(ds, A, P(PA, "Dataset"), graphs["data"]),
        ox.Quad(ds, LABEL, ox.Literal("对口支援知识图谱", language="zh-Hans"), graphs["data"]),
        ox.Quad(ds, LABEL, ox.Literal("Paired-Assistance Knowledge Graph", language="en"), graphs["data"]),
        ox.Quad(ds, P(DCTERMS, "hasVersion"), ox.Literal(digest), graphs["data"]),
        ox.Quad(ds, P(PA, "tripleCount"), ox.Literal(str(data_count), datatype=P(XSD, "integer")), graphs["data"]),
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
