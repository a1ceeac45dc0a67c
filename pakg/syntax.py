"""What the command says about a SPARQL text it will not run: an update (read-only), or a syntax error
with its line, column and the line of the text with a caret under the place.

The graph layer's own description (``graph.sparql_syntax.describe_error``, shared with the HTTP
endpoint) is used when it is there; ``fallback`` reads the engine's message itself.

>>> print(fallback("SELECT ?x WHERE { ?x foo:bar ?z }", SyntaxError("error at 1:26: expected one of "
...     "Prefix not found, ['%'], ['-' | '0' ..= '9'], ['.']")))
undefined prefix 'foo:' at line 1, column 22
  SELECT ?x WHERE { ?x foo:bar ?z }
                       ^
>>> print(fallback("SELECT ?x WHERE {\\n  ?x ?y }", SyntaxError("error at 2:10: expected one of LATERAL, "
...     "SERVICE, [_]")))
SPARQL syntax error at line 2, column 10: expected one of LATERAL, SERVICE
    ?x ?y }
           ^
"""

from __future__ import annotations

import re

from graph import sparql_syntax
from graph.errors import PakgError

from .table import width_of

POSITION = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.S)
CHARACTER_CLASS = re.compile(r"\[[^\]]*\]")
PREFIXED = re.compile(r"(?<![\w<:/#?$@.\-])([A-Za-z][\w.\-]*)?:")
DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.\-]*)?:", re.I)


def refuse_update(text: str) -> None:
    """Raise when ``text`` is a SPARQL Update: the command only reads."""
    updates = sparql_syntax.read(text).updates
    if updates:
        raise PakgError(
            f"this is a SPARQL Update ({', '.join(dict.fromkeys(updates))}): pakg query is read-only "
            "(it runs SELECT, ASK, CONSTRUCT and DESCRIBE)"
        )


def describe(text: str, exc: BaseException) -> str:
    """The message for a text the engine could not read (``exc``: the engine's SyntaxError, or the
    error that carries it)."""
    cause = exc.__cause__ if isinstance(exc.__cause__, SyntaxError) else exc
    shared = getattr(sparql_syntax, "describe_error", None)
    if shared is not None:
        return str(shared(text, cause))
    return fallback(text, cause)


def excerpt(text: str, line: int, column: int) -> str:
    """The line of ``text`` and a caret under ``column`` (both from 1), indented by two spaces."""
    lines = text.splitlines() or [""]
    shown = lines[min(max(line, 1), len(lines)) - 1].replace("\t", " ")
    before = shown[: max(column - 1, 0)]
    return f"  {shown}\n  {' ' * width_of(before)}^"


def fallback(text: str, exc: BaseException) -> str:
    message = str(exc).strip()
    found = POSITION.search(message)
    if found is None:
        return f"SPARQL syntax error: {message.splitlines()[0] if message else 'the query does not parse'}"
    line, column, said = int(found[1]), int(found[2]), found[3]
    if "Prefix not found" in said:
        declared = {m or "" for m in DECLARED.findall(text)}
        lines = text.splitlines() or [""]
        here = lines[min(line, len(lines)) - 1]
        used = [m for m in PREFIXED.finditer(here) if m.start() < column and (m[1] or "") not in declared]
        if used:
            place = used[-1]
            return f"undefined prefix '{place[1] or ''}:' at line {line}, column {place.start() + 1}\n" + excerpt(
                text, line, place.start() + 1
            )
        return f"undefined prefix at line {line}, column {column}\n" + excerpt(text, line, column)
    said = CHARACTER_CLASS.sub("", " ".join(said.split()))
    said = re.sub(r"(,\s*)+", ", ", said).strip(" ,")
    if said.endswith("expected one of") or not said:
        said = "unexpected text"
    return f"SPARQL syntax error at line {line}, column {column}: {said}\n" + excerpt(text, line, column)
