"""The embedded engine: a pyoxigraph store in memory or on disk, and how queries reach it.

``Engine`` is what the CLI and the API hold.  Values go into queries as bindings
(pyoxigraph ``substitutions``), never into the query text.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from .build import Build
from .config import DCTERMS
from .errors import BadQuery, StoreError

VERSION_QUERY = f"""SELECT ?version WHERE {{
  ?dataset a <https://w3id.org/pakg/ontology#Dataset> ; <{DCTERMS}hasVersion> ?version }} LIMIT 1"""


class Engine:
    """A pakg dataset in a pyoxigraph store; the default graph is the union of all graphs."""

    def __init__(self, store: ox.Store, location: str = "memory"):
        self.store = store
        self.location = location
        try:
            rows = list(self.store.query(VERSION_QUERY, use_default_graph_as_union=True))
        except (OSError, RuntimeError) as exc:  # damaged files, or an endpoint that does not answer
            raise StoreError(f"{location}: cannot read the store ({exc})") from None
        if not rows:
            raise StoreError(f"{location}: no pakg dataset in this store (build it with 'pakg build')")
        self.version: str = rows[0]["version"].value
        self.triple_count: int = len(self.store)
        # answers from an embedded store take micro- to milliseconds; a remote one waits on the network
        self.embedded: bool = isinstance(store, ox.Store)

    @classmethod
    def from_build(cls, result: Build) -> "Engine":
        store = ox.Store()
        store.bulk_extend(result.quads)
        return cls(store)

    @classmethod
    def remote(cls, endpoint: str, auth: tuple[str, str] | None = None, timeout: float = 60.0) -> "Engine":
        """Any SPARQL 1.1 endpoint holding a dataset loaded by ``pakg load``."""
        from .remote import RemoteStore
        try:
            return cls(RemoteStore(endpoint, auth, timeout), endpoint)
        except OSError as exc:
            raise StoreError(str(exc)) from exc

    @classmethod
    def open(cls, path: Path) -> "Engine":
        """Open an on-disk store written by ``write_store`` (read-only, no reload)."""
        if not (path.is_dir() and any(path.iterdir())):
            raise StoreError(f"{path}: no store here (build one with 'pakg build --store {path}')")
        try:
            store = ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as exc:  # (the engine reports damaged files as RuntimeError)
            raise StoreError(f"{path}: cannot open the store ({exc})") from exc
        return cls(store, str(path))

    def query(self, sparql: str, bindings: dict[str, ox.NamedNode | ox.Literal] | None = None):
        """Run a SPARQL query; ``bindings`` fix variables (they must be projected by a SELECT)."""
        subs = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        try:
            return self.store.query(sparql, substitutions=subs or None, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise BadQuery(f"SPARQL syntax {exc}") from exc
        except (RuntimeError, ValueError) as exc:
            raise BadQuery(str(exc)) from exc

    def select(self, sparql: str, bindings=None) -> list[dict[str, object]]:
        """A SELECT as a list of rows, each a dict of variable name → pyoxigraph term (unbound left out)."""
        result = self.query(sparql, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise BadQuery("not a SELECT query")
        names = [v.value for v in result.variables]
        return [{n: row[n] for n in names if row[n] is not None} for row in result]

    def quads(self) -> Iterable[ox.Quad]:
        return self.store.quads_for_pattern(None, None, None, None)


def _versions_dir(path: Path) -> Path:
    return path.parent / f".{path.name}.versions"


def store_version(path: Path) -> str | None:
    """The dataset version of the store ``path`` points to now (its VERSION file), or None."""
    marker = Path(os.path.realpath(path)) / "VERSION"
    return marker.read_text().strip() if marker.is_file() else None


def write_store(result: Build, path: Path, keep: int = 3) -> Path:
    """Write a build as an on-disk store and switch ``path`` to it atomically.

    The REST catalog's indexes are computed here too and saved in the store's directory, so that
    a server opening the store answers at once.  Each version lives in its own directory beside
    ``path`` (``.NAME.versions/VERSION``), filled under a temporary name and renamed when
    complete; ``path`` is a symbolic link switched with one ``rename``.  A reader (or a server reloading) sees the old or the new store, never a mix;
    a build killed at any point leaves ``path`` on the old version.  The ``keep`` newest versions
    stay on disk so that a server still reading an older one is not cut off.
    """
    path = Path(path)
    versions = _versions_dir(path)
    versions.mkdir(parents=True, exist_ok=True)
    target = versions / result.version
    tmp = Path(tempfile.mkdtemp(prefix=result.version + ".", suffix=".tmp", dir=versions))
    try:
        store = ox.Store(str(tmp))
        store.bulk_extend(result.quads)
        store.flush()
        del store
        from .catalog import Catalog  # its indexes, saved beside the store: opening it is instant
        Catalog(Engine.from_build(result), result.base).save(tmp)  # (queried in memory: faster)
        (tmp / "VERSION").write_text(result.version + "\n")
        if target.exists():
            shutil.rmtree(target)
        tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if path.exists() and not path.is_symlink():  # a store from before versioned layouts
        legacy = versions / f"legacy-{int(time.time())}"
        path.rename(legacy)
    link = path.with_name(f".{path.name}.link-{os.getpid()}")
    link.unlink(missing_ok=True)
    link.symlink_to(os.path.relpath(target, path.parent))
    os.replace(link, path)
    current = Path(os.path.realpath(path)).name
    finished = sorted((d for d in versions.iterdir() if not d.name.endswith(".tmp")),
                      key=lambda d: d.stat().st_mtime, reverse=True)
    for old in finished[keep:]:
        if old.name != current:
            shutil.rmtree(old, ignore_errors=True)
    return target
