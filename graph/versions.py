"""Versioned on-disk stores: ``write_store`` writes a build as a new version beside the old ones and
switches a symbolic link to it atomically; ``store_version`` says which version a path points to now.

(Apart from ``graph.store``, because a version carries the read model beside the store, and the read
model itself reads a store: store ← readmodel ← versions, no circle.)
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from .build import Build
from .readmodel import ReadModel
from .store import Engine


def _versions_dir(path: Path) -> Path:
    return path.parent / f".{path.name}.versions"


def store_marker(path: str | Path) -> tuple[str, str, tuple[int, int]] | None:
    """The version directory ``path`` points to now, the dataset version its VERSION file names, and
    that file's identity (a version rebuilt under the same name is a new one); None without a VERSION
    file."""
    real = os.path.realpath(path)
    marker = Path(real) / "VERSION"
    try:
        stat = marker.stat()
        version = marker.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return real, version, (stat.st_ino, stat.st_mtime_ns)


def store_version(path: str | Path) -> str | None:
    """The dataset version of the store ``path`` points to now (its VERSION file), or None."""
    found = store_marker(path)
    return found[1] if found else None


def write_store(result: Build, path: Path, keep: int = 3) -> Path:
    """Write a build as an on-disk store and switch ``path`` to it atomically.

    The read model is computed here too and saved in the store's directory, so that
    a server opening the store answers at once.  Each version lives in its own directory beside
    ``path`` (``.NAME.versions/VERSION``), filled under a temporary name and renamed when
    complete; ``path`` is a symbolic link switched with one ``rename``.  A reader (or a server
    reloading) sees the old or the new store, never a mix; a build killed at any point leaves
    ``path`` on the old version.  The ``keep`` newest versions
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
        # the read model, saved beside the store: opening it is instant (queried in memory: faster)
        ReadModel(Engine.from_build(result), result.base).save(tmp)
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
    finished = sorted(
        (d for d in versions.iterdir() if not d.name.endswith(".tmp")), key=lambda d: d.stat().st_mtime, reverse=True
    )
    for old in finished[keep:]:
        if old.name != current:
            shutil.rmtree(old, ignore_errors=True)
    return target
