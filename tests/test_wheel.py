"""The package stands alone: a wheel built from the repository, installed into a fresh virtual
environment outside the checkout, builds the data and serves the whole product from another folder —
the ontology, the data tables and the explorer with its npm libraries travel inside it."""
from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pytest

from conftest import ROOT, free_port

pytestmark = pytest.mark.skipif(not (ROOT / "web" / "node_modules").is_dir(),
                                reason="the explorer's libraries are not installed (make web)")


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The wheel installed in a new virtual environment; its `pakg` command."""
    where = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(where / "dist"),
                    str(ROOT)], check=True, timeout=600, capture_output=True)
    wheel = next((where / "dist").glob("pakg-*.whl"))
    subprocess.run([sys.executable, "-m", "venv", str(where / "venv")], check=True, timeout=120)
    subprocess.run([str(where / "venv" / "bin" / "python"), "-m", "pip", "install", "--quiet",
                    "--disable-pip-version-check", str(wheel)], check=True, timeout=900, capture_output=True)
    return where / "venv" / "bin" / "pakg"


def test_the_wheel_carries_the_ontology_the_data_and_the_explorer(installed, tmp_path):
    built = subprocess.run([str(installed), "build"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "pakg-build" / "pakg.nq").stat().st_size > 100_000  # written here, not into the package
    port = free_port()
    server = subprocess.Popen([str(installed), "serve", "--port", str(port)], cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(url + "/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        assert httpx.get(url + "/health").json()["triples"] > 8000
        page = httpx.get(url + "/")
        assert page.status_code == 200 and "/vendor/cytoscape.min.js" in page.text
        for path in ("/static/app.js", "/static/style.css", "/vendor/cytoscape.min.js", "/vendor/yasgui.min.js",
                     "/vendor/yasgui.min.css", "/docs", "/sparql/examples", "/pairings/PR-0153/instruments"):
            assert httpx.get(url + path).status_code == 200, path
        assert len(httpx.get(url + "/vendor/cytoscape.min.js").content) > 100_000
        answer = httpx.get(url + "/sparql", params={"query": "ASK { ?s a <https://w3id.org/pakg/ontology#Pairing> }"})
        assert answer.json()["boolean"] is True
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_wheel_reaches_a_remote_endpoint_without_the_test_extra(installed, tmp_path):
    """httpx is a dependency of the service: an endpoint that does not answer is one line, not an import error."""
    port = free_port()  # nothing listens there
    done = subprocess.run([str(installed), "serve", "--endpoint", f"http://127.0.0.1:{port}/query", "--port",
                           str(free_port())], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "ModuleNotFoundError" not in done.stderr and "Traceback" not in done.stderr
    assert f"127.0.0.1:{port}" in done.stderr and "Connection refused" in done.stderr
