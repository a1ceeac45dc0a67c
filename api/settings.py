"""Service settings, read from the environment with the ``PAKG_`` prefix (e.g. ``PAKG_PORT``)."""

from __future__ import annotations

from ipaddress import ip_address, ip_network
from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.config import DATA_DIR


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PAKG_")

    host: str = "127.0.0.1"
    port: int = 8000
    store: str | None = None  # an on-disk store built by `pakg build --store PATH`
    reload_interval: float = Field(2.0, ge=0)  # seconds between checks for a newer store or endpoint dataset (0: never)
    endpoint: str | None = None  # or any SPARQL 1.1 endpoint loaded by `pakg load` (its query URL)
    endpoint_user: str | None = None
    endpoint_password: str | None = None
    endpoint_timeout: float = Field(60.0, gt=0)
    data_dir: str = str(DATA_DIR)  # else: build from these tables at start-up, in memory
    base_iri: str | None = None  # base of instance IRIs (default https://w3id.org/pakg/id/)
    query_timeout: float = Field(10.0, gt=0)  # seconds a SPARQL query may run before it is stopped (503)
    row_cap: int = Field(10_000, gt=0)  # rows (or triples) per SPARQL answer; more is cut and flagged
    query_workers: int = Field(2, ge=1, le=32)  # worker processes that run SPARQL queries (the light lane)
    heavy_workers: int = Field(2, ge=0, le=32)  # and those, at lower CPU priority, for queries past the budget
    light_budget: float = Field(1.0, gt=0)  # seconds a query may run in the light lane before it moves
    worker_memory_mb: int = Field(1024, ge=0)  # memory a query worker may take beyond its dataset (0: no limit)
    max_query_bytes: int = Field(16 * 1024, gt=0)  # longer query text: 413 (POST) / 414 (GET)
    max_body_bytes: int = Field(64 * 1024, gt=0)  # request bodies, counted as they stream in: 413
    max_header_bytes: int = Field(16 * 1024, ge=1024)  # request headers, names and values in all: 431
    max_headers: int = Field(100, ge=10)  # request header lines: 431
    max_response_bytes: int = Field(64 * 1024 * 1024, gt=0)  # a larger SPARQL answer: 413
    max_concurrent_per_client: int = Field(4, ge=1)  # SPARQL requests in flight per client address: 429
    cache_bytes: int = Field(64 * 1024 * 1024, ge=0)  # answers kept per dataset version (0: no cache)
    cache_entry_bytes: int = Field(8 * 1024 * 1024, ge=0)  # the largest answer kept
    cache_max_age: int = Field(300, ge=0)  # seconds clients may reuse an answer (Cache-Control; ETag revalidates)
    access_log: bool = True  # one line per request on stderr (uvicorn's access log)
    trusted_proxies: str = ""  # addresses or networks (CIDR), comma-separated, of proxies whose
    #                            X-Forwarded-For is believed (the client of the per-client limit and the
    #                            access log); empty: none. With several, the client is the right-most
    #                            address of X-Forwarded-For that is not a trusted proxy
    public_url: str | None = None  # where this service is reached (https://kg.example.org): the base of
    #                                   the absolute links it gives (SPARQL service description, VoID); by
    #                                   default http://{host}:{port}, never the request's Host header

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            raise ValueError("PAKG_PUBLIC_URL must be an http:// or https:// URL without a query or fragment")
        return value.rstrip("/")

    @field_validator("trusted_proxies")
    @classmethod
    def _trusted_proxies(cls, value: str) -> str:
        entries = [entry.strip() for entry in value.split(",") if entry.strip()]
        for entry in entries:
            try:  # strict, as uvicorn reads them: 10.0.0.1/8 (host bits set) is refused, not taken as a name
                ip_network(entry) if "/" in entry else ip_address(entry)
            except ValueError:
                raise ValueError(
                    f"PAKG_TRUSTED_PROXIES: {entry[:64]!r} is not an IP address or network (CIDR, e.g. 10.0.0.0/8)"
                ) from None
        return ",".join(entries)

    def proxies(self) -> list[str]:
        """The trusted proxies' addresses and networks (``trusted_proxies``), none when it is empty."""
        return self.trusted_proxies.split(",") if self.trusted_proxies else []

    def base_url(self) -> str:
        """Where this service is reached: ``public_url``, else the address it listens on."""
        if self.public_url:
            return self.public_url
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def endpoint_auth(self) -> tuple[str, str] | None:
        return (self.endpoint_user, self.endpoint_password or "") if self.endpoint_user else None
