"""What a SPARQL text says, read on a real parse: the facts, and no verdict.

The text is parsed by tree-sitter's SPARQL grammar (a generated parser, not a hand-made
tokenizer) into a concrete syntax tree, within ``PARSE_SECONDS``; ``read(text)`` reports what
that tree holds (a ``Reading``):

- the query form, when the text is exactly one query (its prologue and a trailing ``VALUES``
  allowed), and the SPARQL Update operations (``LOAD``, ``INSERT DATA``, ...) it holds instead;
- the first place the parser could not read, or where it had to supply a missing token, with
  its line and column (``SyntaxFault``);
- each ``SERVICE`` pattern, anywhere, and each ``FROM`` / ``FROM NAMED`` clause, with the IRI
  it names (prefixes resolved, ``\\u`` escapes read; None when that depends on ``BASE``);
- how deeply it nests: each node deeper than all before it, with its place, so the first node
  past any depth is known (a child of a group or a union counts its place among its siblings,
  as the engine's left-deep joins and unions do);
- the text with each comment blanked (same length, so positions in an engine's own errors stay
  right).  Two SPARQL readers disagree most easily on where a comment ends (SPARQL ends comments
  at ``\\r`` as well as ``\\n``): with the comments gone there is nothing left for that
  disagreement to hide.

What may run is decided on these facts by the service (``api.guard``); nothing is refused here.
``shape(text)`` is the little a client of a remote endpoint needs: a query's form, and whether it
names its own dataset.
"""

from __future__ import annotations

import re
import time
import warnings
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import tree_sitter_sparql
from tree_sitter import Language, Node, Parser

from .errors import BadQuery

with warnings.catch_warnings():  # the grammar package hands its language over as an address
    warnings.simplefilter("ignore", DeprecationWarning)
    LANGUAGE = Language(tree_sitter_sparql.language())
QUERY_FORMS = {
    "select_query": "SELECT",
    "construct_query": "CONSTRUCT",
    "describe_query": "DESCRIBE",
    "ask_query": "ASK",
}
UPDATE_OPERATIONS = {
    "insert_data": "INSERT DATA",
    "delete_data": "DELETE DATA",
    "delete_where": "DELETE WHERE",
    "modify": "DELETE/INSERT",
    "load": "LOAD",
    "clear": "CLEAR",
    "drop": "DROP",
    "create": "CREATE",
    "add": "ADD",
    "move": "MOVE",
    "copy": "COPY",
}
# children of these are evaluated one after another (a left-deep join / union in the algebra), so each
# further child is one more level for the engine, as a nested group would be
CHAINED = {"group_graph_pattern", "group_or_union_graph_pattern"}
PARSE_SECONDS = 0.25  # the grammar's error recovery is slow on some garbage: give up after this


class Position(NamedTuple):
    """A place in the text: line and column from 1, the column counted in characters."""

    line: int
    column: int

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}"


@dataclass(frozen=True)
class SyntaxFault:
    """The first place, in text order, the parser could not read (from ``start`` to ``end``) or
    where it had to supply a token that is ``missing`` (the grammar's name for it, in words)."""

    start: Position
    end: Position
    missing: str | None = None


@dataclass(frozen=True)
class Site:
    order: int  # the node's place in document order (a preorder walk of the tree's named nodes)
    at: Position  # where it starts


@dataclass(frozen=True)
class ServiceCall(Site):
    endpoint: str | None  # the IRI called (None: a variable, or an IRI relative to BASE)
    silent: bool


@dataclass(frozen=True)
class DatasetClause(Site):
    named: bool  # FROM NAMED (else FROM)
    iri: str | None  # the graph it names (None: relative to BASE, or an undeclared prefix)


@dataclass(frozen=True)
class Depth(Site):
    depth: int  # levels down from the top (the text itself is level 1)


@dataclass(frozen=True)
class QueryInfo:
    """A text read as one query: its form and the text as read (comments blanked), what an engine runs."""

    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    text: str


@dataclass(frozen=True)
class Reading:
    """What a SPARQL text is and names, as ``read`` found it."""

    form: str | None  # SELECT, ASK, CONSTRUCT or DESCRIBE when the text is exactly one query, else None
    text: str  # the text as read: comments blanked
    updates: tuple[str, ...] = ()  # the SPARQL Update operations in it, in text order
    fault: SyntaxFault | None = None  # None: the parser read all of it
    services: tuple[ServiceCall, ...] = ()
    datasets: tuple[DatasetClause, ...] = ()
    depth: int = 0  # how deeply it nests (levels: the text itself is level 1)
    # (order, depth, parser's point) of each node deeper than every node before it; the lines, to place one
    _deepening: tuple[tuple[int, int, tuple[int, int]], ...] = field(default=(), repr=False)
    _lines: _Lines | None = field(default=None, repr=False, compare=False)

    def first_deeper_than(self, levels: int) -> Depth | None:
        """The first node, in document order, more than ``levels`` down (it is deeper than all before it)."""
        index = bisect_right(self._deepening, levels, key=lambda mark: mark[1])  # their depths only grow
        if index == len(self._deepening) or self._lines is None:
            return None
        order, depth, point = self._deepening[index]
        return Depth(order, self._lines.position(point), depth)


def _parse(data: bytes):
    parser = Parser(LANGUAGE)
    started = time.monotonic()
    try:
        return parser.parse(
            lambda offset, _point: data[offset : offset + 65536],
            progress_callback=lambda *_: time.monotonic() - started > PARSE_SECONDS,
        )
    except ValueError:  # cancelled by the callback
        raise BadQuery(f"malformed query: the parser gave up after {PARSE_SECONDS:g} s") from None


class _Lines:
    """Positions of the text's nodes as line and column (a column in characters, not bytes)."""

    def __init__(self, data: bytes):
        self.data = data
        self.starts = [0] + [match.end() for match in re.finditer(b"\n", data)]
        self.ascii: dict[int, bool] = {}  # by row: a line of ASCII only counts its characters as its bytes

    def position(self, point: tuple[int, int]) -> Position:
        """The position of a parser's point (row and byte column, from 0)."""
        row, column = point
        if row >= len(self.starts):
            return Position(row + 1, 1)
        start = self.starts[row]
        stop = self.starts[row + 1] - 1 if row + 1 < len(self.starts) else len(self.data)
        ascii = self.ascii.get(row)
        if ascii is None:
            ascii = self.ascii[row] = self.data[start:stop].isascii()
        if ascii:
            return Position(row + 1, min(column, stop - start) + 1)
        return Position(row + 1, len(self.data[start : min(start + column, stop)].decode("utf-8", "replace")) + 1)


def _first_error(root: Node) -> Node | None:
    """The first node the parser could not read (ERROR) or had to invent (MISSING), in text order."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_missing or node.type == "ERROR":
            return node
        stack.extend(child for child in reversed(node.children) if child.has_error or child.is_missing)
    return None


def _walk(root: Node):
    """Every named node with its weighted depth (a chained child counts its place in the chain)."""
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        yield node, depth
        chained = node.type in CHAINED
        children = node.named_children
        for index in range(len(children) - 1, -1, -1):  # popped in document order
            stack.append((children[index], depth + 1 + (index if chained else 0)))


_NOTED = {"comment", "service_graph_pattern", "prefix_declaration", "default_graph_clause", "named_graph_clause"}
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LOCAL_ESCAPE = re.compile(r"\\([_~.\-!$&'()*+,;=/?#@%])")


def _text(data: bytes, node: Node) -> str:
    return data[node.start_byte : node.end_byte].decode("utf-8", "replace")


def _iri(data: bytes, node: Node | None, prefixes: dict[str, str]) -> str | None:
    """The IRI an iri_reference or prefixed_name stands for (None when it depends on BASE)."""
    if node is None:
        return None
    if node.type == "iri_reference":
        value = _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), _text(data, node)[1:-1])
        return value if re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", value) else None
    if node.type == "prefixed_name":
        prefix, _, local = _text(data, node).partition(":")
        if prefix not in prefixes:
            return None
        return prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", local)
    return None


@lru_cache(maxsize=256)  # readings of recent texts (at most 256 × the 16 KB cap)
def read(text: str) -> Reading:
    """What the text is and names (see the module's docstring); BadQuery only if the parser gives up."""
    data = text.encode("utf-8", "surrogatepass")
    root = _parse(data).root_node
    lines = _Lines(data)
    kinds = [child.type for child in root.named_children if child.type != "comment"]
    forms = [QUERY_FORMS[kind] for kind in kinds if kind in QUERY_FORMS]
    one_query = len(forms) == 1 and all(kind in QUERY_FORMS or kind in ("prologue", "values_clause") for kind in kinds)
    error = _first_error(root) if root.has_error else None
    fault = (
        None
        if error is None
        else SyntaxFault(
            lines.position(error.start_point),
            lines.position(error.end_point),
            error.type.replace("_", " ") if error.is_missing else None,
        )
    )
    prefixes: dict[str, str] = {}
    blanks: list[Node] = []
    services: list[ServiceCall] = []
    datasets: list[DatasetClause] = []
    deepening: list[tuple[int, int, tuple[int, int]]] = []
    deepest = 0
    for order, (node, depth) in enumerate(_walk(root)):
        if depth > deepest:
            deepest = depth
            deepening.append((order, depth, node.start_point))
        kind = node.type
        if kind not in _NOTED:
            continue
        if kind == "comment":
            blanks.append(node)
        elif kind == "service_graph_pattern":
            names = node.named_children
            endpoint = _iri(data, names[0] if names else None, prefixes)
            silent = any(not child.is_named and child.type.upper() == "SILENT" for child in node.children)
            services.append(ServiceCall(order, lines.position(node.start_point), endpoint, silent))
        elif kind == "prefix_declaration":
            names = node.named_children
            if names:
                namespace = _text(data, names[0]).rstrip(":") if len(names) == 2 else ""
                iri = _iri(data, names[-1], prefixes)
                if iri is not None:
                    prefixes[namespace] = iri
        elif kind in ("default_graph_clause", "named_graph_clause"):
            names = node.named_children
            source = node.child_by_field_name("source_selector") or (names[-1] if names else None)
            datasets.append(
                DatasetClause(
                    order, lines.position(node.start_point), kind == "named_graph_clause", _iri(data, source, prefixes)
                )
            )
    if blanks:
        out = bytearray(data)
        for node in blanks:
            out[node.start_byte : node.end_byte] = b" " * (node.end_byte - node.start_byte)
        text = out.decode("utf-8", "replace")
    return Reading(
        forms[0] if one_query else None,
        text,
        tuple(UPDATE_OPERATIONS[kind] for kind in kinds if kind in UPDATE_OPERATIONS),
        fault,
        tuple(services),
        tuple(datasets),
        deepest,
        tuple(deepening),
        lines,
    )


@lru_cache(maxsize=256)
def shape(text: str) -> tuple[str, bool]:
    """A query's form and whether it names its own dataset (FROM / FROM NAMED), read on the parse (for
    a client that must choose an Accept header and protocol parameters; nothing is refused here)."""
    root = _parse(text.encode("utf-8", "surrogatepass")).root_node
    queries = [child for child in root.named_children if child.type in QUERY_FORMS]
    form = QUERY_FORMS[queries[0].type] if queries else "SELECT"
    return form, any(part.type == "dataset_clause" for query in queries for part in query.named_children)
