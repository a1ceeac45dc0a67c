"""What changed between two builds of the dataset: facts added, removed and changed, by resource and property.

``read_dataset(path)`` reads one side: an N-Quads file, a release folder (its one ``.nq`` file) or a folder
of data tables (built).  ``diff(old, new)`` compares their triples, graph by graph, resource by resource:

* a resource is *added* when the old dataset says nothing of it, *removed* when the new one says nothing
  of it, *changed* otherwise; each of its properties lists the values removed and added (one removed and
  one added: the value was changed, e.g. a corrected year);
* each resource carries its sources (``prov:wasDerivedFrom``: the new dataset's, or the old one's for a
  removed resource), and each value the sources of that one fact where the build attributes it on its own
  (``rdf:Statement`` nodes ``fact/…``: they are folded into the facts they attribute, not listed as
  resources; a fact whose own sources changed is listed with the sources before and after);
* the dataset node's content hash and triple count (``dcterms:hasVersion``, ``pa:tripleCount``) differ
  between any two builds and are left out, as are the citation and rights notice an export states there
  (they name the hash); the rest of the dataset node (its release, licence …) is listed apart from the
  facts, as ``dataset``.

``Diff.markdown()`` writes it for people (a release's ``CHANGES.md``), ``Diff.as_json()`` for programs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .config import DCAT, DCTERMS, PA, PREFIXES, PROV, RDF, RDFS
from .errors import PakgError

if TYPE_CHECKING:
    from .build import Build

# the dataset node's triples that change with the content hash: the hash itself, the triple count, and the
# citation and rights notice of an export (``graph.export.About``), which name the hash
IGNORED = frozenset({DCTERMS + "hasVersion", PA + "tripleCount", DCTERMS + "bibliographicCitation", DCTERMS + "rights"})
SOURCE = PROV + "wasDerivedFrom"
STATEMENT = RDF + "Statement"
GRAPHS = ("data", "ontology")


class DiffError(PakgError):
    """A side of a diff that cannot be read."""


@dataclass(frozen=True)
class Side:
    """One side of a diff: its quads, the base of its instance IRIs, its content hash and release."""

    quads: tuple[ox.Quad, ...]
    base: str
    version: str
    release: str
    where: str

    def name(self) -> str:
        return f"{self.release or 'unreleased'} ({self.version or 'no content hash'}, {self.where})"


def _base(quads: Iterable[ox.Quad]) -> str:
    """The base of instance IRIs: the named graphs are ``{base}graph/data`` and ``{base}graph/ontology``."""
    for q in quads:
        if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.endswith("graph/data"):
            return q.graph_name.value[: -len("graph/data")]
    raise DiffError("no data graph (…/graph/data) in the dataset")


def _side(quads: list[ox.Quad], where: str) -> Side:
    base = _base(quads)
    dataset = base + "dataset"
    version = release = ""
    for q in quads:
        if isinstance(q.subject, ox.NamedNode) and q.subject.value == dataset and isinstance(q.object, ox.Literal):
            if q.predicate.value == DCTERMS + "hasVersion":
                version = q.object.value
            elif q.predicate.value == DCAT + "version":
                release = q.object.value
    return Side(tuple(quads), base, version, release, where)


def of_build(result: Build) -> Side:
    """One side of a diff: a build in memory."""
    return _side(list(result.quads), "build " + result.version)


def read_dataset(path: Path, base: str | None = None) -> Side:
    """One side of a diff: an N-Quads file, a release folder (the one ``.nq`` file in it) or a folder of
    data tables (built here, with ``base``)."""
    path = Path(path)
    if path.is_dir():
        dumps = sorted(path.glob("*.nq"))
        if len(dumps) > 1:
            raise DiffError(f"{path}: more than one N-Quads file ({', '.join(p.name for p in dumps)})")
        if dumps:
            return read_dataset(dumps[0])
        from .build import build
        from .tables import find_tables

        if not any(find_tables(path).values()):
            raise DiffError(f"{path}: neither a release folder (an .nq file) nor a folder of data tables")
        return _side(build(path, base).quads, str(path))
    if not path.is_file():
        raise DiffError(f"{path}: no such file or folder")
    try:
        quads = list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))
    except (SyntaxError, ValueError) as exc:
        raise DiffError(f"{path}: not N-Quads ({exc})") from None
    return _side(quads, str(path))


# ---- the diff ------------------------------------------------------------------------------------


@dataclass
class Value:
    """One value of a property: the term in N-Triples, and the sources of that one fact when the build
    attributes it on its own (else empty: the resource's sources)."""

    term: str
    sources: list[str] = field(default_factory=list)


@dataclass
class Resourced:
    """A fact in both datasets whose own sources changed."""

    term: str
    old_sources: list[str]
    new_sources: list[str]


@dataclass
class PropertyChange:
    property: str
    removed: list[Value] = field(default_factory=list)
    added: list[Value] = field(default_factory=list)
    resourced: list[Resourced] = field(default_factory=list)

    def corrected(self) -> bool:
        """One value replaced by another (a corrected value)."""
        return len(self.removed) == 1 and len(self.added) == 1


@dataclass
class ResourceChange:
    resource: str
    graph: str  # data or ontology
    status: str  # added, removed or changed
    types: list[str]
    label: str
    sources: list[str]  # the resource's sources (the old ones for a removed resource)
    properties: list[PropertyChange]


@dataclass
class Diff:
    old: str
    new: str
    base: str
    dataset: list[PropertyChange]  # the dataset node's metadata (release, licence …), not facts
    resources: list[ResourceChange]
    triples_added: int
    triples_removed: int
    source_titles: dict[str, str]

    def empty(self) -> bool:
        return not self.resources and not self.dataset

    def by_status(self, status: str) -> list[ResourceChange]:
        return [r for r in self.resources if r.status == status]

    def as_json(self) -> dict:
        return asdict(self)

    def markdown(self, title: str = "Changes") -> str:
        return _markdown(self, title)


Facts = dict[str, dict[str, dict[str, set[str]]]]  # subject → predicate → object (N-Triples) → fact sources


def _facts(side: Side) -> dict[str, Facts]:
    """The triples of each graph by subject and predicate, with the sources of each fact the build attributes
    on its own (the rdf:Statement nodes, folded into the facts)."""
    graphs = {side.base + "graph/" + g: g for g in GRAPHS}
    by_graph: dict[str, Facts] = {g: defaultdict(lambda: defaultdict(dict)) for g in GRAPHS}
    statements: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    dataset = side.base + "dataset"
    for q in side.quads:
        graph = graphs.get(q.graph_name.value) if isinstance(q.graph_name, ox.NamedNode) else None
        if graph is None:
            graph = "data"  # a dump's default graph, or a graph of its own: compared with the data
        s = q.subject.value if isinstance(q.subject, ox.NamedNode) else str(q.subject)
        if s.startswith(side.base + "fact/"):
            statements[s][q.predicate.value].append(str(q.object))
            continue
        if s == dataset and q.predicate.value in IGNORED:
            continue
        by_graph[graph][s][q.predicate.value].setdefault(str(q.object), set())
    for parts in statements.values():
        subject, predicate, obj = (parts.get(RDF + p, [""])[0] for p in ("subject", "predicate", "object"))
        subject = subject[1:-1]  # an IRI in N-Triples
        predicate = predicate[1:-1]
        for facts in by_graph.values():
            found = facts.get(subject, {}).get(predicate, {})
            if obj in found:
                found[obj].update(v[1:-1] for v in parts.get(SOURCE, []))
    return by_graph


def _sources(facts: dict[str, dict[str, set[str]]]) -> list[str]:
    return sorted(v[1:-1] for v in facts.get(SOURCE, {}))


def _label(facts: dict[str, dict[str, set[str]]]) -> str:
    labels = sorted(facts.get(RDFS + "label", {}))
    english = [v for v in labels if v.endswith("@en")]
    chosen = (english or labels or [""])[0]
    return chosen[1 : chosen.rfind('"')] if chosen.startswith('"') else chosen


def diff(old: Side, new: Side) -> Diff:
    """What changed from ``old`` to ``new`` (see the module's docstring)."""
    before, after = _facts(old), _facts(new)
    dataset_iri = new.base + "dataset"
    resources: list[ResourceChange] = []
    dataset: list[PropertyChange] = []
    added = removed = 0
    for graph in GRAPHS:
        a, b = before[graph], after[graph]
        for subject in sorted(set(a) | set(b)):
            pa, pb = a.get(subject, {}), b.get(subject, {})
            changes = []
            for predicate in sorted(set(pa) | set(pb)):
                va, vb = pa.get(predicate, {}), pb.get(predicate, {})
                change = PropertyChange(
                    predicate,
                    removed=[Value(t, sorted(va[t])) for t in sorted(set(va) - set(vb))],
                    added=[Value(t, sorted(vb[t])) for t in sorted(set(vb) - set(va))],
                    resourced=[
                        Resourced(t, sorted(va[t]), sorted(vb[t])) for t in sorted(set(va) & set(vb)) if va[t] != vb[t]
                    ],
                )
                if change.removed or change.added or change.resourced:
                    changes.append(change)
                    added += len(change.added)
                    removed += len(change.removed)
            if not changes:
                continue
            if subject == dataset_iri:
                dataset.extend(changes)
                continue
            status = "added" if not pa else "removed" if not pb else "changed"
            facts = pb or pa
            resources.append(
                ResourceChange(
                    subject,
                    graph,
                    status,
                    sorted(v[1:-1] for v in facts.get(RDF + "type", {})),
                    _label(facts),
                    _sources(facts),
                    changes,
                )
            )
    titles: dict[str, str] = {}
    for described in (before["data"], after["data"]):
        for subject, props in described.items():
            if subject.startswith(new.base + "source/") or subject.startswith(old.base + "source/"):
                title = _label({RDFS + "label": props.get(DCTERMS + "title", {}) or props.get(RDFS + "label", {})})
                if title:
                    titles[subject] = title
    cited = {s for r in resources for s in r.sources} | {
        s for r in resources for p in r.properties for v in (*p.added, *p.removed) for s in v.sources
    }
    return Diff(
        old.name(),
        new.name(),
        new.base,
        dataset,
        resources,
        added,
        removed,
        {s: titles[s] for s in sorted(cited) if s in titles},
    )


# ---- for people ----------------------------------------------------------------------------------

PREFIX_ORDER = sorted({**PREFIXES, "dcat": DCAT}.items(), key=lambda kv: -len(kv[1]))


def short(iri: str, base: str) -> str:
    """An IRI as people read it: relative to the base of instance IRIs, or with a prefix.

    >>> short("https://w3id.org/pakg/id/pairing/PR-1", "https://w3id.org/pakg/id/")
    'pairing/PR-1'
    >>> short("https://w3id.org/pakg/ontology#Pairing", "https://w3id.org/pakg/id/")
    'pa:Pairing'
    """
    if iri.startswith(base):
        return iri[len(base) :]
    for prefix, namespace in PREFIX_ORDER:
        if iri.startswith(namespace) and iri != namespace:
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"


def term(text: str, base: str) -> str:
    """A term in N-Triples as people read it (IRIs shortened, datatypes prefixed)."""
    if text.startswith("<") and text.endswith(">"):
        return short(text[1:-1], base)
    if text.startswith('"') and "^^<" in text[text.rfind('"') :]:
        literal, _, datatype = text.rpartition("^^")
        return f"{literal}^^{short(datatype[1:-1], base)}"
    return text


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(d: Diff, title: str) -> str:
    b = d.base
    lines = [f"# {title}", "", f"From {d.old}", f"to {d.new}.", ""]
    if d.empty():
        lines += ["No facts were added, removed or changed.", ""]
        return "\n".join(lines)
    counts = {s: len(d.by_status(s)) for s in ("added", "removed", "changed")}
    lines += [
        f"Resources added: {counts['added']}; removed: {counts['removed']}; changed: {counts['changed']}. "
        f"Facts (triples) added: {d.triples_added}; removed: {d.triples_removed}.",
        "",
        "Computed from the two datasets (`pakg diff`): every resource whose facts differ, by property. "
        "`−` a value removed, `+` a value added (one removed and one added: a corrected value); "
        "the sources are the resource's (`prov:wasDerivedFrom`), and a fact's own where the dataset "
        "attributes it on its own. The dataset node's content hash, triple count, citation and rights notice "
        "(which name the hash) are left out.",
        "",
    ]
    if d.dataset:
        lines += ["## The dataset", ""]
        for change in d.dataset:
            lines += _property(change, b)
        lines.append("")
    headings = {"added": "Added", "removed": "Removed", "changed": "Changed"}
    for status in ("added", "removed", "changed"):
        group = d.by_status(status)
        if not group:
            continue
        lines += [f"## {headings[status]} ({len(group)})", ""]
        for r in group:
            kind = ", ".join(short(t, b) for t in r.types)
            head = f"### `{short(r.resource, b)}`" + (f" {r.label}" if r.label else "") + (f" ({kind})" if kind else "")
            lines += [head, ""]
            if r.graph != "data":
                lines.append(f"In the {r.graph} graph.")
            lines.append(
                "Sources: " + (", ".join(f"`{short(s, b)}`" for s in r.sources) if r.sources else "none stated") + "."
            )
            lines.append("")
            for change in r.properties:
                lines += _property(change, b)
            lines.append("")
    if d.source_titles:
        lines += ["## Sources cited above", "", "| source | title |", "|---|---|"]
        lines += [f"| `{short(s, b)}` | {_cell(t)} |" for s, t in d.source_titles.items()]
        lines.append("")
    return "\n".join(lines)


def _value(v: Value, base: str) -> str:
    own = f" (sources: {', '.join(short(s, base) for s in v.sources)})" if v.sources else ""
    return f"`{term(v.term, base)}`{own}"


def _property(change: PropertyChange, base: str) -> list[str]:
    name = short(change.property, base)
    if change.corrected():
        return [f"- {name}: {_value(change.removed[0], base)} → {_value(change.added[0], base)}"]
    out = [f"- {name}: − {_value(v, base)}" for v in change.removed]
    out += [f"- {name}: + {_value(v, base)}" for v in change.added]
    out += [
        f"- {name}: `{term(r.term, base)}` sources "
        f"{', '.join(short(s, base) for s in r.old_sources) or 'none'} → "
        f"{', '.join(short(s, base) for s in r.new_sources) or 'none'}"
        for r in change.resourced
    ]
    return out
