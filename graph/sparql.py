"""The SPARQL 1.1 endpoint's logic: a guard before the engine, content negotiation, capped results.

``analyse`` reads a query's tokens before anything runs it: it finds the query form and
refuses updates (read-only), federation (``SERVICE``), ``LOAD`` and ``FROM``/``FROM NAMED``
naming anything that is not a graph of this dataset.  ``execute`` parses and runs an
analysed query on a store (reporting syntax errors with the parser's position) and writes
the answer in the negotiated format, cutting it at a row cap and saying so.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import orjson
import pyoxigraph as ox

from .errors import BadQuery, PakgError
from .formats import RDF_FORMATS


class QueryRefused(PakgError):
    """A query this server will not run (federation, LOAD, foreign FROM): answered with 400."""


class UpdateRefused(PakgError):
    """A SPARQL Update: the endpoint is read-only (403)."""


class TooLarge(PakgError):
    """A query, request body or answer over its cap: 413 (``status`` 414 for a query in the URL)."""

    def __init__(self, message: str, status: int = 413):
        super().__init__(message)
        self.status = status


class TooManyRequests(PakgError):
    """Too many queries in flight from one client (429)."""


class NotAcceptable(PakgError):
    """No format of the query's form fits the request (406); ``supported`` lists the media types."""

    def __init__(self, message: str, supported: list[str]):
        super().__init__(message)
        self.supported = supported


@dataclass(frozen=True)
class ResultFormat:
    name: str
    media_type: str
    forms: frozenset[str]


SOLUTION_FORMS = frozenset({"SELECT"})
BOOLEAN_FORMS = frozenset({"ASK"})
GRAPH_FORMS = frozenset({"CONSTRUCT", "DESCRIBE"})
FORMATS: dict[str, ResultFormat] = {f.name: f for f in (
    ResultFormat("json", "application/sparql-results+json", SOLUTION_FORMS | BOOLEAN_FORMS),
    ResultFormat("xml", "application/sparql-results+xml", SOLUTION_FORMS | BOOLEAN_FORMS),
    ResultFormat("csv", "text/csv", SOLUTION_FORMS),
    ResultFormat("tsv", "text/tab-separated-values", SOLUTION_FORMS),
    ResultFormat("turtle", "text/turtle", GRAPH_FORMS),
    ResultFormat("ntriples", "application/n-triples", GRAPH_FORMS),
    ResultFormat("jsonld", "application/ld+json", GRAPH_FORMS),
    ResultFormat("rdfxml", "application/rdf+xml", GRAPH_FORMS),
)}
# other names clients use for the same formats
ALIASES = {"application/json": "json", "application/xml": "xml", "text/xml": "xml", "text/plain": "ntriples",
           "application/x-turtle": "turtle", "text/n3": "turtle", "application/turtle": "turtle",
           "application/sparql-results+json": "json", "application/sparql-results+xml": "xml",
           "text/tab-separated-values": "tsv", "text/csv": "csv"}
DEFAULTS = {"SELECT": "json", "ASK": "json", "CONSTRUCT": "turtle", "DESCRIBE": "turtle"}

# ---- reading a query without running it ---------------------------------------------

TOKEN = re.compile(r'''
    (?P<comment>\#[^\n]*)
  | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|'{3}(?:[^'\\]|\\.|'(?!''))*'{3}|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_]+)
  | (?P<pname>(?:[A-Za-z][\w\-.]*)?:[\w\-.%]*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*)
  | (?P<other>\S)
''', re.VERBOSE)
UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"}
FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


@dataclass(frozen=True)
class QueryInfo:
    form: str
    text: str


def tokens(text: str) -> list[tuple[str, str]]:
    out = []
    for m in TOKEN.finditer(text):
        kind = m.lastgroup
        if kind != "comment":
            out.append((kind, m.group()))
    return out


def analyse(text: str, dataset_graphs: set[str]) -> QueryInfo:
    """Check a query before it runs; raise UpdateRefused or QueryRefused, or BadQuery when it names no
    query form.  Reading the tokens is enough to refuse: no engine sees a refused query, not even to
    parse it.  Syntax errors (with the parser's position) come from ``execute``, which parses first."""
    parts = tokens(text)
    words = [(i, v.upper()) for i, (k, v) in enumerate(parts) if k == "word"]
    upper = [w for _, w in words]
    if "SERVICE" in upper:
        raise QueryRefused("SERVICE (federated query) is not allowed: this server makes no outbound requests")
    if _looks_like_update(words):  # a query starts (after its prologue) with its form, never so
        raise UpdateRefused("SPARQL Update is not allowed: this endpoint is read-only")
    for index, word in words:
        if word == "FROM":
            nxt = parts[index + 1:index + 3]
            iri = next((v for k, v in nxt if k == "iri"), None)
            if iri is None or iri[1:-1] not in dataset_graphs:
                raise QueryRefused("FROM and FROM NAMED may name only graphs of this dataset: "
                                   + ", ".join(sorted(dataset_graphs)))
    form = next((w for w in upper if w in FORMS), None)
    if form is None:
        raise BadQuery("malformed query: no SELECT, ASK, CONSTRUCT or DESCRIBE")
    return QueryInfo(form, text)


def _looks_like_update(words: list[tuple[int, str]]) -> bool:
    """An update starts (after PREFIX/BASE declarations) with an update keyword or WITH."""
    for _, word in words:
        if word in ("PREFIX", "BASE"):
            continue
        return word in UPDATE_WORDS or word == "WITH"
    return False


# ---- content negotiation ---------------------------------------------------------------

def _accept_entries(accept: str) -> list[tuple[str, float, int]]:
    entries = []
    for order, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        entries.append((media, q, order))
    return entries


def negotiate(form: str, accept: str | None, format_param: str | None) -> ResultFormat:
    """Pick the answer format: ``format`` wins; else the Accept header by q-value; else the default."""
    supported = [f for f in FORMATS.values() if form in f.forms]
    media_types = [f.media_type for f in supported]
    if format_param:
        name = ALIASES.get(format_param.lower(), format_param.lower())
        if name in FORMATS and form in FORMATS[name].forms:
            return FORMATS[name]
        raise NotAcceptable(f"format '{format_param}' cannot express a {form} answer", media_types)
    if not accept:
        return FORMATS[DEFAULTS[form]]
    best: tuple[float, int, int] | None = None
    chosen = None
    for media, q, order in _accept_entries(accept):
        if q <= 0:
            continue
        if media in ("*/*", "application/*", "text/*"):
            candidate = FORMATS[DEFAULTS[form]]
            if media != "*/*" and not candidate.media_type.startswith(media[:-1]):
                candidate = next((f for f in supported if f.media_type.startswith(media[:-1])), None)
            specificity = 0
        else:
            name = ALIASES.get(media)
            candidate = FORMATS.get(name) if name else next((f for f in supported if f.media_type == media), None)
            specificity = 1
        if candidate is None or form not in candidate.forms:
            continue
        key = (q, specificity, -order)
        if best is None or key > best:
            best, chosen = key, candidate
    if chosen is None:
        raise NotAcceptable(f"no format acceptable to '{accept}' can express a {form} answer", media_types)
    return chosen


# ---- running and writing ----------------------------------------------------------------

@dataclass
class Answer:
    body: bytes
    media_type: str
    truncated: bool
    rows: int


_PARSER = ox.Store()  # empty: parses a query for a store that is not pyoxigraph's, answering at once
NATIVE_JSON_ROW_BYTES = 400  # JSON answers up to this many bytes per capped row are written by the engine


class _Full(Exception):
    pass


class _Capped(io.RawIOBase):
    """Where the engine writes an answer: kept in memory up to ``limit`` bytes, refused beyond."""

    def __init__(self, limit: int):
        self.limit, self.size, self.parts = limit, 0, []

    def writable(self) -> bool:
        return True

    def write(self, chunk) -> int:
        self.size += len(chunk)
        if self.size > self.limit:
            raise _Full()
        self.parts.append(bytes(chunk))
        return len(chunk)


def _native_json(result: ox.QuerySolutions, media_type: str, row_cap: int) -> Answer | None:
    """SELECT results in JSON as the engine writes them (much faster than term by term in Python),
    cut at the row cap after reading them back; None when the answer is too large to write this way."""
    sink = _Capped(NATIVE_JSON_ROW_BYTES * row_cap)
    try:
        result.serialize(sink, format=ox.QueryResultsFormat.JSON)
    except _Full:
        return None
    body = b"".join(sink.parts)
    parsed = orjson.loads(body)
    bindings = parsed["results"]["bindings"]
    if len(bindings) <= row_cap:
        return Answer(body, media_type, False, len(bindings))
    parsed["results"]["bindings"] = bindings[:row_cap]
    return Answer(orjson.dumps(parsed), media_type, True, row_cap)


def execute(store: ox.Store, info: QueryInfo, fmt: ResultFormat, row_cap: int,
            default_graphs: list[str] | None = None, named_graphs: list[str] | None = None) -> Answer:
    kwargs: dict = {}
    if default_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    else:
        kwargs["use_default_graph_as_union"] = True
    if named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    try:
        if not isinstance(store, ox.Store):  # same syntax errors, with positions, whatever the backend
            _PARSER.query(info.text)
        result = store.query(info.text, **kwargs)
        if fmt.name == "json" and isinstance(result, ox.QuerySolutions):
            answer = _native_json(result, fmt.media_type, row_cap)
            if answer is not None:
                return answer
            result = store.query(info.text, **kwargs)  # too large for that: again, stopping at the cap
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = []
            for solution in result:
                if len(rows) == row_cap:
                    return Answer(write_solutions(fmt.name, variables, rows), fmt.media_type, True, len(rows))
                rows.append(tuple(solution))
            return Answer(write_solutions(fmt.name, variables, rows), fmt.media_type, False, len(rows))
        if isinstance(result, ox.QueryBoolean):
            return Answer(write_boolean(fmt.name, bool(result)), fmt.media_type, False, 1)
        triples = []
        truncated = False
        for triple in result:
            if len(triples) == row_cap:
                truncated = True
                break
            triples.append(triple)
        spec = RDF_FORMATS[fmt.name]
        return Answer(ox.serialize(triples, format=spec.format), fmt.media_type, truncated, len(triples))
    except SyntaxError as exc:
        raise BadQuery(f"malformed query: {exc}") from None
    except (RuntimeError, ValueError, OSError) as exc:
        raise BadQuery(f"the query failed: {exc}") from None


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
NUMERIC = {f"http://www.w3.org/2001/XMLSchema#{t}" for t in ("integer", "decimal", "double")}


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    attrs = ""
    if term.language:
        attrs = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype.value != XSD_STRING:
        attrs = f" datatype={quoteattr(term.datatype.value)}"
    return f"<literal{attrs}>{escape(term.value)}</literal>"


def _tsv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal) and not term.language and term.datatype.value in NUMERIC \
            and re.fullmatch(r"[+-]?[0-9.eE+-]+", term.value):
        return term.value
    return str(term).replace("\t", "\\t").replace("\n", "\\n")


def write_solutions(fmt: str, variables: list[str], rows: list[list]) -> bytes:
    if fmt == "json":
        seen: dict = {}  # a term met again (a predicate, a class, a supporter) is converted once

        def term(t):
            found = seen.get(t)
            if found is None:
                found = seen[t] = _json_term(t)
            return found
        bindings = [{v: term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
        return orjson.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}})
    if fmt == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        out.append("</head><results>")
        for row in rows:
            out.append("<result>")
            out += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>" for v, t in zip(variables, row)
                    if t is not None]
            out.append("</result>")
        out.append("</results></sparql>\n")
        return "".join(out).encode()
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows(["" if t is None else t.value for t in row] for row in rows)
        return buf.getvalue().encode()
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in variables)]
        lines += ["\t".join(_tsv_term(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode()
    raise NotAcceptable(f"format '{fmt}' cannot express solutions", [])


def write_boolean(fmt: str, value: bool) -> bytes:
    if fmt == "json":
        return orjson.dumps({"head": {}, "boolean": value})
    return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
            f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
