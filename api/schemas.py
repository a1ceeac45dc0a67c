"""The shapes of the REST answers, as the OpenAPI document declares them.

Answers are built as plain dicts by ``api.answers`` and written by orjson (fast, and byte-identical
from one version to the next); these models are the contract they keep: every route declares one as
its ``response_model``, and the tests validate real answers against them (no field left undeclared).
``label`` is the label in the language the request asked for (Accept-Language), beside both.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")
# a value as the data states it: text, or a number or year when the data types it so
Value = str | int | float | bool | None


class Shape(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Ref(Shape):
    """A reference to a resource: its id, IRI and labels (null when the resource has none)."""

    id: str
    iri: str
    label_zh: str | None
    label_en: str | None
    label: str | None = Field(None, description="label_zh or label_en, as Accept-Language asks")


class SourceRef(Shape):
    """A source a fact rests on: its title, kind, publisher, date and address, and the outlet whose text
    it reproduces when it is a copy."""

    id: str
    iri: str
    title: str | None
    kind: str | None = Field(
        description="official, state-media, copy, academic, secondary or fiction-forum (pa:sourceKinds)"
    )
    publisher: str | None
    date: str | None = Field(description="date of publication, as precise as known (ISO 8601)")
    url: str | None
    original_outlet: str | None = Field(description="for a copy: the outlet whose text it reproduces")


YEAR_BASIS = "stated, anniversary, later-source, programme or continued (pa:yearBases)"


class Period(Shape):
    """A period: each year with its basis (stated by a source, or inferred and from what), and the period
    in words ("since 2010 (inferred from the programme)")."""

    start: int | None = Field(description="the first year (stated by a source or inferred, see start_basis)")
    start_basis: str | None = Field(description=YEAR_BASIS)
    end: int | None
    end_basis: str | None = Field(description=YEAR_BASIS + "; continued: no end, it went on after its programme")
    label_zh: str
    label_en: str
    label: str | None = Field(None, description="label_zh or label_en, as Accept-Language asks")


class FactsEcho(Shape):
    """The facts an answer rests on, as the request asked (defaults keep everything)."""

    min_confidence: str | None = Field(description="items below this confidence are left out")
    exclude_source_kinds: list[str] = Field(description="items resting only on sources of these kinds are left out")
    stated_years_only: bool = Field(description="the year filter uses only years a source states")


class LeftOut(Shape):
    """How many items the facts filter left out, each counted once, under the first reason that applies."""

    below_confidence: int
    only_excluded_sources: int
    years_not_stated: int = Field(description="active in the year asked only by inferred years")


class Labelled(Shape):
    id: str
    iri: str
    label_zh: str
    label_en: str
    label: str | None = Field(None, description="label_zh or label_en, as Accept-Language asks")


class PairingItem(Labelled):
    """A pairing: who supports whom, in which fields, under which programme, how sure and on what source."""

    kind: str = Field(description="pairing or mentorship")
    fields: list[str]
    mode: str | None
    confidence: str | None
    supporter: Ref
    recipient: Ref
    supporter_detail: str | None
    programme: Ref | None
    period: Period
    parent: Ref | None
    sources: list[SourceRef]


class Team(Ref):
    members: list[Ref]


class Evidence(Ref):
    code: Value
    quote_zh: Value
    summary_en: Value
    speaker: Ref | None


class PairingDetail(PairingItem):
    note: str | None = Field(description="a note for users: what the sources say, what is inferred")
    sub_pairings: list[PairingItem]
    teams: list[Team]
    people: list[Ref]
    evidence: list[Evidence]
    figures: list[Ref]
    instruments_url: str


class GoverningInstrumentItem(Ref):
    """An instrument that governs or authorises a pairing, how (``via``) and the path to it."""

    kind: str = Field(description="hard-law or soft-law")
    type: str | None
    via: str = Field(description="direct, programme, parent-pairing, parent-programme or authorising-hard-law")
    path: list[Ref] = Field(description="the pairing, then the parent pairing, programme or instrument it goes through")
    part_of: Ref | None
    confidence: str | None
    sources: list[SourceRef]


class PairingInstruments(Shape):
    pairing: Ref
    total: int
    items: list[GoverningInstrumentItem]
    facts: FactsEcho
    left_out: LeftOut


class ResourceItem(Labelled):
    types: list[str]
    confidence: str | None
    sources: list[SourceRef]


class ActorItem(ResourceItem):
    level: str | None
    parent: Ref | None
    alt_labels_zh: list[str]


class InstrumentItem(ResourceItem):
    kind: str = Field(description="hard-law or soft-law")
    type: str | None


class ProgrammeItem(ResourceItem):
    period: Period


class SourceItem(SourceRef):
    backs: int = Field(description="how many resources this source backs")


class Attribution(Shape):
    """One fact about a resource and the sources that give it (an rdf:Statement node of the graph)."""

    property: str = Field(description="the property's IRI")
    name: str = Field(description="the property's local name, e.g. gbCode, parentRegion, label")
    value: Value = Field(description="the value: text, a number or an IRI")
    language: str | None = Field(description="the language of a text value")
    resource: Ref | None = Field(description="the value when it is a resource")
    sources: list[SourceRef]


class ActorDetail(ActorItem):
    note: str | None = Field(description="a note for users: what the sources say, what is inferred")
    gb_code: Value
    pseudonym: Value
    roles: list[str]
    supports: list[PairingItem]
    supported_by: list[PairingItem]
    supported_below: int = Field(description="pairings whose recipient is below this actor")
    members: list[Ref]
    member_of: list[Ref]
    sub_organisations: list[Ref]
    issued: list[Ref]
    party_to: list[Ref]
    evidence: list[Evidence]
    attributions: list[Attribution] = Field(description="which source gives which fact about this actor")


class KindRef(Ref):
    """A reference to a resource and its kind (instrument, provision, programme …)."""

    kind: str


RELATION = "based-on, implements, amends, replaces or repeals"


class Relation(Shape):
    """How an instrument relates to another instrument or a programme (typed links: pa:basedOn,
    pa:implements, pa:amends, pa:replaces, pa:repeals), seen from this resource."""

    relation: str = Field(description=RELATION)
    direction: str = Field(
        description="outgoing: this resource is based on, implements, amends, replaces or repeals the other; "
        "incoming: the other is based on, implements, amends, replaces or repeals this one"
    )
    resource: KindRef = Field(description="the resource at the other end of the link")
    confidence: str | None = Field(description="the link's confidence, where the graph states one")
    note: str | None = Field(description="what the source says about the link, where the graph states it")
    sources: list[SourceRef] = Field(description="the sources that state the link, where the graph attributes it")


class Provision(Ref):
    article: Value
    summary_en: Value
    authorizes: list[Ref]


class InstrumentDetail(InstrumentItem):
    date: Value
    date_note: Value
    in_force_from: str | None = Field(description="in force from (eli:first_date_entry_in_force), as precise as known")
    in_force_until: str | None = Field(description="no longer in force from (eli:date_no_longer_in_force)")
    document_number: Value
    issuer_text: Value
    summary_en: Value
    note: str | None = Field(description="a note for users: what the sources say, what is inferred")
    issued_by: list[Ref]
    parties: list[Ref]
    governs: list[Ref]
    authorizes: list[Ref]
    provisions: list[Provision]
    relations: list[Relation] = Field(description="the instruments it rests on, implements, amends … and the reverse")


class ProvisionDetail(ResourceItem):
    """An article of a hard-law instrument (answered at /instruments/{id} too)."""

    kind: str
    article: Value
    part_of: Ref | None
    date: Value
    date_note: Value
    summary_en: Value
    note: str | None = Field(description="a note for users: what the sources say, what is inferred")
    authorizes: list[Ref]
    relations: list[Relation]


class ProgrammeDetail(ProgrammeItem):
    note: str | None = Field(description="a note for users: what the sources say, what is inferred")
    replaced_by: list[Ref] = Field(description="the programmes that replaced this one")
    replaces: list[Ref] = Field(description="the programmes this one replaced")
    mode: list[str]
    target_region: Value
    launched_by: Value
    governed_by: list[Ref]
    authorised_by: list[Ref]
    pairings: list[PairingItem]
    figures: list[Ref]
    relations: list[Relation] = Field(description="instruments linked to this programme (implements …)")


class Backed(Ref):
    kind: str


class SourceDetail(Shape):
    id: str
    iri: str
    title: str | None
    url: str | None
    citation: Value
    publisher: Value
    date: str | None = Field(description="date of publication, as precise as known (ISO 8601)")
    kind: str | None = Field(description="official, state-media, copy, academic, secondary or fiction-forum")
    original_outlet: str | None = Field(description="for a copy: the outlet whose text it reproduces")
    note: Value
    backs: list[Backed]


class ListPage(Shape, Generic[T]):
    """One page of a list: ``total`` items match, ``items`` are those from ``offset``, at most ``limit``."""

    total: int
    limit: int
    offset: int
    items: list[T]


class FilteredPage(ListPage[T], Generic[T]):
    """One page of a list whose facts can be weighed: the filter asked, and what it left out."""

    facts: FactsEcho
    left_out: LeftOut


class Holdings(Shape):
    """What the graph holds in some pairings."""

    pairings: int
    supporters: int = Field(description="distinct supporters")
    recipients: int = Field(description="distinct recipients")
    by_confidence: dict[str, int] = Field(description="pairings at each confidence (none: without one)")
    resting_only_on: dict[str, int] = Field(description="pairings all of whose sources are of one kind, by kind")
    start_basis: dict[str, int] = Field(description="pairings by the basis of their start year (none: no year)")
    end_basis: dict[str, int] = Field(description="pairings by the basis of their end year (none: no end)")


class CoverageStatementItem(Shape):
    """What a source says a programme holds."""

    id: str
    iri: str
    statement_zh: str | None
    statement_en: str | None
    stated_supporters: int | None
    stated_recipients: int | None
    recipient_units_en: str | None
    confidence: str | None
    note: str | None
    sources: list[SourceRef]


class GapItem(Shape):
    """A known gap: what no source gives, and what it is about."""

    id: str
    iri: str
    label_zh: str | None
    label_en: str | None
    label: str | None = Field(None, description="label_zh or label_en, as Accept-Language asks")
    note: str | None
    about: list[Ref]
    sources: list[SourceRef]


class ProgrammeCoverage(Shape):
    programme: Ref
    period: Period
    holds: Holdings = Field(description="what the graph holds")
    statements: list[CoverageStatementItem] = Field(description="what sources say the programme holds")
    gaps: list[GapItem]


class CoverageReport(Shape):
    """Per programme, what the graph holds beside what its sources say the programme holds, and the known
    gaps; then the pairings under no programme, the gaps about no programme, and the whole graph."""

    programmes: list[ProgrammeCoverage]
    without_programme: Holdings
    other_gaps: list[GapItem]
    total: Holdings


class AnalysisInfo(Shape):
    name: str
    description: str
    definition: str
    default_view: str
    views: list[str]
    parameters: list[str]


class AnalysisCatalogue(Shape):
    """The network views, the levels regions are merged at, and every analysis with its parameters."""

    views: list[str]
    levels: list[str]
    analyses: list[AnalysisInfo]


class AnalysisResult(Shape):
    """One analysis of one network: its rows (nodes with id and labels, and the measure's columns) and
    a summary; the columns depend on the analysis (see its definition at /analysis)."""

    analysis: str
    view: str
    level: str
    filters: dict[str, str | int]
    facts: FactsEcho = Field(description="the facts the network rests on, as asked")
    left_out: LeftOut = Field(description="the pairings the facts filter left out of the network")
    version: str
    summary: dict[str, Any]
    rows: list[dict[str, Any]]


class ExampleQuery(Shape):
    """An example SPARQL query with its title in Chinese and English."""

    name: str
    title_zh: str
    title_en: str
    text: str


class PanelRow(Shape):
    """One row of the panel: a pairing in one year in which it was active (the columns, their types and
    meanings: /panel/codebook, ``graph.panel.PANEL_COLUMNS``)."""

    pairing_id: str
    year: int
    kind: str
    supporter_id: str | None
    supporter_gb_code: str | None
    supporter_name_zh: str | None
    supporter_name_en: str | None
    supporter_level: str | None
    supporter_parent_id: str | None
    supporter_detail: str | None
    recipient_id: str | None
    recipient_gb_code: str | None
    recipient_name_zh: str | None
    recipient_name_en: str | None
    recipient_level: str | None
    recipient_parent_id: str | None
    programme_id: str | None
    programme_name_zh: str | None
    programme_name_en: str | None
    parent_pairing_id: str | None
    fields: str | None
    mode: str | None
    start_year: int | None
    start_basis: str | None
    end_year: int | None
    end_basis: str | None
    open_ended: bool
    year_basis: str = Field(description="stated or inferred")
    year_inferred_from: str | None
    confidence: str | None
    source_ids: str | None
    source_kinds: str | None


class FigureRow(Shape):
    """One figure, keyed as the panel is (the columns: /panel/codebook, ``graph.panel.FIGURE_COLUMNS``)."""

    figure_id: str
    subject_kind: str | None = Field(description="pairing, programme or actor")
    subject_id: str | None
    pairing_id: str | None
    programme_id: str | None
    supporter_id: str | None
    supporter_gb_code: str | None
    recipient_id: str | None
    recipient_gb_code: str | None
    actor_id: str | None
    actor_gb_code: str | None
    measure: str
    value: float
    unit: str | None
    at_least: bool
    approximate: bool
    since_year: int | None
    as_of_year: int | None
    period_note: str | None
    scope: str | None
    confidence: str | None
    source_ids: str | None
    source_kinds: str | None
    note: str | None


class PanelTable(Shape):
    """A table of /panel or /panel/figures as JSON: what made it (the dataset, its release and licence, the
    filters and the facts asked, what the facts filter left out) and its rows."""

    table: str = Field(description="panel or figures")
    dataset_version: str
    release: str
    licence: str
    last_year: int = Field(description="a pairing without an end year has rows up to this year (the release's)")
    filters: dict[str, str | int]
    facts: FactsEcho
    left_out: LeftOut
    pairings_without_rows: int = Field(description="selected pairings with no year to give a row (no start year)")
    total: int


class PanelAnswer(PanelTable):
    rows: list[PanelRow]


class FiguresAnswer(PanelTable):
    rows: list[FigureRow]


class CodebookColumn(Shape):
    name: str
    type: str = Field(description="string, integer, number or boolean")
    pandas_dtype: str
    arrow_type: str
    meaning: str


class Codebook(Shape):
    """The columns of the panel and of the figures, each with its type and meaning."""

    last_year: int
    last_year_rule: str
    missing: str
    lists: str
    booleans_in_csv: str
    tables: dict[str, list[CodebookColumn]]
