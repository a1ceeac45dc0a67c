"""Coverage: what the graph holds of each programme beside what its sources say the programme holds,
and the known gaps (JSON; the explorer shows it at #/coverage)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from .. import schemas
from ..answers import Answers
from ..dataset import Snapshot
from ..deps import JSON, answer, snapshot

router = APIRouter(tags=["questions"], default_response_class=JSON)


@router.get(
    "/coverage",
    summary="Per programme: what the graph holds, what sources say it holds, and the known gaps",
    response_model=schemas.CoverageReport,
)
async def coverage(request: Request, snap: Snapshot = Depends(snapshot)) -> JSON:
    return await answer(request, snap, Answers.coverage)
