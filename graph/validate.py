"""SHACL validation of a build with pySHACL: the data graph checked against ontology/shapes.ttl."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
import rdflib
from pyshacl import validate as shacl_validate

from .build import Progress
from .config import SHAPES_FILE

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    shape: str

    def __str__(self) -> str:
        where = f"{self.focus} {self.path}".strip()
        return f"{where}: {self.message}"


@dataclass
class Report:
    conforms: bool
    violations: list[Violation]

    def text(self) -> str:
        if self.conforms:
            return "conforms: yes"
        lines = [f"conforms: no ({len(self.violations)} violations)"]
        lines += [f"  - {v}" for v in self.violations]
        return "\n".join(lines)


def to_rdflib(quads) -> rdflib.Graph:
    """All quads as one rdflib graph (the ontology and the data side by side)."""
    g = rdflib.Graph()
    g.parse(
        data=ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in quads), format=ox.RdfFormat.N_TRIPLES),
        format="nt",
    )
    return g


def shapes_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES_FILE, format="turtle")


def validate_graph(data: rdflib.Graph, progress: Progress | None = None) -> Report:
    """Validate an rdflib graph (data plus ontology) against the shapes; ``progress(what, done, total)``,
    if given, is told of each stage (pySHACL checks every shape in one call)."""
    if progress is not None:
        progress("reading the SHACL shapes", 1, 3)
    shapes = shapes_graph()
    if progress is not None:
        progress("checking the shapes", 2, 3)
    conforms, report, _ = shacl_validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=False
    )
    if progress is not None:
        progress("checked", 3, 3)
    violations = []
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        shape = report.value(result, SH.sourceShape)
        violations.append(Violation(_short(focus), _short(path), str(message or "violation"), _short(shape)))
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    return Report(bool(conforms), violations)


def validate_quads(quads, progress: Progress | None = None) -> Report:
    if progress is not None:
        progress("reading the graph", 0, 3)
    return validate_graph(to_rdflib(quads), progress)


def _short(node) -> str:
    if node is None:
        return ""
    if isinstance(node, rdflib.BNode):
        return "[]"
    text = str(node)
    for prefix, ns in (
        ("pa:", "https://w3id.org/pakg/ontology#"),
        ("rdfs:", str(rdflib.RDFS)),
        ("prov:", "http://www.w3.org/ns/prov#"),
    ):
        if text.startswith(ns):
            return prefix + text[len(ns) :]
    return f"<{text}>"
