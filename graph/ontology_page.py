"""The ontology as a reader sees it: what ``/ontology`` documents on its page, read from the ontology graph
of a dataset, the SHACL shapes (``ontology/shapes.ttl``) and the data.

``ontology_doc(engine, base)`` gives an ``OntologyDoc``: the ontology's own header (title, version,
version IRI, licence), its classes and properties (labels in Chinese and English, comment, superclasses
or superproperties, domains, ranges, inverses), the vocabularies (SKOS schemes and their notations),
for each class the shapes that apply to its instances and their property constraints, and examples from
the data (how many resources of each class, how many triples of each property, and one resource of
each).  Every fact is read by a named query; nothing here knows of HTTP or HTML.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

import pyoxigraph as ox

from . import queries
from .config import OWL, SHAPES_FILE, graph_names
from .store import Engine
from .terms import Term

ONTOLOGY_IRI = "https://w3id.org/pakg/ontology"
ONTOLOGY_KINDS = {
    OWL + "Class": "class",
    OWL + "ObjectProperty": "object property",
    OWL + "DatatypeProperty": "datatype property",
    OWL + "AnnotationProperty": "annotation property",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property": "property",
}


@dataclass(frozen=True)
class Constraint:
    """One property constraint of a shape: the path (a property IRI) and what its values must be."""

    shape: str
    path: str
    name: str | None = None
    min_count: int | None = None
    max_count: int | None = None
    value_class: str | None = None
    datatype: str | None = None
    allowed: tuple[str, ...] = ()
    message: str | None = None


@dataclass
class OntologyTerm:
    """A class or property the ontology defines."""

    iri: str
    kind: str  # one of ONTOLOGY_KINDS' values
    label_zh: str | None = None
    label_en: str | None = None
    comments: list[str] = field(default_factory=list)
    supers: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    ranges: list[str] = field(default_factory=list)
    inverses: list[str] = field(default_factory=list)
    shapes: list[str] = field(default_factory=list)  # (classes) the shapes that target it, with those they name
    inherited: list[str] = field(default_factory=list)  # (classes) superclasses whose shapes apply to it too
    constraints: list[Constraint] = field(default_factory=list)  # (classes) their property constraints
    used: int = 0  # instances in the data (classes) or triples stating it (properties)
    example: str | None = None  # one resource of the class, or one that states the property

    @property
    def is_class(self) -> bool:
        return self.kind == "class"

    @property
    def name(self) -> str:
        return self.iri.rsplit("#", 1)[-1]


@dataclass(frozen=True)
class Scheme:
    """A vocabulary (SKOS concept scheme) and the notations of its concepts."""

    iri: str
    label_zh: str | None
    label_en: str | None
    notations: tuple[str, ...]


@dataclass
class OntologyDoc:
    iri: str
    version: str | None
    version_iri: str | None
    title_zh: str | None
    title_en: str | None
    description: str | None
    licence: str | None
    creator: str | None
    terms: list[OntologyTerm]
    schemes: list[Scheme]

    @property
    def classes(self) -> list[OntologyTerm]:
        return [t for t in self.terms if t.is_class]

    @property
    def properties(self) -> list[OntologyTerm]:
        return [t for t in self.terms if not t.is_class]


def ontology_triples(engine: Engine, base: str) -> list[ox.Triple]:
    """The ontology graph of a dataset (the ontology with its vocabularies and theory), as served at
    /ontology."""
    query = queries.get("ontology_graph")
    return engine.construct(query.text, query.bindings({"ontology": graph_names(base)["ontology"].value}))


class _Shapes:
    """The SHACL shapes file in a store of its own, asked by named queries (``queries.run``)."""

    def __init__(self) -> None:
        self.store = ox.Store()
        self.store.load(path=str(SHAPES_FILE), format=ox.RdfFormat.TURTLE)

    def select(
        self, sparql: str, bindings: dict[str, ox.NamedNode | ox.Literal] | None = None
    ) -> list[dict[str, Term]]:
        subs: dict[ox.Variable, Term] = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        result = self.store.query(sparql, substitutions=subs or None)
        assert isinstance(result, ox.QuerySolutions)
        names = [v.value for v in result.variables]
        return [{n: row[n] for n in names if row[n] is not None} for row in result]


@cache
def shape_constraints() -> dict[str, tuple[list[str], list[Constraint]]]:
    """For each class a shape targets: the shapes that apply to its instances (the targeting shape
    first) and their property constraints on plain paths (read once per process)."""
    out: dict[str, tuple[list[str], list[Constraint]]] = {}
    for row in queries.run(_Shapes(), "shape_constraints"):
        shapes, constraints = out.setdefault(row["class"], ([], []))
        if row["shape"] not in shapes:
            shapes.append(row["shape"])
        if "path" in row:
            constraints.append(
                Constraint(
                    row["shape"],
                    row["path"],
                    row.get("name"),
                    row.get("min"),
                    row.get("max"),
                    row.get("value_class"),
                    row.get("datatype"),
                    tuple(sorted(v for v in row.get("allowed_values", "").split() if v)),
                    row.get("message"),
                )
            )
    return out


def _superclasses(iri: str, terms: dict[str, OntologyTerm]) -> list[str]:
    """Every superclass of a class (transitively, through the classes the ontology defines), nearest first."""
    out: list[str] = []
    todo = list(terms[iri].supers)
    while todo:
        current = todo.pop(0)
        if current not in out and current != iri:
            out.append(current)
            todo += terms[current].supers if current in terms else []
    return out


def ontology_doc(engine: Engine, base: str) -> OntologyDoc:
    """What the ontology page shows (see the module's description)."""
    header = queries.run(engine, "ontology_header", ontology=ONTOLOGY_IRI)
    head = header[0] if header else {}
    terms: dict[str, OntologyTerm] = {}
    for row in queries.run(engine, "ontology_terms"):
        term = terms.setdefault(row["term"], OntologyTerm(row["term"], ONTOLOGY_KINDS[row["kind"]]))
        term.label_zh = term.label_zh or row.get("label_zh")
        term.label_en = term.label_en or row.get("label_en")
        if row.get("comment") and row["comment"] not in term.comments:
            term.comments.append(row["comment"])
        for attr, key in (("supers", "supers"), ("domains", "domains"), ("ranges", "ranges"), ("inverses", "inverses")):
            values = getattr(term, attr)
            values += [v for v in sorted(row.get(key, "").split()) if v not in values]
    data = graph_names(base)["data"].value
    used: defaultdict[str, tuple[int, str | None]] = defaultdict(lambda: (0, None))
    for row in queries.run(engine, "void_class_partitions", data=data):
        used[row["class"]] = (row["entities"], row.get("example"))
    for row in queries.run(engine, "void_property_partitions", data=data):
        used[row["property"]] = (row["triples"], row.get("example"))
    shapes = shape_constraints()
    for term in terms.values():
        term.used, term.example = used[term.iri]
        if term.is_class and term.iri in shapes:
            term.shapes, term.constraints = list(shapes[term.iri][0]), list(shapes[term.iri][1])
    for term in terms.values():  # a shape that targets a class applies to the instances of its subclasses
        if term.is_class:
            term.inherited = [c for c in _superclasses(term.iri, terms) if c in shapes]
    schemes = [
        Scheme(row["scheme"], row.get("label_zh"), row.get("label_en"), tuple(sorted(row.get("notations", "").split())))
        for row in queries.run(engine, "ontology_schemes")
    ]
    return OntologyDoc(
        ONTOLOGY_IRI,
        head.get("version"),
        head.get("version_iri"),
        head.get("title_zh"),
        head.get("title_en"),
        head.get("description"),
        head.get("licence"),
        head.get("creator"),
        sorted(terms.values(), key=lambda t: (not t.is_class, t.name.casefold())),
        schemes,
    )
