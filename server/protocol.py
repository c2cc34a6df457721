"""The HTTP/1.1 protocol the server speaks: uvicorn's httptools protocol, with a shutdown that
does not drop a request already on its way.

When uvicorn begins to shut down (SIGTERM, or a worker retired by a reload with ``--workers``) it
stops accepting, then at once closes every connection with no request in progress: one it
accepted a moment ago whose request has not arrived yet is closed too, and its client sees the
server disconnect without an answer. Here such a connection (and an idle kept-alive one) is given
:data:`ARRIVAL_GRACE` seconds for a request to arrive; a request that arrives is answered with
``Connection: close``; then the connection is closed as uvicorn would close it.
"""

from __future__ import annotations

from asyncio import TimerHandle

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

ARRIVAL_GRACE = 0.5  # seconds; a client sends its request right after connecting


class DrainingHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, closing an idle connection only after a grace period."""

    _closing: TimerHandle | None = None

    def shutdown(self) -> None:
        """Called by the server to begin a graceful shutdown."""
        if self._closing is not None:
            return
        if self.cycle is None or self.cycle.response_complete:  # no request in progress
            self._closing = self.loop.call_later(ARRIVAL_GRACE, super().shutdown)
        else:
            super().shutdown()  # the request in progress is answered, then the connection closed

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        if self._closing is not None and self.cycle is not None:
            self.cycle.keep_alive = False  # a request that came in the grace period is the last

    def connection_lost(self, exc: Exception | None) -> None:
        if self._closing is not None:
            self._closing.cancel()
        super().connection_lost(exc)
