"""Question-level REST: pairings, actors, instruments, programmes, sources (JSON, paginated)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse

from graph.governance import MAX_IDS
from graph.readmodel import CONFIDENCE_LEVELS, INSTRUMENT_KINDS, INSTRUMENT_TYPES, FactFilter

from .. import schemas
from ..answers import Answers
from ..dataset import Snapshot
from ..deps import JSON, Page, answer, facts, snapshot
from ..deps import page as paging
from ..problems import responses
from ..tabular import Table, Tabular, listing, tabular

router = APIRouter(tags=["questions"], responses=responses(404, 422), default_response_class=JSON)
ID = Path(..., max_length=200, description="the resource id, as in its IRI")
AS_OF = Query(
    None,
    ge=1900,
    le=2100,
    description="the instruments that applied in this year: those in force (or dated) only after it, or no longer "
    "in force in it, are left out; a pairing not active in it gets none (active: false, with a note)",
)


async def instrument_filters(
    kind: str | None = Query(
        None, max_length=20, description=schemas.INSTRUMENT_KIND, json_schema_extra={"enum": list(INSTRUMENT_KINDS)}
    ),
    type: str | None = Query(
        None,
        max_length=40,
        description=schemas.INSTRUMENT_TYPE,
        json_schema_extra={"enum": sorted(INSTRUMENT_TYPES.values())},
    ),
    issuer: str | None = Query(
        None, max_length=200, description="the issuing actor: id or name, zh or en (a unit below it counts too)"
    ),
    doc_number: str | None = Query(
        None, max_length=200, description="text in the document number (文号), width- and case-insensitive"
    ),
    date_from: str | None = Query(None, max_length=10, description="dated from: a year or an ISO date (2010, 2010-05)"),
    date_to: str | None = Query(None, max_length=10, description="dated to: a year or an ISO date (2012, 2012-12-31)"),
) -> dict:
    """The filters of instruments (``graph.governance.InstrumentFilter``), as keyword arguments of the
    answers."""
    return {
        "kind": kind,
        "type_": type,
        "issuer": issuer,
        "doc_number": doc_number,
        "date_from": date_from,
        "date_to": date_to,
    }


@router.get(
    "/pairings",
    summary="Pairings, filtered (a region includes the units below it)",
    response_model=schemas.FilteredPage[schemas.PairingItem],
)
async def list_pairings(
    request: Request,
    supporter: str | None = Query(None, max_length=200, description=schemas.ACTOR_NAME),
    recipient: str | None = Query(None, max_length=200, description=schemas.ACTOR_NAME),
    include_subunits: bool = Query(True, description=schemas.INCLUDE_SUBUNITS),
    field: str | None = Query(None, max_length=50, description="medical, education, comprehensive, …"),
    mode: str | None = Query(None, max_length=50, description="traditional, group-style, …"),
    programme: str | None = Query(None, max_length=200, description="programme id (P-XJ-2010) or name"),
    year: int | None = Query(None, ge=1900, le=2100, description="active in this year"),
    confidence: str | None = Query(
        None,
        max_length=20,
        description="pairings of exactly this confidence (min_confidence: this or above)",
        json_schema_extra={"enum": list(CONFIDENCE_LEVELS)},
    ),
    q: str | None = Query(None, max_length=200, description="text in the labels, zh or en"),
    page: Page = Depends(paging),
    weigh: FactFilter = Depends(facts),
    table: Table = Depends(listing("pairing")),
    snap: Snapshot = Depends(snapshot),
) -> JSON:
    def result(answers: Answers) -> dict:
        found = answers.model.select_pairings(
            supporter, recipient, field, mode, programme, year, q, confidence, weigh, include_subunits=include_subunits
        )
        return answers.pairing_list(found, weigh, page, table.facets)

    return await answer(request, snap, result)


@router.get(
    "/pairings/instruments",
    summary="The instruments of several pairings at once (ids comma-separated or repeated, at most 200)",
    response_model=schemas.BulkInstruments,
)
async def bulk_instruments(
    request: Request,
    ids: list[str] = Query(
        ...,
        max_length=MAX_IDS,
        description="pairing ids (or names), comma-separated or repeated: ids=PR-0001,PR-0002; at most 200",
    ),
    as_of: int | None = AS_OF,
    question: dict = Depends(instrument_filters),
    weigh: FactFilter = Depends(facts),
    snap: Snapshot = Depends(snapshot),
) -> JSON:
    return await answer(
        request, snap, lambda answers: answers.bulk_instruments(ids, facts=weigh, as_of=as_of, **question)
    )


@router.post(
    "/pairings/instruments",
    summary="The instruments of several pairings at once, asked in a JSON body",
    response_model=schemas.BulkInstruments,
    responses=responses(413, 415),
)
async def bulk_instruments_post(
    request: Request,
    body: schemas.BulkQuestion,
    weigh: FactFilter = Depends(facts),
    snap: Snapshot = Depends(snapshot),
) -> JSON:
    question = body.model_dump(exclude={"ids", "as_of"})
    question["type_"] = question.pop("type")
    return await answer(
        request,
        snap,
        lambda answers: answers.bulk_instruments(body.ids, facts=weigh, as_of=body.as_of, **question),
    )


@router.get(
    "/pairings/{id}",
    summary="One pairing with parent and sub-pairings, teams, people, evidence",
    response_model=schemas.PairingDetail,
)
async def get_pairing(request: Request, id: str = ID, snap: Snapshot = Depends(snapshot)) -> JSON:
    return await answer(request, snap, Answers.pairing_detail, id)


@router.get(
    "/pairings/{id}/instruments",
    summary="The instruments that govern or authorise a pairing: once each, every route, the reason in words",
    response_model=schemas.PairingInstruments,
)
async def pairing_instruments(
    request: Request,
    id: str = ID,
    as_of: int | None = AS_OF,
    question: dict = Depends(instrument_filters),
    weigh: FactFilter = Depends(facts),
    shape: Tabular = Depends(tabular),
    snap: Snapshot = Depends(snapshot),
) -> JSON:
    return await answer(
        request, snap, lambda answers: answers.pairing_instruments(id, facts=weigh, as_of=as_of, **question)
    )


async def _listing(
    request: Request,
    snap: Snapshot,
    of: str,
    page: Page,
    q: str | None,
    label: str | None = None,
    weigh: FactFilter | None = None,
    table: Table = Table(),
    **equal: str | None,
) -> JSON:
    """A page of the resources of kind ``of`` (see ``Answers.listing``); with ``weigh``, the facts
    filter, repeated in the answer with what it left out; with the facets ``table`` asks."""
    if weigh is None:
        return await answer(request, snap, lambda answers: answers.list_page(of, page, q, table.facets, **equal))
    return await answer(
        request, snap, lambda answers: answers.page_of(of, page, q, label, weigh, table.facets, **equal)
    )


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
    table: Table = Depends(listing("actor")),
    snap: Snapshot = Depends(snapshot),
) -> JSON:
    return await _listing(request, snap, "actor", page, q, label, weigh, table, level=level)


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
    response_model=schemas.InstrumentPage,
)
async def list_instruments(
    request: Request,
    q: str | None = Query(None, max_length=200),
    question: dict = Depends(instrument_filters),
    page: Page = Depends(paging),
    weigh: FactFilter = Depends(facts),
    table: Table = Depends(listing("instrument")),
    snap: Snapshot = Depends(snapshot),
) -> JSON:
    return await answer(
        request, snap, lambda answers: answers.instrument_page(page, q, weigh, facets=table.facets, **question)
    )


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
    table: Table = Depends(listing("programme")),
    snap: Snapshot = Depends(snapshot),
) -> JSON:
    return await _listing(request, snap, "programme", page, q, None, weigh, table)


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
    table: Table = Depends(listing("source")),
    snap: Snapshot = Depends(snapshot),
) -> JSON:
    return await _listing(request, snap, "source", page, q, table=table)


@router.get("/sources/{id}", summary="One source and everything it backs", response_model=schemas.SourceDetail)
async def get_source(request: Request, id: str = ID, snap: Snapshot = Depends(snapshot)) -> JSON:
    return await answer(request, snap, Answers.source_detail, id)


@router.get(
    "/resolve",
    summary="What a name names: an actor, programme, instrument, pairing or source, and how it matched",
    description="The resolver every filter uses (supporter, recipient, programme, issuer …): an IRI, an id (in any "
    "case), a retired id, a Chinese or English label, an alternative, historical or short name (克州), or a "
    "place's name without its generic words (Kizilsu, 新疆, 江苏, 那曲); case- and width-insensitive.  A name "
    "that names several resources is the one that holds the others when there is one (Hotan: Hotan Prefecture), "
    "else a 422 listing them as `candidates`; an unknown name is a 422 listing the closest.",
    response_model=schemas.Resolved,
)
async def resolve_name(
    request: Request,
    name: str = Query(..., min_length=1, max_length=200, description="the name, id or IRI to resolve"),
    kind: list[schemas.ResolveKind] | None = Query(
        None, description="only resources of this kind (repeatable); any kind when absent"
    ),
    snap: Snapshot = Depends(snapshot),
) -> JSON:
    def result(answers: Answers) -> dict:
        model = answers.model
        found = model.lookup(tuple(kind) if kind else None, name, "name")
        r = model.resources[found.iri]
        return {
            "name": name,
            "id": r.id,
            "iri": r.iri,
            "kind": r.kind,
            "label_zh": r.label_zh,
            "label_en": r.label_en,
            "level": r.level,
            "matched_by": found.matched_by,
            "units_below": len(model.below(r.iri)) - 1 if r.kind == "actor" else None,
            "others": [model.candidate(i) for i in found.others],
        }

    return await answer(request, snap, result)
