"""What the benches share: a lean HTTP client and percentiles."""
from __future__ import annotations

import http.client
import urllib.parse


class Client:
    """The standard library's HTTP/1.1 client on one kept-alive connection: it costs the machine far
    less per request than httpx, so that the figures are the servers', not the client's.  A request
    that fails (connection reset, timeout) counts as status 599 and the next one reconnects."""

    def __init__(self, url: str, timeout: float = 120, accept: str | None = None, source: str | None = None):
        parts = urllib.parse.urlsplit(url)
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        self.source = (source, 0) if source else None  # a loopback address of its own: a client of its own
        self.headers = {"Accept": accept} if accept else {}
        self.conn = self._connect()

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout, source_address=self.source)

    def get(self, target: str) -> int:
        try:
            self.conn.request("GET", target, headers=self.headers)
            response = self.conn.getresponse()
            response.read()
            return response.status
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = self._connect()
            return 599

    def close(self) -> None:
        self.conn.close()


def percentile(values, q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] if values else float("nan")
