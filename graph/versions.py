"""Versioned on-disk stores: ``write_store`` writes a build as a new version beside the old ones and
switches a symbolic link to it atomically; ``store_version`` says which version a path points to now.

(Apart from ``graph.store``, because a version carries the catalog's indexes beside the store, and the
catalog itself reads a store: store ← catalog ← versions, no circle.)
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from .build import Build
from .catalog import Catalog
from .store import Engine


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
        # the REST catalog's indexes, saved beside the store: opening it is instant (queried in memory: faster)
        Catalog(Engine.from_build(result), result.base).save(tmp)
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
