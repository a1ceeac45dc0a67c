"""The vocabularies as JSON: every controlled value the data and the REST filters use (fields, modes,
administrative levels, confidence, kinds and types of instruments, kinds of sources, year bases …) with
its label in Chinese and English, read from the graph's own SKOS concepts and ontology classes
(``skos:prefLabel``, else ``rdfs:label``): what a client shows instead of the code, so the translation
lives in the data.  The explorer reads it once per dataset version."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.concurrency import run_in_threadpool

from graph import queries, vocab
from graph.config import PA

from .. import schemas
from ..dataset import Snapshot
from ..deps import JSON, snapshot

router = APIRouter(tags=["vocabulary"], default_response_class=JSON)


def vocabularies(snap: Snapshot) -> dict:
    """Every vocabulary column (``graph.vocab``) with each value's labels from the served graph."""
    labels = {row["term"]: row for row in queries.run(snap.engine, "vocabulary_labels")}
    out = []
    for name, values in vocab.vocabularies().items():
        scheme = PA + vocab.SCHEMES[name] if name in vocab.SCHEMES else None
        head = labels.get(scheme or "", {})
        out.append(
            {
                "name": name,
                "scheme": scheme,
                "label_zh": head.get("label_zh"),
                "label_en": head.get("label_en"),
                "values": [
                    {
                        "value": value,
                        "iri": iri or None,
                        "label_zh": labels.get(iri, {}).get("label_zh"),
                        "label_en": labels.get(iri, {}).get("label_en"),
                    }
                    for value, iri in values.items()
                ],
            }
        )
    return {"vocabularies": out}


@router.get(
    "/vocabulary",
    summary="Every controlled value (field, mode, level, confidence, kinds …) with its Chinese and English label",
    response_model=schemas.Vocabularies,
)
async def vocabulary(snap: Snapshot = Depends(snapshot)) -> JSON:
    found = await run_in_threadpool(snap.model.memo, "vocabulary", None, lambda: vocabularies(snap))
    return JSON(found)
