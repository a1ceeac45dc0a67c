"""The SPARQL 1.1 endpoint's logic: running a query, capped results, written in a format of
``graph.formats`` (which one is negotiated by ``api.negotiation``).

A query is read by ``graph.sparql_syntax`` (on a real parse) and passed or refused by the service's
guard (``api.guard``) before it runs; ``execute`` runs a query the guard passed on a store (reporting
syntax errors with the engine's position, as ``graph.sparql_syntax.QuerySyntaxError``)
and writes the answer in the negotiated format (graphs in Turtle and TriG with the dataset's
prefixes), cutting it at a row cap and saying so, and stopping as soon as the answer passes its byte cap.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any, cast
from xml.sax.saxutils import escape, quoteattr

import orjson
import pyoxigraph as ox

from .config import PREFIXES
from .errors import BadQuery, PakgError
from .formats import Format, write_rdf
from .geosparql import query_options
from .sparql_syntax import QueryInfo, engine_syntax_error
from .terms import QueryableStore, Term


class TooLarge(PakgError):
    """A query or an answer over its cap."""


# ---- running and writing ----------------------------------------------------------------


@dataclass
class Answer:
    body: bytes
    media_type: str
    truncated: bool
    rows: int


NATIVE_JSON_ROW_BYTES = 400  # JSON answers up to this many bytes per capped row are written by the engine
TERM_OVERHEAD = 48  # bytes an answer spends on a term besides its value (markup, quotes, datatype)


class QueryFailed(BadQuery):
    """The engine stopped a query while running it.  The engine's own text (which may quote what
    a remote server answered) is kept in ``detail`` for the log, never shown to the client."""

    def __init__(self, detail: str):
        super().__init__("the query failed while running")
        self.detail = detail


class _Full(Exception):
    pass


class _Capped(io.RawIOBase):
    """Where the engine writes an answer: kept in memory up to ``limit`` bytes, refused beyond."""

    def __init__(self, limit: int):
        self.limit, self.size = limit, 0
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, chunk) -> int:
        self.size += len(chunk)
        if self.size > self.limit:
            raise _Full()
        self.parts.append(bytes(chunk))
        return len(chunk)


def _native_json(result: ox.QuerySolutions, media_type: str, row_cap: int, max_bytes: int) -> Answer | None:
    """SELECT results in JSON as the engine writes them (much faster than term by term in Python),
    cut at the row cap after reading them back; None when the answer is too large to write this way."""
    sink = _Capped(min(NATIVE_JSON_ROW_BYTES * row_cap, max_bytes))
    try:
        # the engine only calls write(); the stub asks for a whole typing.IO, which no io class is declared as
        result.serialize(cast(IO[bytes], sink), format=ox.QueryResultsFormat.JSON)
    except _Full:
        return None
    body = b"".join(sink.parts)
    parsed = orjson.loads(body)
    bindings = parsed["results"]["bindings"]
    if len(bindings) <= row_cap:
        return Answer(body, media_type, False, len(bindings))
    parsed["results"]["bindings"] = bindings[:row_cap]
    return Answer(orjson.dumps(parsed), media_type, True, row_cap)


ANSWER_KINDS = {
    "SELECT": (ox.QuerySolutions,),
    "ASK": (ox.QueryBoolean,),  # (a remote store's triples: a list)
    "CONSTRUCT": (ox.QueryTriples, list),
    "DESCRIBE": (ox.QueryTriples, list),
}


def too_large(max_bytes: int) -> TooLarge:
    return TooLarge(f"the answer is larger than {max_bytes} bytes; narrow the query or add a LIMIT")


def _size(term: Term | None) -> int:
    if term is None:
        return 0
    if isinstance(term, ox.Triple):
        return _size(term.subject) + _size(term.predicate) + _size(term.object)
    return len(term.value) + TERM_OVERHEAD


def execute(
    store: QueryableStore,
    info: QueryInfo,
    fmt: Format,
    row_cap: int,
    default_graphs: list[str] | None = None,
    named_graphs: list[str] | None = None,
    max_bytes: int = 64 * 1024 * 1024,
) -> Answer:
    """Run a query the guard passed and write its answer in ``fmt`` (one of ``formats.answering`` its
    form), at most ``row_cap`` rows (or triples) and ``max_bytes`` bytes: the answer is measured as its
    rows are read, and reading stops (TooLarge) as soon as it is past the cap, so no more than the cap
    is ever held.  The embedded engine runs it with the extension functions of ``graph.geosparql``."""
    kwargs: dict[str, Any] = query_options(store)
    if default_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    else:
        kwargs["use_default_graph_as_union"] = True
    if named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    try:
        result = store.query(info.text, **kwargs)
        if not any(isinstance(result, kind) for kind in ANSWER_KINDS[info.form]):
            raise BadQuery(f"the engine did not read a {info.form} query in this text")  # never trust one reader
        if fmt.name == "json" and isinstance(result, ox.QuerySolutions):
            answer = _native_json(result, fmt.media_type, row_cap, max_bytes)
            if answer is not None:
                return answer
            result = store.query(info.text, **kwargs)  # too large for that: again, stopping at the cap
        if isinstance(result, ox.QueryBoolean):
            return Answer(write_boolean(fmt.name, bool(result)), fmt.media_type, False, 1)
        rows: list[tuple[Term | None, ...]] = []  # of a SELECT
        triples: list[ox.Triple] = []  # of a CONSTRUCT or a DESCRIBE
        size, truncated = 0, False
        for item in result:
            if len(rows) + len(triples) == row_cap:
                truncated = True
                break
            if isinstance(result, ox.QuerySolutions):
                row = tuple(item)
                size += sum(map(_size, row))
                rows.append(row)
            else:
                size += _size(item)
                triples.append(item)
            if size > max_bytes:
                raise too_large(max_bytes)
        if isinstance(result, ox.QuerySolutions):
            body = write_solutions(fmt.name, [v.value for v in result.variables], rows)
        else:
            body = write_rdf(triples, fmt.rdf(), PREFIXES if fmt.prefixes else None)  # (Turtle, TriG: pa:, skos: …)
        if len(body) > max_bytes:
            raise too_large(max_bytes)
        return Answer(body, fmt.media_type, truncated, len(rows) + len(triples))
    except SyntaxError as exc:  # the engine's parser and the guard's disagree: the engine's place, in words
        raise engine_syntax_error(info.text, exc) from None
    except (RuntimeError, ValueError, OSError) as exc:
        raise QueryFailed(str(exc)) from None


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
NUMERIC = {f"http://www.w3.org/2001/XMLSchema#{t}" for t in ("integer", "decimal", "double")}


def _json_term(term: Term) -> dict[str, str]:
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


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):  # a triple term (SPARQL 1.2), as the engine writes one
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
            f"</predicate><object>{_xml_term(term.object)}</object></triple>"
        )
    attrs = ""
    if term.language:
        attrs = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype.value != XSD_STRING:
        attrs = f" datatype={quoteattr(term.datatype.value)}"
    return f"<literal{attrs}>{escape(term.value)}</literal>"


def _csv_term(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Triple):  # a triple term (SPARQL 1.2), as the engine writes one: its terms' values
        return " ".join(_csv_term(t) for t in (term.subject, term.predicate, term.object))
    return term.value


def _tsv_term(term: Term | None) -> str:
    if term is None:
        return ""
    if (
        isinstance(term, ox.Literal)
        and not term.language
        and term.datatype.value in NUMERIC
        and re.fullmatch(r"[+-]?[0-9.eE+-]+", term.value)
    ):
        return term.value
    return str(term).replace("\t", "\\t").replace("\n", "\\n")


def write_solutions(fmt: str, variables: list[str], rows: Sequence[Sequence[Term | None]]) -> bytes:
    if fmt == "json":
        seen: dict = {}  # a term met again (a predicate, a class, a supporter) is converted once

        def term(t):
            found = seen.get(t)
            if found is None:
                found = seen[t] = _json_term(t)
            return found

        bindings = [{v: term(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows]
        return orjson.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}})
    if fmt == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        out.append("</head><results>")
        for row in rows:
            out.append("<result>")
            out += [
                f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(variables, row, strict=True)
                if t is not None
            ]
            out.append("</result>")
        out.append("</results></sparql>\n")
        return "".join(out).encode()
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_term(t) for t in row] for row in rows)
        return buf.getvalue().encode()
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in variables)]
        lines += ["\t".join(_tsv_term(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode()
    raise ValueError(f"format '{fmt}' cannot express solutions")  # a caller's mistake: negotiation never asks


def write_boolean(fmt: str, value: bool) -> bytes:
    if fmt == "json":
        return orjson.dumps({"head": {}, "boolean": value})
    return (
        f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
        f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n"
    ).encode()
