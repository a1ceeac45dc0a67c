from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.build import build
from graph.config import DATA_DIR, DEFAULT_BASE
from graph.store import Engine

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT.parent / "shared" / "reference"


@pytest.fixture(scope="session")
def built():
    return build(DATA_DIR, DEFAULT_BASE)


@pytest.fixture(scope="session")
def engine(built):
    return Engine.from_build(built)


@pytest.fixture(scope="session")
def base() -> str:
    return DEFAULT_BASE


def iri(kind: str, ident: str) -> str:
    return f"{DEFAULT_BASE}{kind}/{ident}"


def short(value: str) -> str:
    """The id at the end of an instance IRI."""
    return re.split(r"[/#]", value)[-1]
