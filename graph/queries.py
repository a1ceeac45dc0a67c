"""Named SPARQL queries: one ``.rq`` file each under ``graph/queries/``.

Each file starts with a comment that says what it answers and, on a line
``# Parameters: ?name (IRI of a pa:Pairing), …``, ``?text (a plain string)`` or ``?year (an integer …)``,
the variables a caller must bind.  A parameter is typed by its description: ``iri`` when it says IRI
(with the ``pa:`` class it names, if any), ``integer`` when it says integer, else ``literal``.
Values are passed as bindings, never pasted into the query text; each file is read and checked once
per process.  ``NamedQuery.bind`` turns what a user types (an IRI, a short id, a name) into terms.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .config import PREFIXES, QUERY_DIR, XSD
from .errors import BadParameter, BadQuery, UnknownName
from .formats import Format, write_rdf
from .sparql import Answer, too_large, write_boolean, write_solutions
from .terms import SelectingEngine

if TYPE_CHECKING:
    from .readmodel import ReadModel
    from .store import Engine

Bound = ox.NamedNode | ox.Literal  # what a parameter is bound to: an IRI or a literal
PARAM = re.compile(r"\?(\w+) \(([^)]*)\)")
CLASS = re.compile(r"\bpa:([A-Z]\w*)")
PARAMETER_TYPES = ("iri", "literal", "integer")
INTEGER = re.compile(r"[+-]?\d+")
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
# the kinds of resource ``ReadModel.resolve`` finds by name, and the kind of each ontology class whose
# instances are of that kind (the pa: classes a parameter may name); any other class: ids and IRIs only
RESOLVABLE = ("actor", "programme", "instrument", "pairing", "source")
KIND_OF_CLASS = {
    **dict.fromkeys(
        (
            "Actor",
            "Organisation",
            "RegionalGovernment",
            "PartyOrgan",
            "StateOrgan",
            "Ministry",
            "XPCCUnit",
            "Hospital",
            "University",
            "WorkUnit",
            "CommandHeadquarters",
            "Team",
            "Person",
            "PersonGroup",
        ),
        "actor",
    ),
    **dict.fromkeys(("Pairing", "Mentorship"), "pairing"),
    "Programme": "programme",
    **dict.fromkeys(
        (
            "Instrument",
            "HardLaw",
            "SoftLaw",
            "Constitution",
            "Law",
            "AdministrativeRegulation",
            "LeadershipDirective",
            "CentralPolicy",
            "BilateralAgreement",
            "LocalPolicy",
        ),
        "instrument",
    ),
    "Provision": "provision",
    "Source": "source",
    "Evidence": "evidence",
    "Figure": "figure",
    "CoverageStatement": "coverage",
    "KnownGap": "gap",
    **dict.fromkeys(("MicroAlliance", "PoliticalPerformanceAlliance", "SkillAlliance"), "alliance"),
}


@dataclass(frozen=True)
class Parameter:
    """One parameter of a named query: its variable, type (``iri``, ``literal`` or ``integer``), the
    ``pa:`` class an IRI must be of (``"pa:Pairing"``; None for any resource) and its description."""

    name: str
    type: str
    cls: str | None
    description: str

    @classmethod
    def parse(cls, name: str, description: str) -> Parameter:
        """The parameter a header's ``?name (description)`` declares.

        >>> Parameter.parse("pairing", "IRI of a pa:Pairing")
        Parameter(name='pairing', type='iri', cls='pa:Pairing', description='IRI of a pa:Pairing')
        >>> Parameter.parse("year", "an integer, a year").type, Parameter.parse("text", "a plain string").type
        ('integer', 'literal')
        """
        if "IRI" in description:
            found = CLASS.search(description)
            return cls(name, "iri", f"pa:{found.group(1)}" if found else None, description)
        kind = "integer" if re.search(r"\binteger\b", description, re.I) else "literal"
        return cls(name, kind, None, description)

    @property
    def kind(self) -> str | None:
        """The kind of resource (``ReadModel`` kinds: actor, pairing, …) an IRI parameter names."""
        return KIND_OF_CLASS.get(self.cls[3:]) if self.cls else None

    def term(self, value: str, model: ReadModel | None) -> Bound:
        """``value`` as the term this parameter binds; ``BadParameter`` naming it when it cannot be."""
        if self.type == "integer":
            if not INTEGER.fullmatch(value.strip()):
                raise BadParameter(self.name, f"?{self.name}: '{value}' is not an integer ({self.description})")
            return ox.Literal(str(int(value.strip())), datatype=ox.NamedNode(XSD + "integer"))
        if self.type == "literal":
            return ox.Literal(value)
        return ox.NamedNode(self._iri(value.strip(), model))

    def _iri(self, value: str, model: ReadModel | None) -> str:
        if not value:
            raise BadParameter(self.name, f"?{self.name} is empty: give {self._wanted(model)}")
        kind = self.kind
        if model is not None and kind in RESOLVABLE:
            return model.resolve(kind, value, self.name)
        prefix, colon, local = value.partition(":")
        if colon and prefix in PREFIXES and not local.startswith("//"):
            return _checked(PREFIXES[prefix] + local, self.name)
        if model is None:
            if SCHEME.match(value):
                return _checked(value, self.name)
            raise BadParameter(
                self.name,
                f"?{self.name}: '{value}' is not an absolute IRI (a short id or a name can be used where the "
                "dataset is at hand)",
            )
        if SCHEME.match(value):
            iri = _checked(value, self.name)
            if kind is not None and model.split(iri)[0] not in (kind, None):
                raise BadParameter(self.name, f"?{self.name}: '{value}' is not the IRI of a {self.cls}")
            return iri
        if kind is not None:  # a kind no name resolves (provisions, figures, …): its short id
            iri = model.iri(kind, value)
            if iri in model.resources:
                return iri
            raise BadParameter(self.name, f"?{self.name}: unknown {kind} id '{value}' (give {self._wanted(model)})")
        # any resource: a short id of any kind of the data, else a name of an actor, programme, …
        ids = [r.iri for r in model.resources.values() if r.id == value]
        if len(ids) == 1:
            return ids[0]
        return model.resolve(RESOLVABLE, value, self.name)

    def _wanted(self, model: ReadModel | None) -> str:
        if model is None:
            return "an absolute IRI"
        if self.kind in RESOLVABLE:
            return f"an IRI, id or name of a {self.kind}"
        if self.kind:
            return f"an IRI or id of a {self.kind}"
        return "an IRI, a prefixed name (pa:…) or the id or name of a resource"


def _checked(iri: str, parameter: str) -> str:
    """``iri`` when it is a valid absolute IRI, else ``BadParameter``."""
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise BadParameter(parameter, f"?{parameter}: '{iri}' is not a valid IRI ({exc})") from None
    return iri


@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: str
    description: str
    params: dict[str, Parameter]  # variable -> its parameter, in the header's order
    form: str = "SELECT"  # SELECT, ASK or CONSTRUCT: what its answer is (solutions, a boolean, triples)

    def bind(self, values: Mapping[str, str], model: ReadModel | None) -> dict[str, Bound]:
        """The bindings of ``values`` (parameter name, with or without '?', → what a user typed): IRI
        parameters take an IRI, a prefixed name (``pa:Pairing``) and, with a ``model``, a short id or a
        name of a resource of the class the parameter names (``ReadModel.resolve``); integers must be
        integers.  ``BadParameter`` naming the parameter for an unknown, missing or unusable one."""
        given = {k.lstrip("?$"): v for k, v in values.items()}
        takes = ", ".join(f"?{p}" for p in self.params) or "no parameters"
        for k in given:
            if k not in self.params:
                raise BadParameter(k, f"query '{self.name}' has no parameter '{k}' (it takes {takes})")
        for k, p in self.params.items():
            if k not in given:
                raise BadParameter(k, f"query '{self.name}' needs ?{k} ({p.description})")
        return {k: self.params[k].term(v, model) for k, v in given.items()}

    def bindings(self, values: Mapping[str, str]) -> dict[str, Bound]:
        """The bindings of ``values`` given as IRIs and literals (what the code's own callers pass)."""
        return self.bind(values, None)


FORM_OF = {ox.QuerySolutions: "SELECT", ox.QueryBoolean: "ASK", ox.QueryTriples: "CONSTRUCT"}


@cache
def named_queries() -> dict[str, NamedQuery]:
    out = {}
    for path in sorted(QUERY_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        header = [line[1:].strip() for line in text.splitlines() if line.startswith("#")]
        params: dict[str, Parameter] = {}
        description = []
        for line in header:
            if line.startswith("Parameters:"):
                params = {name: Parameter.parse(name, desc) for name, desc in PARAM.findall(line)}
            else:
                description.append(line)
        try:  # every named query must parse; a broken file fails at start-up, not on a request
            empty = ox.Store().query(text)
        except SyntaxError as exc:
            raise BadQuery(f"{path.name}: SPARQL syntax {exc}") from exc
        form = FORM_OF[type(empty)]
        out[path.stem] = NamedQuery(path.stem, text, " ".join(description), params, form)
    return out


def get(name: str) -> NamedQuery:
    try:
        return named_queries()[name]
    except KeyError:
        raise UnknownName(f"no named query '{name}' (known: {', '.join(named_queries())})") from None


def run(engine: SelectingEngine, name: str, **values: str) -> list[dict[str, Any]]:
    """Run a named query with its parameters bound; rows of plain Python values."""
    query = get(name)
    rows = engine.select(query.text, query.bindings(values))
    return [{k: to_python(v) for k, v in row.items()} for row in rows]


def answer(
    engine: Engine, query: NamedQuery, terms: dict[str, Bound], fmt: Format, row_cap: int, max_bytes: int
) -> Answer:
    """A named query run with its bindings (``NamedQuery.bind``) and written in ``fmt`` (one of
    ``formats.answering(query.form)``): at most ``row_cap`` rows or triples (``truncated`` says when
    there were more) and ``max_bytes`` bytes (``TooLarge`` past it)."""
    result = engine.query(query.text, terms)
    if isinstance(result, ox.QueryBoolean):
        return Answer(write_boolean(fmt.name, bool(result)), fmt.media_type, False, 1)
    items: list[Any] = []
    size, truncated = 0, False
    for item in result:
        if len(items) == row_cap:
            truncated = True
            break
        row = tuple(item) if isinstance(result, ox.QuerySolutions) else (item.subject, item.predicate, item.object)
        size += sum(len(t.value) if t is not None and not isinstance(t, ox.Triple) else 64 for t in row)
        if size > max_bytes:
            raise too_large(max_bytes)
        items.append(row if isinstance(result, ox.QuerySolutions) else item)
    if isinstance(result, ox.QuerySolutions):
        body = write_solutions(fmt.name, [v.value for v in result.variables], items)
    else:
        body = write_rdf(items, fmt.rdf(), PREFIXES if fmt.prefixes else None)
    if len(body) > max_bytes:
        raise too_large(max_bytes)
    return Answer(body, fmt.media_type, truncated, len(items))


INTEGERS = {XSD + t for t in ("integer", "int", "long", "nonNegativeInteger", "gYear")}


def to_python(term) -> Any:
    """A pyoxigraph term as a plain value: IRIs and strings as str, integers and years as int."""
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt in INTEGERS:
            try:
                return int(term.value)
            except ValueError:
                return term.value
        if dt == XSD + "decimal" or dt == XSD + "double":
            return float(term.value)
        if dt == XSD + "boolean":
            return term.value == "true"
        return term.value
    return term.value


@dataclass(frozen=True)
class Example:
    name: str
    title_zh: str
    title_en: str
    text: str


@lru_cache(maxsize=1)
def examples() -> tuple[Example, ...]:
    """Bilingual example queries (graph/queries/examples/*.rq) for the query page and the explorer."""
    out = []
    for path in sorted((QUERY_DIR / "examples").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        titles = dict(re.findall(r"^# (title_zh|title_en): (.+)$", text, re.M))
        out.append(Example(path.stem, titles["title_zh"], titles["title_en"], text))
    return tuple(out)
