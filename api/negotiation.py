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
    """What an Accept header chooses for each query form, in a few bytes ('json json turtle turtle';
    '-' where it accepts none): everything a format negotiated by ``negotiate`` without a ``format``
    parameter depends on, however long the header.  Headers that give the same string get the same
    answers (the answer cache keys on it)."""
    if not accept:
        return " ".join(DEFAULTS.values())
    return _formats(tuple(accept_entries(accept)))


@lru_cache(maxsize=256)
def _formats(entries: tuple[tuple[str, float], ...]) -> str:
    return " ".join(getattr(_choose(form, entries), "name", "-") for form in DEFAULTS)  # each form


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
