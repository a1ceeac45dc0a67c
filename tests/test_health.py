"""/health, and the settings the service opens its dataset with (asked in this process: that `pakg serve`
answers on a socket is shown by every test of a real server, which waits for its /health)."""
from __future__ import annotations

from graph.metadata import load_metadata


def test_health_answers_with_triple_count_and_version(client, built):
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body == {"status": "ok", "version": built.version, "release": load_metadata().version,
                    "triples": len(built.quads), "store": "memory"}


def test_openapi_lists_health(client):
    spec = client.get("/openapi.json").json()
    assert "/health" in spec["paths"]


def test_the_service_opens_an_on_disk_store_without_rebuilding(built, tmp_path):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings
    from graph.versions import write_store

    write_store(built, tmp_path / "store")
    settings = Settings(store=str(tmp_path / "store"), data_dir=str(tmp_path / "no-data-here"))
    with TestClient(create_app(settings)) as client:
        body = client.get("/health").json()
    import os
    version_dir = os.path.basename(os.path.realpath(tmp_path / "store"))  # its name only, not where it is
    assert body["version"] == built.version and body["store"] == "disk:" + version_dir
    assert str(tmp_path) not in str(body)


def test_settings_from_the_environment_reach_the_answers(monkeypatch):
    """PAKG_ variables change what the service does (here the row cap of SPARQL answers)."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    monkeypatch.setenv("PAKG_ROW_CAP", "2")
    monkeypatch.setenv("PAKG_CACHE_BYTES", "0")
    with TestClient(create_app()) as client:
        response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"})
    assert response.headers["x-row-cap"] == "2" and response.headers["x-truncated"] == "true"
    assert len(response.json()["results"]["bindings"]) == 2
