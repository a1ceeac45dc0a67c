"""The shapes of the REST answers, as the OpenAPI document declares them.

Answers are built as plain dicts by ``api.answers`` and written by orjson (fast, and byte-identical
from one version to the next); these models are the contract they keep: every route declares one as
its ``response_model``, and the tests validate real answers against them (no field left undeclared).
``label`` is the label in the language the request asked for (Accept-Language), beside both.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from graph import names

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
    supporter_detail: str | None = Field(description="how a source qualifies the supporter, in Chinese")
    supporter_detail_en: str | None = Field(None, description="the same in English (our translation)")
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


class LinkedRef(Ref):
    """A reference to an instrument or article with the address of its answer."""

    url: str = Field(description="the REST address of its answer, e.g. /instruments/I-REAL-70")


VIA = "direct, programme, parent-pairing, parent-programme or authorising-hard-law"
INSTRUMENT_KIND = "hard-law or soft-law"
INSTRUMENT_TYPE = (
    "constitution, law, administrative-regulation, leadership-directive, central-policy, bilateral-agreement "
    "or local-policy"
)


class GovernanceRoute(Shape):
    """One way an instrument applies to a pairing, in a code, in words and as a reason."""

    via: str = Field(description=VIA)
    via_label_zh: str
    via_label_en: str
    through: Ref | None = Field(
        description="what the instrument itself governs or authorises: the pairing, a parent pairing, a programme, "
        "or (authorising-hard-law) a soft-law instrument"
    )
    parent: Ref | None = Field(description="the parent pairing the route goes through")
    programme: Ref | None = Field(description="the programme the route goes through")
    governed: Ref | None = Field(
        description="when hard law authorises a soft-law instrument: what that instrument governs"
    )
    reason_zh: str = Field(description="why it applies by this route, one sentence in Chinese")
    reason_en: str = Field(description="why it applies by this route, one sentence in English")


class InstrumentFacts(Shape):
    """What a reader needs of an instrument in a list: its kind and type, number, issuer and date."""

    kind: str = Field(description=INSTRUMENT_KIND)
    type: str | None = Field(description=INSTRUMENT_TYPE)
    doc_number: str | None = Field(description="the document number (文号); an article: its law's")
    issuer: Ref | None = Field(description="the (first) issuing actor; an article: its law's")
    issuers: list[Ref] = Field(description="every issuing actor")
    issuer_text: str | None = Field(description="the issuer as the source writes it")
    date: str | None = Field(description="ISO 8601, as precise as known (1982, 2008-05, 2008-06-11)")


class GoverningInstrumentItem(InstrumentFacts, Ref):
    """An instrument (or article) that governs or authorises a pairing, once, with every route by which
    it applies and the reason in both languages."""

    part_of: LinkedRef | None = Field(description="for an article: the law it is part of")
    routes: list[GovernanceRoute] = Field(description="every route by which it applies, in the order of via")
    reason_zh: str = Field(description="the routes' reasons, in Chinese")
    reason_en: str = Field(description="the routes' reasons, in English")
    confidence: str | None
    sources: list[SourceRef]


class InstrumentFilters(Shape):
    """The filters of instruments, as the question gave them (the issuer as the actor's id)."""

    kind: str | None = Field(description=INSTRUMENT_KIND)
    type: str | None = Field(description=INSTRUMENT_TYPE)
    issuer: str | None = Field(description="the issuing actor's id (a unit below it counts too)")
    doc_number: str | None = Field(description="text in the document number")
    date_from: str | None
    date_to: str | None


class GovernanceLeftOut(LeftOut):
    """How many instruments were left out, each once, under the first reason that applies."""

    dated_after_as_of: int = Field(description="in force (or, without an entry into force, dated) only after as_of")
    no_longer_in_force: int = Field(description="no longer in force in the year as_of")
    pairing_not_active: int = Field(description="all of them, when the pairing was not active in as_of")


class PairingInstruments(Shape):
    """The instruments that govern or authorise a pairing, one entry each."""

    pairing: Ref
    as_of: int | None = Field(description="the year asked, or null")
    active: bool = Field(description="false when the pairing was not active in as_of (then no items)")
    note_zh: str | None = Field(description="what the answer as of a year left out and why, in Chinese")
    note_en: str | None = Field(description="what the answer as of a year left out and why, in English")
    filters: InstrumentFilters
    facts: FactsEcho
    total: int = Field(description="distinct instruments")
    items: list[GoverningInstrumentItem]
    left_out: GovernanceLeftOut


class BulkInstruments(Shape):
    """The instruments of several pairings: one answer of /pairings/{id}/instruments each, in the order asked."""

    total: int
    items: list[PairingInstruments]


class BulkQuestion(Shape):
    """Several pairings' instruments in one question (POST /pairings/instruments)."""

    ids: list[str] = Field(
        min_length=1,
        max_length=200,
        description="pairing ids (or names), at most 200",
        examples=[["PR-0001", "PR-0002"]],
    )
    as_of: int | None = Field(None, ge=1900, le=2100, description="the instruments that applied in this year")
    kind: Literal["hard-law", "soft-law"] | None = None
    type: (
        Literal[
            "constitution",
            "law",
            "administrative-regulation",
            "leadership-directive",
            "central-policy",
            "bilateral-agreement",
            "local-policy",
        ]
        | None
    ) = None
    issuer: str | None = Field(None, max_length=200, description="an issuing actor's id or name")
    doc_number: str | None = Field(None, max_length=200, description="text in the document number")
    date_from: str | None = Field(None, max_length=10, description="a year or an ISO date")
    date_to: str | None = Field(None, max_length=10, description="a year or an ISO date")


class ResourceItem(Labelled):
    types: list[str]
    confidence: str | None
    sources: list[SourceRef]


class ActorItem(ResourceItem):
    level: str | None
    parent: Ref | None
    alt_labels_zh: list[str]


class InstrumentItem(InstrumentFacts, ResourceItem):
    pass


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


class Location(Shape):
    """An actor's representative point (GeoSPARQL ``geo:hasGeometry``), where it comes from and how sure it is."""

    longitude: float = Field(description="WGS 84 longitude, degrees east")
    latitude: float = Field(description="WGS 84 latitude, degrees north")
    wkt: str = Field(description="the point as GeoSPARQL WKT (CRS84, longitude first)")
    basis: str = Field(description="gazetteer (the gazetteer's point for its GB/T code) or placed-in (pa:pointBases)")
    approximate: bool = Field(description="true for a placed-in point: the point of the unit it belongs to")
    placed_in: Ref | None = Field(description="for an approximate point, the unit whose point it is")
    confidence: str | None
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
    location: Location | None = Field(description="its representative point, or null (see unlocated)")
    unlocated: str | None = Field(description="why it has no point, when it has none")


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
    """An article of a law, as its law lists it."""

    url: str = Field(description="the REST address of the article's answer")
    article: Value
    summary_zh: str | None
    summary_en: Value
    authorizes: list[Ref]


MISSING = "what the data does not give: doc_number, issuer, date, summary_zh, summary_en"


class InstrumentDetail(InstrumentItem):
    date_note: Value
    in_force_from: str | None = Field(description="in force from (eli:first_date_entry_in_force), as precise as known")
    in_force_until: str | None = Field(description="no longer in force from (eli:date_no_longer_in_force)")
    summary_zh: str | None = Field(description="a summary in Chinese (our translation of summary_en)")
    summary_en: str | None
    missing: list[str] = Field(description=MISSING)
    note: str | None = Field(description="a note for users: what the sources say, what is inferred")
    issued_by: list[Ref]
    parties: list[Ref]
    governs: list[Ref]
    authorizes: list[Ref]
    provisions: list[Provision]
    relations: list[Relation] = Field(description="the instruments it rests on, implements, amends … and the reverse")


class ProvisionDetail(ResourceItem):
    """An article of a hard-law instrument (answered at /instruments/{id} too): its law's issuers and
    document number, its own date (else its law's)."""

    kind: str = Field(description=INSTRUMENT_KIND)
    type: str | None = Field(description=INSTRUMENT_TYPE)
    doc_number: str | None = Field(description="its law's document number")
    issuer: Ref | None = Field(description="its law's (first) issuing actor")
    issuers: list[Ref]
    issuer_text: str | None
    date: str | None = Field(description="ISO 8601, as precise as known")
    article: Value
    part_of: LinkedRef | None = Field(description="the law it is part of")
    issued_by: list[Ref] = Field(description="its law's issuing actors")
    date_note: Value
    summary_zh: str | None = Field(description="a summary in Chinese (our translation of summary_en)")
    summary_en: Value
    missing: list[str] = Field(description=MISSING)
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


class FacetValue(Shape):
    """One value of a facet, with how many of the items the filters keep have it (all pages)."""

    value: str | None = Field(
        description="the value as the list's items give it (an id, a code); null: the items without one"
    )
    label_zh: str | None
    label_en: str | None
    label: str | None = Field(None, description="label_zh or label_en, as Accept-Language asks")
    count: int


class ListPage(Shape, Generic[T]):
    """One page of a list: ``total`` items match, ``items`` are those from ``offset``, at most ``limit``."""

    total: int
    limit: int
    offset: int
    items: list[T]
    facets: dict[str, list[FacetValue]] | None = Field(
        None,
        description="when asked for (facet=…): for each facet, its values with how many of the items matching "
        "the filters (all pages, not only this one) have each, by count then value",
    )


class FilteredPage(ListPage[T], Generic[T]):
    """One page of a list whose facts can be weighed: the filter asked, and what it left out."""

    facts: FactsEcho
    left_out: LeftOut


class InstrumentPage(FilteredPage[InstrumentItem]):
    """One page of instruments: the facts filter and the filters of instruments asked."""

    filters: InstrumentFilters


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


NETWORK_LEVEL = "as-paired (no aggregation), province, prefecture, county, institution; 'mixed' when the two differ"
NETWORK_FILTERS = (
    "the pairing filters asked (supporter, recipient, include_subunits when false, field, mode, programme, year, "
    "confidence), as an object"
)


class AnalysisResult(Shape):
    """One analysis of one network: its rows (nodes with id and labels, and the measure's columns) and
    a summary; the columns depend on the analysis (see its definition at /analysis)."""

    analysis: str
    view: str
    level: str = Field(description="both ends' level (support views; '' for the others): " + NETWORK_LEVEL)
    supporter_level: str = Field(description="the supporters' level ('' for views not drawn at levels)")
    recipient_level: str = Field(description="the recipients' level ('' for views not drawn at levels)")
    include_case: bool = Field(description="whether the case study's micro-relations are in the network")
    case_left_out: int = Field(description="the case study's pairings left out of the network (include_case false)")
    filters: dict[str, str | int | bool] = Field(description=NETWORK_FILTERS)
    facts: FactsEcho = Field(description="the facts the network rests on, as asked")
    left_out: LeftOut = Field(description="the pairings the facts filter left out of the network")
    version: str
    summary: dict[str, Any]
    rows: list[dict[str, Any]]


class NetworkNode(Shape):
    """A node of a network, the same in every file format (its short id is its id everywhere)."""

    id: str = Field(description="the short id (jiangsu, PR-0153, I-XJ-MED-2016): the node's id in every format")
    iri: str
    label_zh: str
    label_en: str
    level: str = Field(description="its administrative level (province, prefecture, county …; team, person) or ''")
    parent: str = Field(description="the short id of the region it belongs to (a sub-pairing: its parent) or ''")
    code: str = Field(description="its GB/T 2260 administrative-division code, or ''")
    kind: str = Field(description="its class: RegionalGovernment, Pairing, Programme, SoftLaw …")
    confidence: str = Field(description="high, medium or low ('' when the data gives none)")
    longitude: float | None = Field(description="its point's longitude (WGS 84), null when it has no point")
    latitude: float | None = Field(description="its point's latitude (WGS 84), null when it has no point")
    point_basis: str = Field(description="gazetteer, placed-in (the point of the unit it is placed in) or ''")
    point_placed_in: str = Field(description="with a placed-in point, the short id of that unit, else ''")
    point_approximate: bool = Field(description="true for a placed-in point: only approximately its own")


class NetworkGraphData(BaseModel):
    """What a network file says of itself: the view, the levels, the filters (an object), the facts asked,
    what was left out and a sentence saying all that; and the dataset's title, licence, release, content
    version and citation."""

    model_config = ConfigDict(extra="allow")  # also left_out_… integers and the dataset's metadata fields

    view: str
    level: str = Field(description=NETWORK_LEVEL + " ('' for views not drawn at levels)")
    supporter_level: str
    recipient_level: str
    include_case: bool
    case_left_out: int
    filters: dict[str, str | int | bool] = Field(description=NETWORK_FILTERS)
    min_confidence: str
    exclude_source_kinds: list[str]
    stated_years_only: bool
    left_out: LeftOut
    description: str
    dataset_version: str


class NodeLinkNetwork(Shape):
    """A network as node-link JSON (networkx): its metadata, nodes and links (a link's attributes depend on
    the view: see /network's description)."""

    directed: bool
    multigraph: bool
    graph: NetworkGraphData
    nodes: list[NetworkNode]
    links: list[dict[str, Any]]


class CytoscapeElements(Shape):
    """The nodes and edges of a Cytoscape.js network, each as ``{"data": {…}}``."""

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]


class CytoscapeNetwork(Shape):
    """A network as Cytoscape.js JSON (format=cytoscape): the graph's metadata in ``data`` (as in the node-link
    form's ``graph``) and its elements."""

    data: dict[str, Any]
    directed: bool | None = None
    multigraph: bool | None = None
    elements: CytoscapeElements


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
    filters: dict[str, str | int | bool]
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


# ---- names (GET /resolve; the supporter / recipient filters) -----------------------------------------
ACTOR_NAME = (
    "an actor: its id, IRI or retired id, its Chinese or English label, an alternative, historical or short "
    "name (克州), or a place's name without its generic words (Kizilsu, Hotan, 新疆, 江苏); in any case and "
    "width.  An unknown or ambiguous name is a 422 listing candidates (see /resolve)"
)
INCLUDE_SUBUNITS = (
    "with true (the default) a supporter or recipient takes in every unit below it (a province its "
    "prefectures, counties, hospitals …); with false only that actor itself"
)
MATCHED_BY = names.MATCHED_BY
RESOLVE_KINDS = names.KINDS
ResolveKind = Literal["actor", "programme", "instrument", "pairing", "source"]  # names.KINDS (a test holds them equal)


class Resolved(Shape):
    """What a name resolves to: the resource, and how the name was matched."""

    name: str = Field(description="the name as asked")
    id: str
    iri: str
    kind: str = Field(description=", ".join(RESOLVE_KINDS), json_schema_extra={"enum": list(RESOLVE_KINDS)})
    label_zh: str | None
    label_en: str | None
    label: str | None = Field(None, description="label_zh or label_en, as Accept-Language asks")
    level: str | None = Field(description="an actor's administrative level (pa:adminLevel), else null")
    matched_by: str = Field(
        description="iri, id, retired-id (an actor merged into another: the survivor), label, alt-label (an "
        "alternative or historical name), short-name, or stem (a place's name without its generic words)",
        json_schema_extra={"enum": list(MATCHED_BY)},
    )
    units_below: int | None = Field(
        description="for an actor: how many actors are below it (what a supporter or recipient filter takes in "
        "with include_subunits=true); null for other kinds"
    )
    others: list[NameCandidate] = Field(
        default_factory=list,
        description="other resources the name also names, when the answer is the unit that holds them all "
        "(Hotan: Hotan Prefecture, holding Hotan City and Hotan County)",
    )


class NameCandidate(Shape):
    """Another resource a name names (``Resolved.others``; a 422's ``candidates`` have this shape too)."""

    id: str
    kind: str
    label_zh: str | None
    label_en: str | None
    label: str | None = Field(None, description="label_zh or label_en, as Accept-Language asks")
    level: str | None


Resolved.model_rebuild()


class QueryParameter(Shape):
    """A parameter of a named query (the ``# Parameters:`` line of its file)."""

    name: str = Field(description="the variable it binds, without '?'; the URL parameter of /queries/{name}")
    type: str = Field(
        description="iri (an IRI, a prefixed name, or the id or name of a resource of the class), literal "
        "(text) or integer",
        json_schema_extra={"enum": ["iri", "literal", "integer"]},
    )
    class_: str | None = Field(
        alias="class", description="the pa: class an IRI names (pa:Pairing …); null for any resource"
    )
    description: str


class QueryInfo(Shape):
    """A named query: what it answers and the parameters it takes."""

    name: str
    description: str
    form: str = Field(
        description="SELECT (solutions: json, xml, csv, tsv), ASK, or CONSTRUCT (an RDF graph)",
        json_schema_extra={"enum": ["SELECT", "ASK", "CONSTRUCT"]},
    )
    parameters: list[QueryParameter]
    url: str = Field(description="where to run it: /queries/{name}")


class VocabularyValue(Shape):
    """One value of a vocabulary with the labels the served graph gives it."""

    value: str = Field(description="the code the data tables and the REST parameters use, e.g. 'medical'")
    iri: str | None = Field(description="the concept (or class) it stands for; null for a code without one")
    label_zh: str | None
    label_en: str | None


class Vocabulary(Shape):
    """A vocabulary (a SKOS scheme, or a set of ontology classes) and its values."""

    name: str = Field(description="the vocabulary, by the column that uses it: field, mode, level, confidence …")
    scheme: str | None = Field(description="its SKOS concept scheme; null for a vocabulary of ontology classes")
    label_zh: str | None
    label_en: str | None
    values: list[VocabularyValue]


class Vocabularies(Shape):
    """Every vocabulary the data tables and REST parameters use (GET /vocabulary)."""

    vocabularies: list[Vocabulary]
