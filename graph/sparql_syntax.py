"""What a SPARQL text says, read on a real parse: the facts, and no verdict.

The text is parsed by tree-sitter's SPARQL grammar (a generated parser, not a hand-made
tokenizer) into a concrete syntax tree, within ``PARSE_SECONDS``; ``read(text)`` reports what
that tree holds (a ``Reading``):

- the query form, when the text is exactly one query (its prologue and a trailing ``VALUES``
  allowed), and the SPARQL Update operations (``LOAD``, ``INSERT DATA``, ...) it holds instead;
- the first place the parser could not read, or where it had to supply a missing token, with
  its line and column (``SyntaxFault``), and the first prefixed name whose prefix no ``PREFIX``
  declares (``PrefixUse``);
- each ``SERVICE`` pattern, anywhere, and each ``FROM`` / ``FROM NAMED`` clause, with the IRI
  it names (prefixes resolved, ``\\u`` escapes read; None when that depends on ``BASE``);
- how deeply it nests: each node deeper than all before it, with its place, so the first node
  past any depth is known (a child of a group or a union counts its place among its siblings,
  as the engine's left-deep joins and unions do);
- the text with each comment blanked (same length, so positions in an engine's own errors stay
  right).  Two SPARQL readers disagree most easily on where a comment ends (SPARQL ends comments
  at ``\\r`` as well as ``\\n``): with the comments gone there is nothing left for that
  disagreement to hide.

What may run is decided on these facts by the service (``api.guard``) and the command; ``check(text)``
is the part of that decision both share: a text that is no query (an update: ``UpdateRefused``, "read-only")
or does not parse (``QuerySyntaxError``, with the line, column and an excerpt of the text with a caret under
the place).  ``describe_error(text, exc)`` says the same of any error a query text met, the engine's
own syntax errors included (their character classes left out), in a few lines a person can read.
``shape(text)`` and ``where_group(text)`` are the little a client of a remote endpoint needs: a query's
form, whether it names its own dataset, and where its WHERE group opens (for the bound values).
"""

from __future__ import annotations

import re
import time
import unicodedata
import warnings
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import tree_sitter_sparql
from tree_sitter import Language, Node, Parser

from .errors import BadQuery, PakgError

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
    where it had to supply a token that is ``missing`` (the grammar's name for it, in words);
    ``found``: the text it could not read there (its first word the grammar does not know, if any)."""

    start: Position
    end: Position
    missing: str | None = None
    found: str | None = None


@dataclass(frozen=True)
class PrefixUse:
    """A prefixed name whose prefix no PREFIX declaration before it declares."""

    prefix: str  # without its colon ('' for the empty prefix)
    start: Position
    end: Position


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
    undefined_prefix: PrefixUse | None = None  # the first prefixed name with an undeclared prefix
    queries: tuple[Position, ...] = ()  # where each query (SELECT, ASK, CONSTRUCT, DESCRIBE) of the text starts
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


def _fault(data: bytes, error: Node, lines: _Lines) -> SyntaxFault:
    """Where the parser stopped, as a person would point at it: a token it had to supply, at its place;
    else, in the stretch it could not read, the first word the grammar does not know (``SELEC``, ``LIMT``)
    or string left open, or else the stretch's first token."""
    if error.is_missing:
        at = lines.position(error.start_point)
        return SyntaxFault(at, at, error.type.replace("_", " "))
    word = next((child for child in error.children if child.type == "pn_prefix"), None)
    quote = next((child for child in error.children if child.type in ('"', "'")), None)  # a string left open
    marked = [child for child in (word, quote) if child is not None]
    first = (
        min(marked, key=lambda child: child.start_byte) if marked else error.children[0] if error.children else error
    )
    stop = error.end_byte if first is quote else first.end_byte
    found = " ".join(data[first.start_byte : stop].decode("utf-8", "replace").split())
    return SyntaxFault(
        lines.position(first.start_point),
        lines.position(first.end_point),
        None,
        found[:40] + ("…" if len(found) > 40 else ""),
    )


def _inside_error(node: Node) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.type == "ERROR":
            return True
        parent = parent.parent
    return False


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


_NOTED = {
    "comment",
    "service_graph_pattern",
    "prefix_declaration",
    "prefixed_name",
    "default_graph_clause",
    "named_graph_clause",
}
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
    fault = None if error is None else _fault(data, error, lines)
    prefixes: dict[str, str] = {}
    declared: set[str] = set()
    undefined: PrefixUse | None = None
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
        elif kind == "prefixed_name":
            prefix = _text(data, node).partition(":")[0]
            if undefined is None and prefix not in declared and not _inside_error(node):
                undefined = PrefixUse(prefix, lines.position(node.start_point), lines.position(node.end_point))
        elif kind == "prefix_declaration":
            names = node.named_children
            if names:
                namespace = _text(data, names[0]).rstrip(":") if len(names) == 2 else ""
                declared.add(namespace)
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
        undefined,
        tuple(lines.position(child.start_point) for child in root.named_children if child.type in QUERY_FORMS),
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


@lru_cache(maxsize=256)
def where_group(text: str) -> int | None:
    """Where the query's WHERE group opens: the offset (in characters) just past its ``{``, read on the
    parse; None when the text is not one well-formed query with a WHERE clause (``DESCRIBE <iri>``)."""
    data = text.encode("utf-8", "surrogatepass")
    root = _parse(data).root_node
    queries = [child for child in root.named_children if child.type in QUERY_FORMS]
    if len(queries) != 1 or root.has_error:
        return None
    clause = next((part for part in queries[0].named_children if part.type == "where_clause"), None)
    group = (
        next((part for part in clause.named_children if part.type == "group_graph_pattern"), None) if clause else None
    )
    if group is None or data[group.start_byte : group.start_byte + 1] != b"{":
        return None
    return len(data[: group.start_byte + 1].decode("utf-8", "surrogatepass"))


# ---- what a person is told ------------------------------------------------------------------


class UpdateRefused(PakgError):
    """A SPARQL Update (INSERT, DELETE, LOAD, CLEAR, ...): the endpoint is read-only (403 over HTTP)."""


class QuerySyntaxError(BadQuery):
    """A query text that does not parse: where (line and column from 1, the column in characters) and an
    excerpt of the text there with a caret under the place (``where`` holds all three, for an answer)."""

    def __init__(self, message: str, line: int, column: int, excerpt: str = ""):
        super().__init__(message)
        self.line, self.column, self.excerpt = line, column, excerpt

    @property
    def where(self) -> dict[str, int | str]:
        return {"line": self.line, "column": self.column, "excerpt": self.excerpt}

    def __reduce__(self):  # (keeps its place when pickled)
        return (type(self), (str(self), self.line, self.column, self.excerpt))


# what the grammar calls a token it had to supply, in words (others: quoted, or their name in words)
MISSING_WORDS = {
    "var": "a variable",
    "iri_reference": "an IRI",
    "prefixed_name": "a prefixed name",
    "integer": "an integer",
    "string": "a string",
    "pn local": "a local name",
}
EXCERPT_WIDTH = 76  # characters of a long line shown around the place
_CONTROLS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")


def _width(text: str) -> int:
    """Columns a monospace terminal gives the text (wide and full-width characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def excerpt(text: str, start: Position, end: Position | None = None) -> str:
    """The line of ``text`` at ``start`` with a caret line under it, marking ``start`` up to ``end`` (on
    that line; one caret at least), numbered as a compiler would; a long line is cut around the place.

    >>> print(excerpt("SELECT ?x\\nWHERE { ?x ?y }", Position(2, 15)))
    2 | WHERE { ?x ?y }
      |               ^
    """
    lines = text.split("\n")  # as the parser counts lines; other controls shown as spaces (same columns)
    row = min(max(start.line, 1), len(lines))
    line = _CONTROLS.sub(" ", lines[row - 1])
    first = min(max(start.column, 1), len(line) + 1) - 1  # from 0
    last = first + 1 if end is None else len(line) if end.line != start.line else min(end.column - 1, len(line))
    last = max(last, first + 1)
    left = max(0, first - EXCERPT_WIDTH // 2)
    right = min(len(line), max(left + EXCERPT_WIDTH, min(last, first + EXCERPT_WIDTH)))
    shown = ("…" if left else "") + line[left:right] + ("…" if right < len(line) else "")
    pad = (1 if left else 0) + _width(line[left:first])
    carets = max(1, _width(line[first : min(last, right)]))
    gutter = str(row)
    return f"{gutter} | {shown}\n{' ' * len(gutter)} | {' ' * pad}{'^' * carets}"


def _missing_words(name: str) -> str:
    if name in MISSING_WORDS:
        return MISSING_WORDS[name]
    if re.fullmatch(r"[a-z][a-z ]*", name):
        return name
    return f"'{name}'"


def _error(text: str, message: str, start: Position, end: Position | None = None) -> QuerySyntaxError:
    return QuerySyntaxError(f"{message}", start.line, start.column, excerpt(text, start, end))


def syntax_problem(text: str, reading: Reading | None = None) -> QuerySyntaxError | None:
    """What the parse found wrong with a text that should be one query, or None: a place the parser could
    not read, an undeclared prefix, or not exactly one query."""
    reading = reading or read(text)
    fault = reading.fault
    if fault is not None:
        where = f"malformed query at {fault.start}"
        if fault.missing is not None:
            return _error(text, f"{where}: expected {_missing_words(fault.missing)}", fault.start)
        return _error(text, f"{where}: cannot read '{fault.found}' here", fault.start, fault.end)
    use = reading.undefined_prefix
    if use is not None:
        return _error(
            text,
            f"undefined prefix '{use.prefix}:' at {use.start} (declare it: PREFIX {use.prefix}: <…>)",
            use.start,
            use.end,
        )
    if reading.form is None:
        if len(reading.queries) > 1:
            at = reading.queries[1]
            return _error(text, f"malformed query at {at}: a second query; send one query at a time", at)
        lines = text.split("\n")
        at = Position(len(lines), len(lines[-1]) + 1)
        return _error(text, f"malformed query at {at}: expected one SELECT, ASK, CONSTRUCT or DESCRIBE query", at)
    return None


def update_refused(reading: Reading) -> UpdateRefused:
    operations = ", ".join(dict.fromkeys(reading.updates))
    return UpdateRefused(
        f"this endpoint is read-only: {operations} is SPARQL Update, which it does not run "
        "(it answers SELECT, ASK, CONSTRUCT and DESCRIBE queries)"
    )


def checked(text: str) -> Reading:
    """The reading of a text that is exactly one query; else UpdateRefused (an update: "read-only") or
    QuerySyntaxError (with line, column and excerpt).  Its ``form`` is set."""
    reading = read(text)
    if reading.updates:
        raise update_refused(reading)
    problem = syntax_problem(text, reading)
    if problem is not None:
        raise problem
    assert reading.form is not None  # (syntax_problem says so otherwise)
    return reading


def check(text: str) -> QueryInfo:
    """A text that is exactly one query, as it runs (comments blanked); else as ``checked``."""
    reading = checked(text)
    assert reading.form is not None
    return QueryInfo(reading.form, reading.text)


_ENGINE_AT = re.compile(r"error at (\d+):(\d+): (.*)", re.S)
_CLASS = re.compile(r"\[(?:[^\[\]'\\]|'(?:[^'\\]|\\.)*'|\\.)*\]", re.S)  # ['A' ..= 'Z' | ...]
MAX_EXPECTED = 8  # alternatives of the engine's "expected one of" worth reading


def engine_syntax_error(text: str, exc: BaseException) -> QuerySyntaxError:
    """An error of the engine's own parser (pyoxigraph's ``SyntaxError``, "error at L:C: expected ...") in
    the same words as the parse's: the place our parse finds if it finds one, else the engine's, with what
    the engine expected there (its character classes left out, a long list shortened)."""
    found = syntax_problem(text)
    if found is not None:
        return found
    message = str(exc)
    match = _ENGINE_AT.match(message)
    if match is None:
        return QuerySyntaxError(
            f"malformed query: {' '.join(message.split())[:300]}", 1, 1, excerpt(text, Position(1, 1))
        )
    at = Position(int(match.group(1)), int(match.group(2)))
    expected = match.group(3)
    if "Prefix not found" in expected:
        return _error(text, f"undefined prefix at {at}", at)
    names = [
        part.strip()
        for part in _CLASS.sub("", expected.removeprefix("expected one of").removeprefix("expected")).split(",")
    ]
    names = [name for name in names if name and name != "[_]"]
    wanted = ", ".join(names[:MAX_EXPECTED]) + (
        f" or {len(names) - MAX_EXPECTED} more" if len(names) > MAX_EXPECTED else ""
    )
    return _error(
        text,
        f"malformed query at {at}" + (f": expected {'one of ' if len(names) > 1 else ''}{wanted}" if wanted else ""),
        at,
    )


def describe_error(text: str, exc: BaseException) -> str:
    """What a person is told of an error a query text met (an update refused, a syntax error of our parse
    or of the engine's, or any other error of this project): its message, and for a syntax error the
    excerpt with the caret on the lines after it.  For the command line (the service answers the same
    message, with ``line``, ``column`` and ``excerpt`` beside it).

    >>> print(describe_error("SELEC * WHERE { ?s ?p ?o }", SyntaxError("error at 1:10: expected CONSTRUCT")))
    malformed query at line 1, column 1: cannot read 'SELEC' here
    1 | SELEC * WHERE { ?s ?p ?o }
      | ^^^^^
    """
    if isinstance(exc, QuerySyntaxError):
        problem: BaseException = exc
    else:
        try:
            reading: Reading | None = read(text)
        except BadQuery:  # the parser gave up: the error as it is
            reading = None
        cause = exc.__cause__ if isinstance(exc, BadQuery) and isinstance(exc.__cause__, SyntaxError) else exc
        if reading is not None and reading.updates:
            problem = update_refused(reading)
        elif reading is not None and isinstance(cause, SyntaxError):
            problem = engine_syntax_error(text, cause)
        else:
            problem = exc
    if isinstance(problem, QuerySyntaxError) and problem.excerpt:
        return f"{problem}\n{problem.excerpt}"
    return str(problem)
