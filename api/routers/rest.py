"""Question-level REST: pairings, actors, instruments, programmes, sources (JSON, paginated)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse

from graph.readmodel import FactFilter

from .. import schemas
from ..answers import Answers
from ..dataset import Snapshot
from ..deps import JSON, Page, answer, facts, snapshot
from ..deps import page as paging
from ..problems import responses

router = APIRouter(tags=["questions"], responses=responses(404, 422), default_response_class=JSON)
ID = Path(..., max_length=200, description="the resource id, as in its IRI")


@router.get(
    "/pairings",
    summary="Pairings, filtered (a region includes the units below it)",
    response_model=schemas.FilteredPage[schemas.PairingItem],
)
async def list_pairings(
    request: Request,
    supporter: str | None = Query(None, max_length=200, description="actor id or exact label (zh/en)"),
    recipient: str | None = Query(None, max_length=200, description="actor id or exact label (zh/en)"),
    field: str | None = Query(None, max_length=50, description="medical, education, comprehensive, …"),
    mode: str | None = Query(None, max_length=50, description="traditional, group-style, …"),
    programme: str | None = Query(None, max_length=100, description="programme id, e.g. P-XJ-2010"),
    year: int | None = Query(None, ge=1900, le=2100, description="active in this year"),
    q: str | None = Query(None, max_length=200, description="text in the labels, zh or en"),
    page: Page = Depends(paging),
    weigh: FactFilter = Depends(facts),
    snap: Snapshot = Depends(snapshot),
) -> JSON:
    def result(answers: Answers) -> dict:
        found = answers.model.select_pairings(supporter, recipient, field, mode, programme, year, q, facts=weigh)
        return answers.pairing_list(found, weigh, page)

    return await answer(request, snap, result)


@router.get(
    "/pairings/{id}",
    summary="One pairing with parent and sub-pairings, teams, people, evidence",
    response_model=schemas.PairingDetail,
)
async def get_pairing(request: Request, id: str = ID, snap: Snapshot = Depends(snapshot)) -> JSON:
    return await answer(request, snap, Answers.pairing_detail, id)


@router.get(
    "/pairings/{id}/instruments",
    summary="The instruments that govern or authorise a pairing, and how",
    response_model=schemas.PairingInstruments,
)
async def pairing_instruments(
    request: Request,
    id: str = ID,
    kind: str | None = Query(None, description="hard-law or soft-law"),
    type: str | None = Query(
        None,
        description="constitution, law, administrative-regulation, leadership-directive, "
        "central-policy, bilateral-agreement, local-policy",
    ),
    weigh: FactFilter = Depends(facts),
    snap: Snapshot = Depends(snapshot),
) -> JSON:
    return await answer(request, snap, Answers.pairing_instruments, id, kind, type, weigh)


async def _listing(
    request: Request,
    snap: Snapshot,
    of: str,
    page: Page,
    q: str | None,
    label: str | None = None,
    weigh: FactFilter | None = None,
    **equal: str | None,
) -> JSON:
    """A page of the resources of kind ``of`` (see ``Answers.listing``); with ``weigh``, the facts
    filter, repeated in the answer with what it left out."""
    if weigh is None:
        return await answer(request, snap, lambda answers: page.apply(answers.listing(of, q, label, **equal)))
    return await answer(request, snap, lambda answers: answers.page_of(of, page, q, label, weigh, **equal))


@router.get(
    "/actors",
    summary="Actors: governments, organs, hospitals, teams, persons",
    response_model=schemas.FilteredPage[schemas.ActorItem],
)
async def list_actors(
    request: Request,
    q: str | None = Query(None, max_length=200, description="text in a label, zh or en"),
    label: str | None = Query(None, max_length=200, description="an exact label or short name"),
    level: str | None = Query(None, max_length=50),
    page: Page = Depends(paging),
    weigh: FactFilter = Depends(facts),
    snap: Snapshot = Depends(snapshot),
) -> JSON:
    return await _listing(request, snap, "actor", page, q, label, weigh, level=level)


@router.get(
    "/actors/{id}",
    summary="One actor: supports, supported by, members, parent, sub-organisations, which source gives which fact",
    response_model=schemas.ActorDetail,
    responses={301: {"description": "a retired id (an actor merged into another): moved to the survivor"}},
)
async def get_actor(request: Request, id: str = ID, snap: Snapshot = Depends(snapshot)) -> JSON | RedirectResponse:
    survivor = snap.model.survivor("actor", id)
    if survivor is not None:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"/actors/{survivor}{query}", status_code=301)
    return await answer(request, snap, Answers.actor_detail, id)


@router.get(
    "/instruments",
    summary="Hard-law and soft-law instruments",
    response_model=schemas.FilteredPage[schemas.InstrumentItem],
)
async def list_instruments(
    request: Request,
    q: str | None = Query(None, max_length=200),
    kind: str | None = Query(None, pattern="^(hard-law|soft-law)$"),
    page: Page = Depends(paging),
    weigh: FactFilter = Depends(facts),
    snap: Snapshot = Depends(snapshot),
) -> JSON:
    return await _listing(request, snap, "instrument", page, q, None, weigh, kind=kind)


@router.get(
    "/instruments/{id}",
    summary="One instrument: what it governs and authorises, issuer, provisions",
    response_model=schemas.InstrumentDetail | schemas.ProvisionDetail,
)
async def get_instrument(request: Request, id: str = ID, snap: Snapshot = Depends(snapshot)) -> JSON:
    return await answer(request, snap, Answers.instrument_detail, id)


@router.get(
    "/programmes",
    summary="National programmes and rounds",
    response_model=schemas.FilteredPage[schemas.ProgrammeItem],
)
async def list_programmes(
    request: Request,
    q: str | None = Query(None, max_length=200),
    page: Page = Depends(paging),
    weigh: FactFilter = Depends(facts),
    snap: Snapshot = Depends(snapshot),
) -> JSON:
    return await _listing(request, snap, "programme", page, q, None, weigh)


@router.get(
    "/programmes/{id}",
    summary="One programme with its pairings and instruments",
    response_model=schemas.ProgrammeDetail,
)
async def get_programme(request: Request, id: str = ID, snap: Snapshot = Depends(snapshot)) -> JSON:
    return await answer(request, snap, Answers.programme_detail, id)


@router.get(
    "/sources",
    summary="Sources, with their kind, publisher, date and how many resources each backs",
    response_model=schemas.ListPage[schemas.SourceItem],
)
async def list_sources(
    request: Request,
    q: str | None = Query(None, max_length=200),
    page: Page = Depends(paging),
    snap: Snapshot = Depends(snapshot),
) -> JSON:
    return await _listing(request, snap, "source", page, q)


@router.get("/sources/{id}", summary="One source and everything it backs", response_model=schemas.SourceDetail)
async def get_source(request: Request, id: str = ID, snap: Snapshot = Depends(snapshot)) -> JSON:
    return await answer(request, snap, Answers.source_detail, id)
