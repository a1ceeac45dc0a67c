"""The pairings as a panel for quantitative work, and their figures as a long table, with a codebook.

``panel_rows`` gives one row per pairing and year in which it was active: the supporter and the
recipient (id, GB/T 2260 code, names in both languages, level, parent), the programme, fields, mode, the
year, whether that year is stated by a source or inferred (and from what), the confidence and the
sources.  It takes the network filters (``graph.network.FILTERS``: supporter, recipient, field, mode,
programme, year, confidence, and ``include_subunits``: false for a supporter or recipient alone, without
the units below it) and a fact filter (``FactFilter``), as ``/network`` does.  ``figure_rows``
gives the figures (funds, cadres, projects …) keyed the same way (pairing, programme, supporter and
recipient with their codes, or the actor), with the measure's unit and what the value rests on.

Which years a pairing has rows for: from its start to its end (``ReadModel.years``); a pairing without
an end (ongoing, or said by a source to have gone on after its programme) runs to ``last_year``, the
year the dataset was issued (``issued`` in ``data/dataset.toml``); a pairing without a start has no rows.
With ``stated_years_only`` a row is kept only when the year rests on years a source states (the rule of
``ReadModel.active_in``).  Every row says it: ``year_basis`` (stated | inferred), ``year_inferred_from``,
``open_ended``.

``CODEBOOK`` names every column of both tables with its type (string, integer, number, boolean; the
Arrow and pandas types follow from it) and meaning.  ``write`` writes rows as CSV (``;`` joins the
values of a list within a cell; an empty cell is a missing value; booleans are ``true``/``false``) or
Parquet (pyarrow; the codebook's types, the meanings as field metadata, pandas metadata so that
``pandas.read_parquet`` gives the nullable types ``Int64``, ``Float64``, ``boolean`` and ``string``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from . import queries
from .errors import BadParameter
from .readmodel import NO_FILTER, STATED, FactFilter, Pairing, ReadModel

FILTERS = ("supporter", "recipient", "field", "mode", "programme", "year", "confidence", "include_subunits")
LIST = ";"  # joins the values of a list within one cell


@dataclass(frozen=True)
class Variable:
    """One column of a table: its type (``TYPES``) and meaning."""

    type: str
    meaning: str

    @property
    def pandas(self) -> str:
        return TYPES[self.type][0]

    @property
    def arrow(self) -> str:
        return TYPES[self.type][1]


# a codebook type → (pandas dtype, Arrow type); missing values are null (NA), empty cells in CSV
TYPES = {
    "string": ("string", "string"),
    "integer": ("Int64", "int64"),
    "number": ("Float64", "double"),
    "boolean": ("boolean", "bool"),
}


def _actor_columns(role: str, what: str) -> dict[str, Variable]:
    return {
        f"{role}_id": Variable("string", f"the {what}'s pakg id (an actor: https://w3id.org/pakg/id/actor/{{id}})"),
        f"{role}_gb_code": Variable(
            "string",
            f"the {what}'s GB/T 2260 administrative-division code, six digits (missing for an actor that is not an "
            "administrative unit, e.g. a hospital: see its parent); the code the data gives, today's where the "
            "unit was renamed or merged",
        ),
        f"{role}_name_zh": Variable("string", f"the {what}'s name in Chinese"),
        f"{role}_name_en": Variable("string", f"the {what}'s name in English"),
        f"{role}_level": Variable(
            "string",
            f"the {what}'s administrative level (pa:adminLevels notation: province, municipality, prefecture, city, "
            "county, district, county-city, xpcc-…, institution …)",
        ),
        f"{role}_parent_id": Variable("string", f"the pakg id of the unit the {what} belongs to one level up"),
    }


PANEL_COLUMNS: dict[str, Variable] = {
    "pairing_id": Variable("string", "the pairing's pakg id (https://w3id.org/pakg/id/pairing/{id})"),
    "year": Variable("integer", "a calendar year in which the pairing was active (see year_basis)"),
    "kind": Variable("string", "pairing, or mentorship (a person-to-person pairing)"),
    **_actor_columns("supporter", "supporting side"),
    "supporter_detail": Variable("string", "what the source says of the supporting side beyond the actor"),
    **_actor_columns("recipient", "receiving side"),
    "programme_id": Variable("string", "the pakg id of the programme the pairing belongs to"),
    "programme_name_zh": Variable("string", "the programme's name in Chinese"),
    "programme_name_en": Variable("string", "the programme's name in English"),
    "parent_pairing_id": Variable("string", "the pakg id of the pairing this one was contracted under"),
    "fields": Variable("string", "the pairing's fields (pa:fields notations), ';'-separated"),
    "mode": Variable("string", "the pairing's mode (pa:modes notation)"),
    "start_year": Variable("integer", "the pairing's first year (stated by a source or inferred: start_basis)"),
    "start_basis": Variable(
        "string", "the basis of start_year: stated, anniversary, later-source or programme (pa:yearBases)"
    ),
    "end_year": Variable("integer", "the pairing's last year; missing when it has none (see open_ended)"),
    "end_basis": Variable(
        "string",
        "the basis of end_year: stated, anniversary, later-source or programme; continued: no end, a source "
        "says it went on after its programme ended; missing when there is no end",
    ),
    "open_ended": Variable(
        "boolean",
        "true when the pairing has no end year: its rows run to the year the dataset was issued (last_year of "
        "the codebook), not to a year a source gives",
    ),
    "year_basis": Variable(
        "string",
        "stated: the year lies between a start and an end (or no end) a source states; inferred: it rests on a "
        "start or end inferred from an anniversary, a later source or the programme",
    ),
    "year_inferred_from": Variable(
        "string",
        "for an inferred year: the bases of the start and end years that are not stated, start first, "
        "';'-separated (e.g. 'programme' or 'later-source;programme'); missing for a stated year",
    ),
    "confidence": Variable("string", "the pairing's confidence: high, medium or low (pa:confidenceLevels)"),
    "source_ids": Variable("string", "the pakg ids of the sources the pairing rests on, ';'-separated"),
    "source_kinds": Variable(
        "string",
        "the kind of each source, aligned with source_ids: official, state-media, copy, academic, secondary, "
        "fiction-forum",
    ),
}

FIGURE_COLUMNS: dict[str, Variable] = {
    "figure_id": Variable("string", "the figure's pakg id (https://w3id.org/pakg/id/figure/{id})"),
    "subject_kind": Variable("string", "what the figure is about: pairing, programme or actor"),
    "subject_id": Variable("string", "the pakg id of what the figure is about"),
    "pairing_id": Variable("string", "for a figure about a pairing: the pairing's id (joins the panel)"),
    "programme_id": Variable("string", "the programme: the figure's subject, or its pairing's programme"),
    "supporter_id": Variable("string", "for a figure about a pairing: the supporting side's id"),
    "supporter_gb_code": Variable("string", "its GB/T 2260 code (see the panel's supporter_gb_code)"),
    "recipient_id": Variable("string", "for a figure about a pairing: the receiving side's id"),
    "recipient_gb_code": Variable("string", "its GB/T 2260 code (see the panel's recipient_gb_code)"),
    "actor_id": Variable("string", "for a figure about an actor: the actor's id"),
    "actor_gb_code": Variable("string", "for a figure about an actor: its GB/T 2260 code"),
    "measure": Variable(
        "string", "what the figure counts (pa:measures notation: funds-cny, cadres-sent, projects, experts-sent …)"
    ),
    "value": Variable("number", "the value, in unit"),
    "unit": Variable("string", "the measure's unit (pa:unit): CNY (whole yuan), persons, projects, hospitals …"),
    "at_least": Variable("boolean", "true when the source gives the value as a minimum ('more than', '至少')"),
    "approximate": Variable("boolean", "true when the source gives the value as an approximation ('about', '约')"),
    "since_year": Variable("integer", "the year the counted period starts, when the source gives it"),
    "as_of_year": Variable("integer", "the year the value is as of (the year to join a yearbook by)"),
    "period_note": Variable("string", "the period as the source words it"),
    "scope": Variable("string", "what the figure counts, as the source words it (e.g. 'funds and materials')"),
    "confidence": Variable("string", "the figure's confidence: high, medium or low"),
    "source_ids": Variable("string", "the pakg ids of the sources the figure rests on, ';'-separated"),
    "source_kinds": Variable("string", "the kind of each source, aligned with source_ids"),
    "note": Variable("string", "the figure's note: what the source says, in English"),
}

TABLES = ("panel", "figures")
CODEBOOK: dict[str, dict[str, Variable]] = {"panel": PANEL_COLUMNS, "figures": FIGURE_COLUMNS}
FORMATS = {  # format → (media type, file extension)
    "csv": ("text/csv; charset=utf-8", "csv"),
    "parquet": ("application/vnd.apache.parquet", "parquet"),
    "json": ("application/json", "json"),
}
LAST_YEAR = "a pairing without an end year has rows up to the year the dataset was issued (issued in data/dataset.toml)"


def last_year() -> int:
    """The last year of the panel: the year the dataset was issued (``issued`` in ``data/dataset.toml``)."""
    from .metadata import load_metadata

    return load_metadata().year


def codebook(year: int | None = None) -> dict[str, Any]:
    """The codebook as data: for each table its columns in order (name, type, pandas dtype, Arrow type,
    meaning), the types, and the panel's last year and how it is chosen.

    >>> book = codebook(2026)
    >>> book["last_year"], book["tables"]["panel"][1]["name"], book["tables"]["panel"][1]["pandas_dtype"]
    (2026, 'year', 'Int64')
    """
    return {
        "last_year": last_year() if year is None else year,
        "last_year_rule": LAST_YEAR,
        "missing": "null in JSON and Parquet, an empty cell in CSV",
        "lists": f"the values of a list within one cell are '{LIST}'-separated",
        "booleans_in_csv": "true / false",
        "tables": {
            table: [
                {"name": name, "type": v.type, "pandas_dtype": v.pandas, "arrow_type": v.arrow, "meaning": v.meaning}
                for name, v in columns.items()
            ]
            for table, columns in CODEBOOK.items()
        },
    }


def codebook_csv() -> bytes:
    """The codebook as CSV: one line per column of each table (table, column, type, pandas dtype, Arrow
    type, meaning)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["table", "column", "type", "pandas_dtype", "arrow_type", "meaning"])
    for table, columns in CODEBOOK.items():
        for name, v in columns.items():
            writer.writerow([table, name, v.type, v.pandas, v.arrow, v.meaning])
    return buf.getvalue().encode()


# ---- rows -----------------------------------------------------------------------------------


def _id(model: ReadModel, iri: str | None) -> str | None:
    return model.split(iri)[1] if iri else None


def _actor(model: ReadModel, role: str, iri: str) -> dict[str, Any]:
    r = model.resources.get(iri)
    return {
        f"{role}_id": _id(model, iri),
        f"{role}_gb_code": model.codes().get(iri),
        f"{role}_name_zh": r.label_zh if r else None,
        f"{role}_name_en": r.label_en if r else None,
        f"{role}_level": r.level if r else None,
        f"{role}_parent_id": _id(model, r.parent) if r else None,
    }


def _sources(model: ReadModel, sources: Iterable[str]) -> dict[str, str | None]:
    ordered = sorted(sources, key=lambda s: _id(model, s) or "")
    return {
        "source_ids": LIST.join(_id(model, s) or "" for s in ordered) or None,
        "source_kinds": LIST.join(model.source_kind(s) or "" for s in ordered) or None,
    }


def active_years(model: ReadModel, p: Pairing, last: int, stated_only: bool = False) -> list[int]:
    """The years a pairing has rows for: from its start to its end, or to ``last`` when it has no end;
    with ``stated_only``, none unless its start is stated and its end stated or absent (``active_in``)."""
    start, end = model.years(p, stated_only)
    if start is None or (stated_only and end is None and p.end is not None):
        return []
    return list(range(start, (end if end is not None else last) + 1))


def _year_basis(model: ReadModel, p: Pairing, year: int) -> tuple[str, str | None]:
    """(stated | inferred, the bases of the years that are not stated) for one year of a pairing."""
    if model.active_in(p, year, stated_only=True):
        return STATED, None
    inferred = [b for b, y in ((p.start_basis, p.start), (p.end_basis, p.end)) if y is not None and b != STATED]
    return "inferred", LIST.join(b or "" for b in inferred) or None


def _pairing_part(model: ReadModel, p: Pairing) -> dict[str, Any]:
    """The columns of a pairing's rows that do not depend on the year."""
    prog = model.resources.get(p.programme) if p.programme else None
    return {
        "pairing_id": p.id,
        "year": None,
        "kind": p.kind,
        **_actor(model, "supporter", p.supporter),
        "supporter_detail": p.supporter_detail,
        **_actor(model, "recipient", p.recipient),
        "programme_id": _id(model, p.programme),
        "programme_name_zh": prog.label_zh if prog else None,
        "programme_name_en": prog.label_en if prog else None,
        "parent_pairing_id": _id(model, p.parent),
        "fields": LIST.join(p.fields) or None,
        "mode": p.mode,
        "start_year": p.start,
        "start_basis": p.start_basis if p.start is not None else None,
        "end_year": p.end,
        "end_basis": p.end_basis,
        "open_ended": p.end is None,
        "year_basis": None,
        "year_inferred_from": None,
        "confidence": p.confidence,
        **_sources(model, p.sources),
    }


@dataclass(frozen=True)
class Panel:
    """Rows of one table and what made them: the filters given, the fact filter, what it left out (as
    ``ReadModel.left_out`` counts it), the last year of the panel and how many selected pairings have
    no row (no start year, or with stated years only none stated)."""

    table: str
    rows: list[dict[str, Any]]
    filters: dict[str, Any]
    facts: FactFilter
    left_out: dict[str, int]
    last_year: int
    without_rows: int = 0


def _check(filters: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(filters) - set(FILTERS))
    if unknown:
        raise BadParameter(unknown[0], f"not a filter of the panel (filters: {', '.join(FILTERS)})")
    return {k: v for k, v in filters.items() if v is not None}


def panel(model: ReadModel, facts: FactFilter = NO_FILTER, last: int | None = None, **filters: Any) -> Panel:
    """The panel of the pairings that match the filters and the fact filter (see the module's
    description), with what made it; a ``year`` filter keeps that year's rows only.  Built once per
    dataset version, filter set and fact filter."""
    chosen = _check(filters)
    year_to = last_year() if last is None else last
    key = ("panel", tuple(sorted(chosen.items())), facts, year_to)

    def compute() -> Panel:
        pairings, left_out = model.select_pairings(**chosen, facts=facts)
        rows, without = [], 0
        for p in pairings:
            years = active_years(model, p, year_to, facts.stated_years_only)
            if chosen.get("year") is not None:
                years = [y for y in years if y == chosen["year"]]
            if not years:
                without += 1
                continue
            part = _pairing_part(model, p)
            for y in years:
                basis, inferred_from = _year_basis(model, p, y)
                rows.append({**part, "year": y, "year_basis": basis, "year_inferred_from": inferred_from})
        return Panel("panel", rows, chosen, facts, left_out, year_to, without)

    return model.memo("panel", key, compute, limit=128)


def panel_rows(model: ReadModel, facts: FactFilter = NO_FILTER, last: int | None = None, **filters: Any) -> list[dict]:
    """One row per pairing and year in which it was active, the columns of ``PANEL_COLUMNS`` in order."""
    return panel(model, facts, last, **filters).rows


def figures(model: ReadModel, facts: FactFilter = NO_FILTER, **filters: Any) -> Panel:
    """The figures, keyed as the panel is, with what made the table.  The fact filter weighs each
    figure's own confidence and sources, and a figure about a pairing is kept only when the pairing is
    (``select_pairings`` with the filters and the fact filter).  When a filter is given, a figure about a
    programme is kept when a selected pairing belongs to it, one about an actor when the actor is a side
    of a selected pairing.  (The ``year`` filter selects the pairings, not the figures' years.)"""
    chosen = _check(filters)
    key = ("figures", tuple(sorted(chosen.items())), facts)

    def compute() -> Panel:
        model.check_facts(facts)
        pairings, left_out = model.select_pairings(**chosen, facts=facts)
        selected = {p.iri for p in pairings}
        programmes = {p.programme for p in pairings if p.programme}
        actors = {a for p in pairings for a in (p.supporter, p.recipient)}
        codes = model.codes()
        rows = []
        for f in _figure_records(model):
            figure = model.resources.get(f["figure"])
            if figure is None or not facts.keeps(model, figure):
                continue
            subject = f["subject"]
            kind = model.split(subject)[0]
            if kind == "pairing" and subject not in selected:
                continue
            if chosen and kind == "programme" and subject not in programmes:
                continue
            if chosen and kind == "actor" and subject not in actors:
                continue
            p = model.pairing_by_iri.get(subject) if kind == "pairing" else None
            programme = p.programme if p else subject if kind == "programme" else None
            rows.append(
                {
                    "figure_id": figure.id,
                    "subject_kind": kind,
                    "subject_id": _id(model, subject),
                    "pairing_id": p.id if p else None,
                    "programme_id": _id(model, programme),
                    "supporter_id": _id(model, p.supporter) if p else None,
                    "supporter_gb_code": codes.get(p.supporter) if p else None,
                    "recipient_id": _id(model, p.recipient) if p else None,
                    "recipient_gb_code": codes.get(p.recipient) if p else None,
                    "actor_id": _id(model, subject) if kind == "actor" else None,
                    "actor_gb_code": codes.get(subject) if kind == "actor" else None,
                    "measure": f["measure"],
                    "value": float(f["value"]),
                    "unit": f.get("unit"),
                    "at_least": bool(f.get("at_least", False)),
                    "approximate": bool(f.get("approximate", False)),
                    "since_year": f.get("since_year"),
                    "as_of_year": f.get("as_of_year"),
                    "period_note": f.get("period_note"),
                    "scope": f.get("scope"),
                    "confidence": figure.confidence,
                    **_sources(model, figure.sources),
                    "note": f.get("note"),
                }
            )
        return Panel("figures", rows, chosen, facts, left_out, last_year())

    return model.memo("panel", key, compute, limit=128)


def figure_rows(model: ReadModel, facts: FactFilter = NO_FILTER, **filters: Any) -> list[dict]:
    """The figures as a long table, the columns of ``FIGURE_COLUMNS`` in order (see ``figures``)."""
    return figures(model, facts, **filters).rows


def _figure_records(model: ReadModel) -> list[dict[str, Any]]:
    """The named query ``figures``, one record per figure (the first of any repeated value)."""

    def read() -> list[dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for row in queries.run(model.engine, "figures"):
            found.setdefault(row["figure"], row)
        return list(found.values())

    return model.memo("panel", "figure-records", read)


# ---- writers --------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def to_csv(rows: list[dict], table: str = "panel", bom: bool = False) -> bytes:
    """The rows as CSV (UTF-8, with a byte-order mark when ``bom``, for Excel): the codebook's columns
    in order, a header line, empty cells for missing values, booleans as true/false."""
    columns = list(CODEBOOK[table])
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return ("\ufeff" if bom else "").encode() + buf.getvalue().encode()


def arrow_table(rows: list[dict], table: str = "panel", metadata: dict[str, Any] | None = None):
    """The rows as a ``pyarrow.Table`` with the codebook's types; each field's meaning is its
    ``description`` metadata; the table's metadata holds ``metadata`` (as JSON under ``pakg``) and the
    pandas metadata that gives pandas the codebook's (nullable) types."""
    import pyarrow as pa

    columns = CODEBOOK[table]
    arrow_types = {"string": pa.string(), "int64": pa.int64(), "double": pa.float64(), "bool": pa.bool_()}
    fields = [
        pa.field(name, arrow_types[v.arrow], nullable=True, metadata={"description": v.meaning})
        for name, v in columns.items()
    ]
    arrays = [pa.array([row.get(name) for row in rows], type=f.type) for name, f in zip(columns, fields, strict=True)]
    pandas_meta = {
        "index_columns": [],
        "column_indexes": [],
        "columns": [
            {
                "name": name,
                "field_name": name,
                "pandas_type": {"string": "unicode", "integer": "int64", "number": "float64", "boolean": "bool"}[
                    v.type
                ],
                "numpy_type": v.pandas,
                "metadata": None,
            }
            for name, v in columns.items()
        ],
        "attributes": {},
        "creator": {"library": "pakg", "version": ""},
        "pandas_version": "2.0.0",
    }
    meta = {b"pandas": json.dumps(pandas_meta).encode()}
    if metadata:
        meta[b"pakg"] = json.dumps(metadata, ensure_ascii=False, sort_keys=True).encode()
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields, metadata=meta))


def to_parquet(rows: list[dict], table: str = "panel", metadata: dict[str, Any] | None = None) -> bytes:
    """The rows as a Parquet file (see ``arrow_table``)."""
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    pq.write_table(arrow_table(rows, table, metadata), buf, compression="zstd")
    return buf.getvalue()


def write(rows: list[dict], table: str, fmt: str, metadata: dict[str, Any] | None = None) -> bytes:
    """The rows of ``table`` in a format of ``FORMATS`` (JSON: a list of objects, ``metadata`` beside
    them when given)."""
    if fmt == "csv":
        return to_csv(rows, table)
    if fmt == "parquet":
        return to_parquet(rows, table, metadata)
    if fmt == "json":
        body: Any = {**metadata, "rows": rows} if metadata else rows
        return json.dumps(body, ensure_ascii=False).encode()
    raise BadParameter("format", f"unknown format '{fmt}' (expected one of: {', '.join(FORMATS)})")


def describe(result: Panel, model: ReadModel) -> dict[str, Any]:
    """What made a table, as its JSON answer and its Parquet metadata say it."""
    from .metadata import load_metadata

    meta = load_metadata()
    return {
        "table": result.table,
        "dataset_version": model.version,
        "release": meta.version,
        "licence": meta.licence,
        "last_year": result.last_year,
        "filters": dict(result.filters),
        "facts": result.facts.echo(),
        "left_out": dict(result.left_out),
        "pairings_without_rows": result.without_rows,
        "total": len(result.rows),
    }
