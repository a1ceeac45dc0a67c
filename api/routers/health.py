"""GET /health: is the service up, and which dataset does it serve."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from ..dataset import Snapshot
from ..deps import snapshot

router = APIRouter(tags=["service"])


class Health(BaseModel):
    status: str
    version: str = Field(description="the dataset's content version: a hash that identifies the build exactly")
    release: str = Field(description="the dataset's release, a semantic version (data/dataset.toml)")
    triples: int
    store: str = Field(
        description="where the dataset is read: 'memory', 'remote' (a SPARQL endpoint) or "
        "'disk:' and the name of the store version's directory (no path)"
    )


def store_kind(engine) -> str:
    """What /health says of the store: its kind, never a path or a URL of this machine's."""
    if not engine.embedded:
        return "remote"
    if engine.location == "memory":
        return "memory"
    return "disk:" + Path(engine.location).name


@router.get("/health", response_model=Health, summary="Service status, dataset version and release, triple count")
async def health(snap: Snapshot = Depends(snapshot)) -> Health:
    engine = snap.engine
    return Health(
        status="ok", version=engine.version, release=snap.release, triples=engine.triple_count, store=store_kind(engine)
    )
