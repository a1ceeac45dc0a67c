"""The API's documentation pages, /docs (Swagger UI) and /redoc (ReDoc), served from npm packages
installed beside the explorer's: no CDN."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
