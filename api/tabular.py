"""Lists as tables: every REST listing (and every named query) as JSON or CSV through the same URL.

A route takes part by one dependency parameter:

- ``tabular`` (``format=json|csv``, ``bom=true``): the list's items as CSV — one row per item, scalar
  columns, lists joined with "; ", a reference as its id plus a ``<name>_label`` column (the label in the
  request's language), a nested object (a period) as ``<name>_<field>`` columns; ``bom`` puts a UTF-8 BOM
  first, for Excel.  The columns are those of the route's item model, in its order, so that an empty
  page still has its header.  CSV is the page the parameters ask for (``limit``, ``offset``), with a
  ``Link: <…>; rel="next"`` header while more items follow.
- ``listing(kind)`` (the above and ``facet=…``): a listing of a kind (``graph.facets.FACETS``), which
  passes ``Table.facets`` on to its answer (``"facets"`` counted over every item the filters keep).
- ``query_format`` (``format`` among the SPARQL answer formats, ``bom``): the named queries, which write
  their own answer (SPARQL JSON, XML, CSV, TSV, or an RDF format for a CONSTRUCT).

``Tables``, a pure ASGI middleware, does the rest once for every such route: it maps the suffix form
(``/pairings.csv``, ``/pairings.json``, ``/queries/supporters_of.tsv``) onto the route with ``format=``
set from the suffix (the suffix wins over a ``format`` in the query), and writes a listing's JSON answer
(status 200) as CSV when CSV is asked.  Errors stay JSON.
"""

from __future__ import annotations

import csv
import io
import re
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qsl, quote, urlencode

import orjson
from fastapi import Depends, Query
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel
from starlette.routing import compile_path

from graph import facets as graph_facets
from graph import formats
from graph.formats import Use

BOM = "\ufeff"
JOIN = "; "
LIST_FORMATS = ("json", "csv")
QUERY_FORMATS = tuple(formats.names(Use.ANSWER))
TRUE = ("1", "true", "t", "yes", "y", "on")  # what a boolean query parameter takes as true (as pydantic reads it)
BOM_DESCRIPTION = "start a CSV (or TSV) answer with a UTF-8 byte-order mark, for Excel"


@dataclass(frozen=True)
class Tabular:
    """How a list is asked for: ``format`` (json or csv) and whether CSV starts with a BOM."""

    format: str = "json"
    bom: bool = False


@dataclass(frozen=True)
class Table:
    """A listing's table parameters: format, BOM and the facets to count."""

    format: str = "json"
    bom: bool = False
    facets: tuple[str, ...] = ()


async def tabular(
    format: Literal["json", "csv"] = Query(
        "json", description="json, or csv: one row per item (also as a suffix: /pairings.csv)"
    ),
    bom: bool = Query(False, description=BOM_DESCRIPTION),
) -> Tabular:
    """The format of a list answer (written as CSV by ``Tables``)."""
    return Tabular(format, bom)


tabular.formats = LIST_FORMATS  # type: ignore[attr-defined]  # the suffixes ``Tables`` maps onto the route


def listing(of: str) -> Callable[..., Any]:
    """The table parameters of the listing of kind ``of``: ``tabular``'s and ``facet``, the facets
    ``graph.facets.FACETS`` gives that kind (an unknown one: 422 naming ``facet`` and listing them)."""
    names = list(graph_facets.FACETS[of])

    async def table(
        shape: Tabular = Depends(tabular),
        facet: list[str] = Query(
            [],
            max_length=len(names),
            description="count the items matching the filters (all pages) by each value of these fields: "
            f"{', '.join(names)} (comma-separated or repeated)",
            json_schema_extra={"items": {"type": "string", "maxLength": 200, "examples": [",".join(names[:3])]}},
        ),
    ) -> Table:
        asked = graph_facets.split_facets(facet)
        graph_facets.check(of, asked)
        return Table(shape.format, shape.bom, asked)

    return table


async def query_format(
    format: str | None = Query(
        None,
        description="the answer's format (else by Accept; SPARQL JSON by default): json, xml, csv, tsv for a "
        "SELECT; turtle, ntriples, nquads, trig, jsonld, rdfxml for a CONSTRUCT (also as a suffix: "
        "/queries/NAME.csv)",
        json_schema_extra={"enum": list(QUERY_FORMATS)},
    ),
    bom: bool = Query(False, description=BOM_DESCRIPTION),
) -> Tabular:
    """The format of a named query's answer (negotiated by the route, with ``Accept``)."""
    return Tabular(format or "", bom)


query_format.formats = QUERY_FORMATS  # type: ignore[attr-defined]


# ---- the renderer ------------------------------------------------------------------------------
def columns_of(model: Any) -> list[str]:
    """The CSV columns of items of a pydantic model, in its fields' order (see ``row``)."""
    out: list[str] = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        inner, many = _unwrap(info.annotation)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            if "id" in inner.model_fields:
                out += [key, f"{key}_label"]
            elif many:
                out.append(key)
            else:
                out += [f"{key}_{c}" for c in columns_of(inner)]
        else:
            out.append(key)
    return out


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The model (or scalar type) inside an annotation, and whether it is a list of them."""
    many = False
    while True:
        origin = typing.get_origin(annotation)
        if origin in (typing.Union, types.UnionType):
            found = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [a for a in found if isinstance(a, type) and issubclass(a, BaseModel)]
            annotation = models[0] if models else found[0] if len(found) == 1 else str
        elif origin in (list, tuple, set, frozenset, Sequence):
            many = True
            annotation = typing.get_args(annotation)[0]
        else:
            return annotation, many


def row(item: dict[str, Any]) -> dict[str, Any]:
    """One item as one CSV row: scalars as they are, lists joined with "; ", a reference (an object with
    an ``id``) as its id with its label in ``<name>_label``, another object as ``<name>_<field>``.

    >>> row({"id": "PR-1", "fields": ["medical", "education"], "supporter": {"id": "x", "label": "X"},
    ...      "period": {"start": 2010, "end": None}, "parent": None})
    {'id': 'PR-1', 'fields': 'medical; education', 'supporter': 'x', 'supporter_label': 'X', 'period_start': 2010, \
'period_end': None, 'parent': None}
    """
    out: dict[str, Any] = {}
    for key, value in item.items():
        _put(out, key, value)
    return out


def _put(out: dict[str, Any], key: str, value: Any) -> None:
    if isinstance(value, dict):
        if "id" in value:
            out[key], out[f"{key}_label"] = value["id"], _label(value)
        else:
            for k, v in value.items():
                _put(out, f"{key}_{k}", v)
    elif isinstance(value, list):
        if value and all(isinstance(v, dict) and "id" in v for v in value):
            out[key] = JOIN.join(str(v["id"]) for v in value)
            out[f"{key}_label"] = JOIN.join(_label(v) or "" for v in value)
        else:
            out[key] = JOIN.join(_text(v) for v in value)
    else:
        out[key] = value


def _label(ref: dict[str, Any]) -> str | None:
    """A reference's label in the request's language (``label``, added by ``api.deps.localise``), else
    either label, else its title (a source)."""
    for key in ("label", "label_en", "label_zh", "title"):
        if ref.get(key):
            return str(ref[key])
    return None


def _text(value: Any) -> str:
    """A list element as text: a scalar as it is, an object by its first value that is not empty."""
    if isinstance(value, dict):
        first = next((v for v in value.values() if v not in (None, "", [], {})), "")
        return _text(first)
    if isinstance(value, list):
        return ",".join(_text(v) for v in value)
    return _cell(value)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_csv(items: Sequence[dict[str, Any]], columns: Sequence[str] = (), bom: bool = False) -> bytes:
    """Items as CSV (RFC 4180, CRLF): the ``columns`` first, then any other column the rows have, in
    the order met."""
    rows = [row(i) for i in items]
    header = list(columns)
    known = set(header)
    for r in rows:
        for k in r:
            if k not in known:
                known.add(k)
                header.append(k)
    buf = io.StringIO()
    if bom:
        buf.write(BOM)
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_cell(r.get(c)) for c in header] for r in rows)
    return buf.getvalue().encode("utf-8")


def filename(path: str, extension: str) -> str:
    """The file name a download of ``path`` is saved as.

    >>> filename("/pairings/PR-0001/instruments", "csv")
    'pairings-PR-0001-instruments.csv'
    """
    stem = "-".join(p for p in path.split("/") if p) or "answer"
    return "".join(c if (c.isascii() and c.isalnum()) or c in "-_." else "_" for c in stem) + "." + extension


# ---- the middleware ----------------------------------------------------------------------------
def _markers(route: APIRoute) -> tuple[str, ...]:
    """The formats (suffixes) a route's table dependency takes; () for a route without one."""
    found: list[str] = []
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        found += getattr(dep.call, "formats", ())
        stack += dep.dependencies
    return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class _Route:
    path_regex: re.Pattern[str]
    formats: tuple[str, ...]
    columns: tuple[str, ...]


def _table_routes(app: Any) -> list[_Route]:
    """The GET routes of an app that take a table dependency (routers included in it too)."""
    out = []
    for context in iter_route_contexts(getattr(app, "routes", [])):
        route = context.original_route
        if isinstance(route, APIRoute) and "GET" in (context.methods or ()) and context.path:
            marks = _markers(route)
            if marks:
                regex = compile_path(context.path)[0]
                out.append(_Route(regex, marks, tuple(_item_columns(route.response_model))))
    return out


def _item_columns(model: Any) -> list[str]:
    """The columns of the items of a list answer's model (its ``items`` field), [] for another."""
    fields = getattr(model, "model_fields", {})
    if "items" not in fields:
        return []
    inner, _ = _unwrap(fields["items"].annotation)
    return columns_of(inner) if isinstance(inner, type) and issubclass(inner, BaseModel) else []


class Tables:
    """Pure ASGI middleware: the suffix form of the table routes, and their JSON answers written as CSV
    (see the module's description)."""

    def __init__(self, app):
        self.app = app
        self._routes: dict[int, list[_Route]] = {}

    def routes(self, app: Any) -> list[_Route]:
        key = id(app)
        if key not in self._routes:
            self._routes[key] = _table_routes(app)
        return self._routes[key]

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return await self.app(scope, receive, send)
        routes = self.routes(scope.get("app"))
        path = scope["path"]
        stem, dot, suffix = path.rpartition(".")
        by_suffix = _match(routes, stem) if dot and "/" not in suffix else None
        found: _Route | None
        if by_suffix is not None and suffix in by_suffix.formats:
            found = by_suffix
            query = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
            query = [(k, v) for k, v in query if k != "format"] + [("format", suffix)]
            scope = {
                **scope,
                "path": stem,
                "raw_path": stem.encode(),
                "query_string": urlencode(query).encode("latin-1"),
            }
        else:
            found = _match(routes, path)
        if found is None:
            return await self.app(scope, receive, send)
        params = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
        asked = dict(params)
        if asked.get("format") != "csv" or "csv" not in found.formats:
            return await self.app(scope, receive, send)
        bom = asked.get("bom", "").lower() in TRUE
        head = scope["method"] == "HEAD"  # answered as a GET whose body is left out, so the headers are the CSV's
        writer = _as_csv(send, scope["path"], found.columns, bom, params, head)
        await self.app({**scope, "method": "GET"} if head else scope, receive, writer)


def _match(routes: list[_Route], path: str) -> _Route | None:
    return next((r for r in routes if r.path_regex.match(path)), None)


def _as_csv(send, path: str, columns: Sequence[str], bom: bool, params: list[tuple[str, str]], head: bool = False):
    """``send`` that writes a JSON list answer (status 200) as CSV; any other answer goes as it is.
    ``head``: only the headers (a HEAD request)."""
    start: dict | None = None
    chunks: list[bytes] = []

    async def write(message):
        nonlocal start
        if message["type"] == "http.response.start":
            content_type = dict(message.get("headers", [])).get(b"content-type", b"")
            if message["status"] == 200 and content_type.startswith(b"application/json"):
                start = message  # held until the body is read
                return
            await send(message)
            return
        if message["type"] != "http.response.body" or start is None:
            await send(message)
            return
        chunks.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        try:
            answer = orjson.loads(b"".join(chunks))
        except orjson.JSONDecodeError:  # not a list answer after all: as it is
            await send(start)
            await send({"type": "http.response.body", "body": b"" if head else b"".join(chunks)})
            return
        items = answer.get("items", []) if isinstance(answer, dict) else answer
        body = write_csv(items if isinstance(items, list) else [], columns, bom)
        headers = [
            (k, v)
            for k, v in start.get("headers", [])
            if k not in (b"content-type", b"content-length", b"content-disposition")
        ]
        headers += [
            (b"content-type", b"text/csv; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            (b"content-disposition", f'attachment; filename="{filename(path, "csv")}"'.encode()),
        ]
        following = _next_page(answer, path, params)
        if following:
            headers.append((b"link", f'<{following}>; rel="next"'.encode("latin-1")))
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if head else body})

    return write


def _next_page(answer: Any, path: str, params: list[tuple[str, str]]) -> str | None:
    """The address of the next page of a list answer, None on the last."""
    if not isinstance(answer, dict) or not all(isinstance(answer.get(k), int) for k in ("total", "limit", "offset")):
        return None
    following = answer["offset"] + answer["limit"]
    if following >= answer["total"]:
        return None
    kept = [(k, v) for k, v in params if k != "offset"] + [("offset", str(following))]
    return f"{quote(path)}?{urlencode(kept)}"
