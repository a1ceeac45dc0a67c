"""Question-level REST: pairings, actors, instruments, programmes, sources (JSON, paginated)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query, Request

from graph.catalog import Catalog

from ..deps import JSON, Page, answer, page as paging
from ..problems import responses

router = APIRouter(tags=["questions"], responses=responses(404, 422), default_response_class=JSON)
ID = Path(..., max_length=200, description="the resource id, as in its IRI")


@router.get("/pairings", summary="Pairings, filtered (a region includes the units below it)",
            response_model=dict)
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
) -> JSON:
    def result(cat: Catalog) -> dict:
        found = cat.find_pairings(supporter, recipient, field, mode, programme, year, q)
        return page.apply(found, cat.pairing_item)
    return await answer(request, result)


@router.get("/pairings/{id}", summary="One pairing with parent and sub-pairings, teams, people, evidence",
            response_model=dict)
async def get_pairing(request: Request, id: str = ID) -> JSON:
    return await answer(request, Catalog.pairing_detail, id)


@router.get("/pairings/{id}/instruments", summary="The instruments that govern or authorise a pairing, and how",
            response_model=dict)
async def pairing_instruments(
    request: Request,
    id: str = ID,
    kind: str | None = Query(None, description="hard-law or soft-law"),
    type: str | None = Query(None, description="constitution, law, administrative-regulation, leadership-directive, "
                                               "central-policy, bilateral-agreement, local-policy"),
) -> JSON:
    def result(cat: Catalog) -> dict:
        items = cat.pairing_instruments(id, kind, type)
        return {"pairing": cat.ref(cat.iri("pairing", id)), "total": len(items), "items": items}
    return await answer(request, result)


async def _listing(request: Request, of: str, page: Page, q: str | None, label: str | None = None,
                   **equal: str | None) -> JSON:
    """A page of the resources of kind ``of``: ``q`` in a label, ``label`` an actor's exact label or short
    name, and each of ``equal`` (when given) the value of that field of the item."""
    needle = q.casefold() if q else None
    wanted = {k: v for k, v in equal.items() if v is not None}

    def result(cat: Catalog) -> dict:
        named = cat.actors_named(label) if label is not None else None
        items = []
        for r in cat.items(of):
            if needle and not any(needle in t.casefold() for t in (r.label_zh, r.label_en, *r.alt_labels)):
                continue
            if named is not None and r.iri not in named:
                continue
            item = cat.source_item(r) if of == "source" else cat.item(r)
            if all(item[k] == v for k, v in wanted.items()):
                items.append(item)
        return page.apply(items)
    return await answer(request, result)


@router.get("/actors", summary="Actors: governments, organs, hospitals, teams, persons",
            response_model=dict)
async def list_actors(request: Request,
                      q: str | None = Query(None, max_length=200, description="text in a label, zh or en"),
                      label: str | None = Query(None, max_length=200, description="an exact label or short name"),
                      level: str | None = Query(None, max_length=50),
                      page: Page = Depends(paging)) -> JSON:
    return await _listing(request, "actor", page, q, label, level=level)


@router.get("/actors/{id}", summary="One actor: supports, supported by, members, parent, sub-organisations",
            response_model=dict)
async def get_actor(request: Request, id: str = ID) -> JSON:
    return await answer(request, Catalog.actor_detail, id)


@router.get("/instruments", summary="Hard-law and soft-law instruments",
            response_model=dict)
async def list_instruments(request: Request, q: str | None = Query(None, max_length=200),
                           kind: str | None = Query(None, pattern="^(hard-law|soft-law)$"),
                           page: Page = Depends(paging)) -> JSON:
    return await _listing(request, "instrument", page, q, kind=kind)


@router.get("/instruments/{id}", summary="One instrument: what it governs and authorises, issuer, provisions",
            response_model=dict)
async def get_instrument(request: Request, id: str = ID) -> JSON:
    return await answer(request, Catalog.instrument_detail, id)


@router.get("/programmes", summary="National programmes and rounds",
            response_model=dict)
async def list_programmes(request: Request, q: str | None = Query(None, max_length=200),
                          page: Page = Depends(paging)) -> JSON:
    return await _listing(request, "programme", page, q)


@router.get("/programmes/{id}", summary="One programme with its pairings and instruments",
            response_model=dict)
async def get_programme(request: Request, id: str = ID) -> JSON:
    return await answer(request, Catalog.programme_detail, id)


@router.get("/sources", summary="Sources, with how many resources each backs",
            response_model=dict)
async def list_sources(request: Request, q: str | None = Query(None, max_length=200),
                       page: Page = Depends(paging)) -> JSON:
    return await _listing(request, "source", page, q)


@router.get("/sources/{id}", summary="One source and everything it backs",
            response_model=dict)
async def get_source(request: Request, id: str = ID) -> JSON:
    return await answer(request, Catalog.source_detail, id)
