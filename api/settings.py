"""Service settings, read from the environment with the ``PAKG_`` prefix (e.g. ``PAKG_PORT``)."""
from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.config import DATA_DIR


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PAKG_")

    host: str = "127.0.0.1"
    port: int = 8000
    store: str | None = None          # an on-disk store built by `pakg build --store PATH`
    data_dir: str = str(DATA_DIR)     # else: build from these tables at start-up, in memory
    base_iri: str | None = None       # base of instance IRIs (default https://w3id.org/pakg/id/)
