"""GET /cite: how to cite the dataset, by content negotiation (plain text, BibTeX, RIS, CSL-JSON).

The citation names the release (the semantic version of data/dataset.toml) and the content version of the
build served (the hash of ``X-Dataset-Version``); the words are ``graph.metadata.citation``'s."""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from graph import formats
from graph.formats import Use
from graph.metadata import citation

from ..dataset import Snapshot
from ..deps import snapshot
from ..negotiation import negotiate_citation
from ..problems import responses

router = APIRouter(tags=["dataset"], responses=responses(406, 422))
CITATION_FORMATS = formats.listed(Use.CITATION)
TEXT_TYPES = {"text/plain", "application/x-bibtex", "application/x-research-info-systems"}  # sent with a charset
EXAMPLES = {
    "text/plain": "The pakg project (2026). pakg: the paired-assistance knowledge graph (对口支援知识图谱) "
    "(Version 1.0.0, content version …) [Data set]. …",
    "application/x-bibtex": "@misc{pakg_2026_1_0_0,\n  author = {{The pakg project}},\n  …\n}\n",
    "application/x-research-info-systems": "TY  - DATA\r\nAU  - The pakg project\r\n…\r\nER  -\r\n",
    "application/vnd.citationstyles.csl+json": [{"id": "pakg_2026_1_0_0", "type": "dataset", "version": "1.0.0"}],
}


@router.get(
    "/cite",
    summary="How to cite the dataset: plain text, BibTeX, RIS or CSL-JSON (by Accept or format=)",
    description="The dataset's citation with its release (semantic version) and the content version of "
    "the build served. Chosen by `format` or else the `Accept` header: "
    + ", ".join(f"`{f.media_type}` ({f.name})" for f in CITATION_FORMATS)
    + "; plain text by default. Any other format answers 406 with the supported media types.",
    response_class=Response,
    responses={
        200: {
            "description": "The citation in the negotiated format",
            "content": {f.media_type: {"example": EXAMPLES[f.media_type]} for f in CITATION_FORMATS},
        }
    },
)
def cite(
    request: Request,
    format: str | None = Query(
        None,
        max_length=100,
        description="the citation's format (wins over Accept): " + ", ".join(f.name for f in CITATION_FORMATS),
        json_schema_extra={"enum": [f.name for f in CITATION_FORMATS]},
    ),
    snap: Snapshot = Depends(snapshot),
) -> Response:
    fmt = negotiate_citation(request.headers.get("accept"), format)
    meta = snap.metadata
    found = citation(meta, snap.engine.version, snap.base)
    if fmt.name == "bibtex":
        body = found.bibtex
    elif fmt.name == "ris":
        body = found.ris
    elif fmt.name == "csl-json":
        body = orjson.dumps([found.csl_json]).decode()
    else:
        body = found.text + "\n"
    media = f"{fmt.media_type}; charset=utf-8" if fmt.media_type in TEXT_TYPES else fmt.media_type
    headers = {
        "Content-Disposition": f'inline; filename="pakg-{meta.version}.{fmt.extension}"',
        "Link": f'<{meta.licence}>; rel="license"',
    }
    return Response(body.encode("utf-8"), media_type=media, headers=headers)
