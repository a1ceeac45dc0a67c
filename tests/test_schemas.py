"""Every REST answer keeps the contract the OpenAPI document declares (``api.schemas``): each answer of
the curated data, for every resource, validates against its route's model, with no field undeclared."""
from __future__ import annotations

import pytest
from pydantic import TypeAdapter

from api import schemas

LISTS = {"/pairings": schemas.PairingItem, "/actors": schemas.ActorItem, "/instruments": schemas.InstrumentItem,
         "/programmes": schemas.ProgrammeItem, "/sources": schemas.SourceItem}
DETAILS = {"/pairings": schemas.PairingDetail, "/actors": schemas.ActorDetail,
           "/instruments": schemas.InstrumentDetail | schemas.ProvisionDetail,
           "/programmes": schemas.ProgrammeDetail, "/sources": schemas.SourceDetail}


def every_item(client, path: str) -> list[dict]:
    items, offset = [], 0
    while True:
        page = client.get(path, params={"limit": 1000, "offset": offset}).json()
        items += page["items"]
        offset += 1000
        if offset >= page["total"]:
            return items


@pytest.mark.parametrize("path", LISTS)
def test_every_list_and_detail_answer_validates_against_its_model(client, path):
    items = every_item(client, path)
    assert items, path
    page = schemas.ListPage if path == "/sources" else schemas.FilteredPage  # lists whose facts can be weighed
    # instruments: the page also repeats the filters of instruments asked
    listing = TypeAdapter(schemas.InstrumentPage if path == "/instruments" else page[LISTS[path]])
    detail = TypeAdapter(DETAILS[path])
    listing.validate_python(client.get(path, params={"limit": 1000}).json())
    for language in ("en", "zh"):
        for item in items:
            response = client.get(f"{path}/{item['id']}", headers={"Accept-Language": language})
            assert response.status_code == 200, (path, item["id"])
            detail.validate_python(response.json())


def test_every_pairings_instruments_validate_and_a_model_refuses_an_undeclared_field(client):
    adapter = TypeAdapter(schemas.PairingInstruments)
    found = 0
    for item in every_item(client, "/pairings"):
        body = client.get(f"/pairings/{item['id']}/instruments").json()
        adapter.validate_python(body)
        found += body["total"]
    assert found > 1000
    body["surprise"] = 1
    with pytest.raises(ValueError, match="surprise"):
        adapter.validate_python(body)


def test_the_openapi_document_declares_a_schema_for_every_json_answer(client):
    document = client.get("/openapi.json").json()
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            content = operation["responses"].get("200", {}).get("content", {})
            for media, spec in content.items():
                if media == "application/json":
                    assert spec.get("schema") not in (None, {}, {"type": "object"}), (method, path)
