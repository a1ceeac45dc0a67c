"""Where a dataset is read from — the one place that chooses between a SPARQL endpoint, an on-disk
store and the data tables built in memory, for the command line, the service and its query workers."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .build import build, write_build
from .config import graph_iris
from .remote import RemoteStore
from .store import Engine


@dataclass(frozen=True)
class DatasetLocation:
    """An on-disk store (``path``: its real directory, resolved once, so that a store switched later by
    ``pakg build --store`` does not change what this location reads), an N-Quads file loaded in memory,
    or an endpoint (``path``: its query URL)."""

    kind: str  # "store" | "nquads" | "remote"
    path: str
    auth: tuple[str, str] | None = None
    timeout: float = 60.0
    graphs: tuple[str, ...] = ()  # an endpoint's: pakg's named graphs in it (an engine may hold others)

    @property
    def embedded(self) -> bool:
        return self.kind != "remote"

    def open_store(self) -> ox.Store | RemoteStore:
        """A store of the dataset for another process (a query worker) to read."""
        if self.kind == "store":
            return ox.Store.read_only(self.path)
        if self.kind == "remote":
            return RemoteStore(self.path, self.auth, self.timeout, self.graphs)
        store = ox.Store()
        store.bulk_load(path=self.path, format=ox.RdfFormat.N_QUADS)
        return store


def open_dataset(
    *,
    base: str,
    endpoint: str | None = None,
    store: str | Path | None = None,
    data: str | Path | None = None,
    auth: tuple[str, str] | None = None,
    timeout: float = 60.0,
    workdir: Path | None = None,
) -> tuple[Engine, DatasetLocation | None]:
    """The engine of a dataset: the endpoint when one is given, else the on-disk store, else the
    tables of ``data`` built in memory — and where other processes find the same dataset (for a
    build, an N-Quads file written in ``workdir``; None when no ``workdir`` is given)."""
    if endpoint:
        graphs = graph_iris(base)
        return Engine.remote(endpoint, auth, timeout, graphs), DatasetLocation(
            "remote", endpoint, auth, timeout, graphs
        )
    if store:
        real = os.path.realpath(store)
        return Engine.open(Path(real)), DatasetLocation("store", real)
    if data is None:
        raise ValueError("open_dataset needs an endpoint, a store or a data folder")
    result = build(Path(data), base)
    if workdir is None:
        return Engine.from_build(result), None
    path = Path(workdir) / "dataset.nq"
    write_build(result, path)
    return Engine.from_build(result), DatasetLocation("nquads", str(path))
