"""The panel for quantitative work: GET /panel (one row per pairing and year active), /panel/figures (the
figures, keyed the same way) as CSV, Parquet or JSON, with the network filters and the fact filters, and
/panel/codebook (every column, its type and meaning).  The tables are ``graph.panel``'s."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from graph import network, panel
from graph.errors import BadParameter
from graph.readmodel import FactFilter

from .. import schemas
from ..dataset import Snapshot
from ..deps import JSON, facts, snapshot
from ..problems import responses

router = APIRouter(tags=["panel"], responses=responses(404, 422))

FORMAT = Query(
    "csv",
    description="csv (UTF-8, a header line, empty cells for missing values), parquet (the codebook's types) or "
    "json (the rows with what made them)",
    json_schema_extra={"enum": list(panel.FORMATS)},
)
CODEBOOK_LINK = '</panel/codebook>; rel="describedby"'


@dataclass
class PanelFilters:
    supporter: str | None
    recipient: str | None
    field: str | None
    mode: str | None
    programme: str | None
    year: int | None
    confidence: str | None
    include_subunits: bool | None = None  # None: the default (true), left out of the filters echoed

    def given(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def panel_filters(
    supporter: str | None = Query(None, max_length=200, description=schemas.ACTOR_NAME),
    recipient: str | None = Query(None, max_length=200, description=schemas.ACTOR_NAME),
    include_subunits: bool = Query(True, description=schemas.INCLUDE_SUBUNITS),
    field: str | None = Query(None, max_length=50, description="a field notation (pa:fields)"),
    mode: str | None = Query(None, max_length=50, description="a mode notation (pa:modes)"),
    programme: str | None = Query(None, max_length=200, description="a programme id or name"),
    year: int | None = Query(None, ge=1900, le=2100, description="the rows of this year only"),
    confidence: str | None = Query(None, max_length=20, description="pairings of exactly this confidence"),
) -> PanelFilters:
    subunits = None if include_subunits or not (supporter or recipient) else False  # echoed only when it counts
    return PanelFilters(supporter, recipient, field, mode, programme, year, confidence, subunits)


def _answer(snap: Snapshot, result: panel.Panel, fmt: str) -> Response:
    model = snap.model
    media_type, extension = panel.FORMATS[fmt]
    described = panel.describe(result, model)
    headers = {
        network.LEFT_OUT_HEADER: json_header(result.left_out),
        network.FILTERS_HEADER: json_header({**result.filters, **result.facts.echo()}),
        "Link": CODEBOOK_LINK,
    }
    if fmt == "json":
        return JSON({**described, "rows": result.rows}, headers=headers)
    name = f"pakg-{model.version}-{result.table}.{extension}"
    headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return Response(panel.write(result.rows, result.table, fmt, described), media_type=media_type, headers=headers)


def json_header(value: dict) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def _check_format(fmt: str, allowed: tuple[str, ...] | dict) -> str:
    if fmt not in allowed:
        raise BadParameter("format", f"unknown format '{fmt}' (expected one of: {', '.join(allowed)})")
    return fmt


FILE_CONTENT = {
    "text/csv": {"schema": {"type": "string"}},
    "application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}},
}


@router.get(
    "/panel",
    summary="The panel: one row per pairing and year in which it was active, as CSV, Parquet or JSON",
    description="Each row: the supporter and the recipient (id, GB/T 2260 code, names in Chinese and English, "
    "level, parent), the programme, fields, mode, the year, whether the year is stated by a source or inferred "
    "(and from what), the confidence and the source ids.  A pairing without an end year has rows up to the year "
    "the dataset was issued (last_year).  Filters as /network; the fact filters leave pairings out (the "
    "Pakg-Left-Out header says how many); with stated_years_only only the years a source states give rows.  "
    "Every column's type and meaning: /panel/codebook.",
    response_class=Response,
    responses={200: {"model": schemas.PanelAnswer, "content": FILE_CONTENT}},
)
def get_panel(
    format: str = FORMAT,
    f: PanelFilters = Depends(panel_filters),
    fact_filter: FactFilter = Depends(facts),
    snap: Snapshot = Depends(snapshot),
) -> Response:
    fmt = _check_format(format, panel.FORMATS)
    return _answer(snap, panel.panel(snap.model, fact_filter, **f.given()), fmt)


@router.get(
    "/panel/figures",
    summary="The figures (funds, cadres, projects …) as a long table keyed as the panel, as CSV, Parquet or JSON",
    description="Each row: the figure, what it is about (a pairing with its supporter, recipient and their GB/T "
    "codes, a programme, or an actor with its code), the measure, value and unit, whether the source gives it as "
    "a minimum or an approximation, the years it runs since and is as of, the confidence and the sources.  The "
    "fact filters weigh each figure's confidence and sources; a figure about a pairing is kept only when the "
    "pairing passes the filters.  Columns: /panel/codebook.",
    response_class=Response,
    responses={200: {"model": schemas.FiguresAnswer, "content": FILE_CONTENT}},
)
def get_figures(
    format: str = FORMAT,
    f: PanelFilters = Depends(panel_filters),
    fact_filter: FactFilter = Depends(facts),
    snap: Snapshot = Depends(snapshot),
) -> Response:
    fmt = _check_format(format, panel.FORMATS)
    return _answer(snap, panel.figures(snap.model, fact_filter, **f.given()), fmt)


@router.get(
    "/panel/codebook",
    summary="The codebook of the panel and the figures: every column, its type and meaning",
    response_class=Response,
    responses={200: {"model": schemas.Codebook, "content": {"text/csv": {"schema": {"type": "string"}}}}},
)
def get_codebook(
    format: str = Query("json", description="json or csv", json_schema_extra={"enum": ["json", "csv"]}),
) -> Response:
    fmt = _check_format(format, ("json", "csv"))
    if fmt == "csv":
        return Response(
            panel.codebook_csv(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="pakg-panel-codebook.csv"'},
        )
    return JSON(panel.codebook())
