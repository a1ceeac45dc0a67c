"""Question-level REST: pairings, actors, instruments, programmes, sources (JSON, paginated)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query

from graph.catalog import Catalog

from ..deps import Page, catalog, language, localise
from ..problems import responses

router = APIRouter(tags=["questions"], responses=responses(404, 422))
ID = Path(..., max_length=200, description="the resource id, as in its IRI")


@router.get("/pairings", summary="Pairings, filtered (a region includes the units below it)")
def list_pairings(
    supporter: str | None = Query(None, max_length=200, description="actor id or exact label (zh/en)"),
    recipient: str | None = Query(None, max_length=200, description="actor id or exact label (zh/en)"),
    field: str | None = Query(None, max_length=50, description="medical, education, comprehensive, …"),
    mode: str | None = Query(None, max_length=50, description="traditional, group-style, …"),
    programme: str | None = Query(None, max_length=100, description="programme id, e.g. P-XJ-2010"),
    year: int | None = Query(None, ge=1900, le=2100, description="active in this year"),
    q: str | None = Query(None, max_length=200, description="text in the labels, zh or en"),
    page: Page = Depends(), cat: Catalog = Depends(catalog), lang: str = Depends(language),
) -> dict:
    found = cat.find_pairings(supporter, recipient, field, mode, programme, year, q)
    return localise(page.apply([cat.pairing_item(p) for p in found]), lang)


@router.get("/pairings/{id}", summary="One pairing with parent and sub-pairings, teams, people, evidence")
def get_pairing(id: str = ID, cat: Catalog = Depends(catalog), lang: str = Depends(language)) -> dict:
    return localise(cat.pairing_detail(id), lang)


@router.get("/pairings/{id}/instruments", summary="The instruments that govern or authorise a pairing, and how")
def pairing_instruments(
    id: str = ID,
    kind: str | None = Query(None, description="hard-law or soft-law"),
    type: str | None = Query(None, description="constitution, law, administrative-regulation, leadership-directive, "
                                               "central-policy, bilateral-agreement, local-policy"),
    cat: Catalog = Depends(catalog), lang: str = Depends(language),
) -> dict:
    items = cat.pairing_instruments(id, kind, type)
    return localise({"pairing": cat.ref(cat.iri("pairing", id)), "total": len(items), "items": items}, lang)


def _listing(kind: str, cat: Catalog, page: Page, lang: str, q: str | None, keep=lambda item: True) -> dict:
    needle = q.casefold() if q else None
    items = []
    for r in cat.items(kind):
        if needle and not any(needle in t.casefold() for t in (r.label_zh, r.label_en, *r.alt_labels)):
            continue
        item = cat.source_item(r) if kind == "source" else cat.item(r)
        if keep(item):
            items.append(item)
    return localise(page.apply(items), lang)


@router.get("/actors", summary="Actors: governments, organs, hospitals, teams, persons")
def list_actors(q: str | None = Query(None, max_length=200, description="text in a label, zh or en"),
                label: str | None = Query(None, max_length=200, description="an exact label or short name"),
                level: str | None = Query(None, max_length=50),
                page: Page = Depends(), cat: Catalog = Depends(catalog), lang: str = Depends(language)) -> dict:
    named = cat.actors_named(label) if label is not None else None
    return _listing("actor", cat, page, lang, q, lambda i: (level is None or i["level"] == level)
                    and (named is None or i["iri"] in named))


@router.get("/actors/{id}", summary="One actor: supports, supported by, members, parent, sub-organisations")
def get_actor(id: str = ID, cat: Catalog = Depends(catalog), lang: str = Depends(language)) -> dict:
    return localise(cat.actor_detail(id), lang)


@router.get("/instruments", summary="Hard-law and soft-law instruments")
def list_instruments(q: str | None = Query(None, max_length=200),
                     kind: str | None = Query(None, pattern="^(hard-law|soft-law)$"),
                     page: Page = Depends(), cat: Catalog = Depends(catalog), lang: str = Depends(language)) -> dict:
    return _listing("instrument", cat, page, lang, q, lambda i: kind is None or i["kind"] == kind)


@router.get("/instruments/{id}", summary="One instrument: what it governs and authorises, issuer, provisions")
def get_instrument(id: str = ID, cat: Catalog = Depends(catalog), lang: str = Depends(language)) -> dict:
    return localise(cat.instrument_detail(id), lang)


@router.get("/programmes", summary="National programmes and rounds")
def list_programmes(q: str | None = Query(None, max_length=200), page: Page = Depends(),
                    cat: Catalog = Depends(catalog), lang: str = Depends(language)) -> dict:
    return _listing("programme", cat, page, lang, q)


@router.get("/programmes/{id}", summary="One programme with its pairings and instruments")
def get_programme(id: str = ID, cat: Catalog = Depends(catalog), lang: str = Depends(language)) -> dict:
    return localise(cat.programme_detail(id), lang)


@router.get("/sources", summary="Sources, with how many resources each backs")
def list_sources(q: str | None = Query(None, max_length=200), page: Page = Depends(),
                 cat: Catalog = Depends(catalog), lang: str = Depends(language)) -> dict:
    return _listing("source", cat, page, lang, q)


@router.get("/sources/{id}", summary="One source and everything it backs")
def get_source(id: str = ID, cat: Catalog = Depends(catalog), lang: str = Depends(language)) -> dict:
    return localise(cat.source_detail(id), lang)
