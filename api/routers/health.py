"""GET /health: is the service up, and which dataset does it serve."""
from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

from ..deps import snapshot

router = APIRouter(tags=["service"])


class Health(BaseModel):
    status: str
    version: str
    triples: int
    store: str


@router.get("/health", response_model=Health, summary="Service status, dataset version and triple count")
async def health(request: Request) -> Health:
    engine = snapshot(request).engine
    return Health(status="ok", version=engine.version, triples=engine.triple_count, store=engine.location)
