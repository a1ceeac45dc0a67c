"""The `pakg` command: above both layers, the knowledge graph (graph/) and the service (api/).

The layers' import names are ``graph`` and ``api``.  Before anything imports them, this package makes
sure that those found first are the ones installed beside it: another package of the same name earlier
on the path (a research environment may hold one) would otherwise be imported in their place.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HOME = Path(__file__).resolve().parent.parent  # where pakg, graph and api are installed together


def shadowed() -> list[str]:
    """What shadows the layers: for ``graph`` and ``api``, the place another package of that name
    is imported from instead of pakg's own; empty when both are pakg's."""
    found = []
    for name in ("graph", "api"):
        spec = importlib.util.find_spec(name)
        origin = Path(spec.origin).resolve() if spec is not None and spec.origin else None
        if origin is None or origin.parent.parent != HOME:
            found.append(f"'{name}' is imported from {origin or 'nowhere'}, not from {HOME / name}")
    return found


def main(argv: list[str] | None = None) -> int:
    """The `pakg` command (``pakg.cli.main``), once the layers it imports are known to be pakg's."""
    problems = shadowed()
    if problems:
        raise SystemExit(
            "pakg: another package shadows pakg's own: "
            + "; ".join(problems)
            + " (install pakg in a virtual environment of its own)"
        )
    try:  # Ctrl+C while the layers are still being imported: the same one line as during a command
        from pakg.cli import main as command
    except KeyboardInterrupt:
        print("pakg: interrupted", file=sys.stderr)
        return 130
    return command(argv)
