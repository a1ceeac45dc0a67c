"""The named queries as a service: /queries lists them, /queries/{name} runs one with typed parameters."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["queries"])
