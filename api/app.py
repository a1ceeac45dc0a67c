"""The application factory.  ``create_app(settings)`` loads the dataset once, at start-up."""
from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from graph import __version__
from graph.build import build
from graph.store import Engine

from .routers import health
from .settings import Settings


def load_engine(settings: Settings) -> Engine:
    if settings.store:
        return Engine.open(Path(settings.store))
    return Engine.from_build(build(Path(settings.data_dir), settings.base_iri))


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.engine = load_engine(settings)
        yield

    app = FastAPI(title="pakg — paired-assistance knowledge graph", version=__version__,
                  description="对口支援知识图谱: hard-law and soft-law instruments, actors and pairings, with the "
                              "source of every fact.", lifespan=lifespan)
    app.state.settings = settings
    app.include_router(health.router)
    return app
