"""Content negotiation of the SPARQL endpoint and the entity pages: which of the answer formats
(``graph.formats``, ``Use.ANSWER``) a request gets, from its ``format`` parameter or its ``Accept``
header (read by ``api.accept``, the one reader of Accept headers)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from graph import formats
from graph.errors import PakgError
from graph.formats import Format, Use

from .accept import accept_entries


class NotAcceptable(PakgError):
    """No format of the query's form fits the request (406); ``supported`` lists the media types."""

    def __init__(self, message: str, supported: list[str]):
        super().__init__(message)
        self.supported = supported


# other names clients use for the same formats
ALIASES = {
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/plain": "ntriples",
    "application/x-turtle": "turtle",
    "text/n3": "turtle",
    "application/turtle": "turtle",
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/tab-separated-values": "tsv",
    "text/csv": "csv",
    "text/x-nquads": "nquads",
    "application/x-trig": "trig",
}
DEFAULTS = {"SELECT": "json", "ASK": "json", "CONSTRUCT": "turtle", "DESCRIBE": "turtle"}


def _choose(form: str, entries: Sequence[tuple[str, float]]) -> Format | None:
    """The format of ``form`` the Accept entries prefer: highest q, then a named type over a range,
    then the earlier entry; None when none fits."""
    supported = formats.answering(form)
    best: tuple[float, int, int] | None = None
    chosen = None
    candidate: Format | None
    for order, (media, q) in enumerate(entries):
        if q <= 0:
            continue
        if media in ("*/*", "application/*", "text/*"):
            candidate = formats.get(Use.ANSWER, DEFAULTS[form])
            if media != "*/*" and not candidate.media_type.startswith(media[:-1]):
                candidate = next((f for f in supported if f.media_type.startswith(media[:-1])), None)
            specificity = 0
        else:
            candidate = _named(form, media)
            specificity = 1
        if candidate is None or form not in candidate.forms:
            continue
        key = (q, specificity, -order)
        if best is None or key > best:
            best, chosen = key, candidate
    return chosen


def negotiate(form: str, accept: str | None, format_param: str | None) -> Format:
    """Pick the answer format: ``format`` wins; else the Accept header by q-value; else the default."""
    media_types = [f.media_type for f in formats.answering(form)]
    if format_param:
        chosen = formats.find(Use.ANSWER, ALIASES.get(format_param.lower(), format_param.lower()))
        if chosen is not None and form in chosen.forms:
            return chosen
        raise NotAcceptable(f"format '{_quote(format_param)}' cannot express a {form} answer", media_types)
    if not accept:
        return formats.get(Use.ANSWER, DEFAULTS[form])
    chosen = _choose(form, accept_entries(accept))
    if chosen is None:
        raise NotAcceptable(f"no format acceptable to '{_quote(accept)}' can express a {form} answer", media_types)
    return chosen


# the dataset's citation (/cite): other media types and names clients use for its formats
CITATION_ALIASES = {
    "text/x-bibtex": "bibtex",
    "application/bibtex": "bibtex",
    "text/x-bibliography": "text",
    "application/citeproc+json": "csl-json",
}  # not application/json: that asks for JSON answers, and the answer cache keys SPARQL's JSON on it
CITATION_NAMES = {
    "txt": "text",
    "plain": "text",
    "bib": "bibtex",
    "csl": "csl-json",
    "csljson": "csl-json",
    "json": "csl-json",
}


def negotiate_citation(accept: str | None, format_param: str | None) -> Format:
    """The form of the dataset's citation a request gets (``Use.CITATION``): ``format`` (a name or a media
    type) wins; else the Accept header by q-value (a named type over a range, then the earlier entry);
    plain text by default and for ``*/*``.  NotAcceptable (406) lists the media types otherwise.

    >>> [negotiate_citation(a, None).name for a in (None, "application/x-bibtex", "text/*", "*/*;q=0.1, text/x-bibtex")]
    ['text', 'bibtex', 'text', 'bibtex']
    """
    supported = formats.listed(Use.CITATION)
    media_types = [f.media_type for f in supported]
    if format_param:
        chosen = _citation_named(format_param.lower())
        if chosen is None:
            names = ", ".join(f.name for f in supported)
            raise NotAcceptable(
                f"format '{_quote(format_param)}' is no citation format (expected one of: {names})", media_types
            )
        return chosen
    if not accept:
        return supported[0]
    chosen = _choose_citation(tuple(accept_entries(accept)))
    if chosen is None:
        raise NotAcceptable(f"no format acceptable to '{_quote(accept)}' can express the citation", media_types)
    return chosen


def _citation_named(name: str) -> Format | None:
    """The citation format a name, an alias or a media type (without parameters) names."""
    name = name.split(";", 1)[0].strip()
    name = CITATION_NAMES.get(name, CITATION_ALIASES.get(name, name))
    return formats.find(Use.CITATION, name) or next(
        (f for f in formats.listed(Use.CITATION) if f.media_type == name), None
    )


@lru_cache(maxsize=256)
def _choose_citation(entries: tuple[tuple[str, float], ...]) -> Format | None:
    supported = formats.listed(Use.CITATION)
    best: tuple[float, int, int] | None = None
    chosen = None
    for order, (media, q) in enumerate(entries):
        if q <= 0:
            continue
        if media.endswith("/*"):
            prefix = media[:-1]
            candidate = next((f for f in supported if media == "*/*" or f.media_type.startswith(prefix)), None)
            specificity = 0
        else:
            candidate = _citation_named(media)
            specificity = 1
        if candidate is None:
            continue
        key = (q, specificity, -order)
        if best is None or key > best:
            best, chosen = key, candidate
    return chosen


PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def wants_page(accept: str | None, form: str = "DESCRIBE") -> bool:
    """Whether an Accept header asks for an HTML page rather than data: an HTML type is acceptable and
    has a higher q-value than every type it names that can carry a ``form`` answer (ranges such as */*
    and types of no answer, such as images, do not count; a tie goes to data).  A browser's header
    asks for the page; ``text/turtle, text/html`` for data.

    >>> browser = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
    >>> wants_page(browser), wants_page("text/html;q=0"), wants_page(None)
    (True, False, False)
    >>> wants_page("text/turtle, text/html"), wants_page("text/html, text/turtle;q=0.5")
    (False, True)
    """
    entries = accept_entries(accept) if accept else []
    page = max((q for media, q in entries if media in PAGE_TYPES), default=0.0)
    data = max((q for media, q in entries if media not in PAGE_TYPES and _named(form, media) is not None), default=0.0)
    return page > 0 and page > data


def _named(form: str, media: str) -> Format | None:
    """The format of ``form`` answers that a media type (not a range) names, by its type or an alias."""
    name = ALIASES.get(media)
    found = (
        formats.find(Use.ANSWER, name)
        if name
        else next((f for f in formats.answering(form) if f.media_type == media), None)
    )
    return found if found is not None and form in found.forms else None


def negotiated_formats(accept: str | None) -> str:
    """What an Accept header chooses for each query form and for the citation, in a few bytes
    ('json json turtle turtle text'; '-' where it accepts none): everything a format negotiated by
    ``negotiate`` or ``negotiate_citation`` without a ``format`` parameter depends on, however long the
    header.  Headers that give the same string get the same
    answers (the answer cache keys on it)."""
    if not accept:
        return " ".join([*DEFAULTS.values(), formats.listed(Use.CITATION)[0].name])
    return _formats(tuple(accept_entries(accept)))


@lru_cache(maxsize=256)
def _formats(entries: tuple[tuple[str, float], ...]) -> str:
    chosen = [getattr(_choose(form, entries), "name", "-") for form in DEFAULTS]  # each form
    return " ".join([*chosen, getattr(_choose_citation(entries), "name", "-")])  # and the citation's


def _quote(text: str, limit: int = 64) -> str:
    """A client's text, as quoted back in an error message: at most ``limit`` characters."""
    return text if len(text) <= limit else text[:limit] + "…"


def label_language(accept_language: str | None) -> str:
    """'zh' or 'en': the first of them by q-value among the header's entries (read by
    ``accept_entries``, bounded); English when nothing fits."""
    for tag, _ in accept_entries(accept_language):  # highest q first
        if tag.startswith("zh"):
            return "zh"
        if tag.startswith("en"):
            return "en"
    return "en"
