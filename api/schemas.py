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
    """A source a fact rests on: its title and address."""

    id: str
    iri: str
    title: str | None
    url: str | None


class Period(Shape):
    start: int | None = Field(description="the first year (stated by a source or taken from the programme)")
    end: int | None


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


class SourceItem(Shape):
    id: str
    iri: str
    title: str | None
    url: str | None
    backs: int = Field(description="how many resources this source backs")


class ActorDetail(ActorItem):
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


class Provision(Ref):
    article: Value
    summary_en: Value
    authorizes: list[Ref]


class InstrumentDetail(InstrumentItem):
    date: Value
    date_note: Value
    document_number: Value
    issuer_text: Value
    summary_en: Value
    issued_by: list[Ref]
    parties: list[Ref]
    governs: list[Ref]
    authorizes: list[Ref]
    provisions: list[Provision]


class ProvisionDetail(ResourceItem):
    """An article of a hard-law instrument (answered at /instruments/{id} too)."""

    kind: str
    article: Value
    part_of: Ref | None
    date: Value
    date_note: Value
    summary_en: Value
    authorizes: list[Ref]


class ProgrammeDetail(ProgrammeItem):
    mode: list[str]
    target_region: Value
    launched_by: Value
    governed_by: list[Ref]
    authorised_by: list[Ref]
    pairings: list[PairingItem]
    figures: list[Ref]


class Backed(Ref):
    kind: str


class SourceDetail(Shape):
    id: str
    iri: str
    title: str | None
    url: str | None
    citation: Value
    publisher: Value
    kind: str | None
    note: Value
    backs: list[Backed]


class ListPage(Shape, Generic[T]):
    """One page of a list: ``total`` items match, ``items`` are those from ``offset``, at most ``limit``."""

    total: int
    limit: int
    offset: int
    items: list[T]


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
    version: str
    summary: dict[str, Any]
    rows: list[dict[str, Any]]


class ExampleQuery(Shape):
    """An example SPARQL query with its title in Chinese and English."""

    name: str
    title_zh: str
    title_en: str
    text: str
