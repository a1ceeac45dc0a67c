"""The errors the graph layer raises.  Each says what went wrong and where."""

from __future__ import annotations

from dataclasses import dataclass


class PakgError(Exception):
    """Base class of every error this project raises on purpose."""


@dataclass(frozen=True)
class DataProblem:
    """One bad value in a data table: file, line (1-based, the header is line 1), column."""

    path: str
    line: int
    column: int
    column_name: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        if self.column:
            where += f":{self.column}"
        name = f" ({self.column_name})" if self.column_name else ""
        return f"{where}{name}: {self.message}"


class BuildError(PakgError):
    """The data tables do not build; carries every problem found, in file order."""

    def __init__(self, problems: list[DataProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class UnknownName(PakgError):
    """A named query, format or resource that does not exist."""


class BadQuery(PakgError):
    """A SPARQL query that does not parse or cannot run; the message carries the parser's position."""


class StoreError(PakgError):
    """A store that is missing, locked or not built by pakg."""


class BadParameter(PakgError, ValueError):
    """A parameter of a question with a value that cannot be used; ``name`` says which parameter, and
    ``candidates`` (for a name that is unknown or ambiguous) the closest matches, as small dicts
    (id, kind, label_zh, label_en) for the answer to list."""

    def __init__(self, name: str, message: str, candidates: list[dict] | None = None):
        super().__init__(message)
        self.name = name
        self.candidates = candidates


class NotFound(UnknownName):
    """No resource of that kind with that id."""
