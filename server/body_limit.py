"""Request bodies over a size limit are refused with 413, before they are read in full."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class _BodyTooLarge(Exception):
    """Raised from ``receive`` to unwind the app once the body passes the limit."""


class BodyLimitMiddleware:
    """Answers 413 to an HTTP request whose body is over ``max_body_bytes``.

    A declared ``Content-Length`` over the limit is refused before the app runs; a body sent
    without one (chunked) is counted while the app reads it and refused as soon as it passes.
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        # The HTTP server has already refused a Content-Length that is not a number.
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._refuse(f"the Content-Length is {int(declared):,}", scope, receive, send)
            return

        received = 0
        response_started = False

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise _BodyTooLarge
            return message

        async def send_noting_start(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive_within_limit, send_noting_start)
        except _BodyTooLarge:
            if response_started:  # too late to answer 413; only an app that answers while reading
                raise
            await self._refuse("more were sent", scope, receive, send)

    async def _refuse(self, sent: str, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"the request body is limited to {self.max_body_bytes:,} bytes (max_body_bytes); {sent}"
        # The rest of the body is never read, so the connection cannot carry another request.
        response = PlainTextResponse(message, status_code=413, headers={"connection": "close"})
        await response(scope, receive, send)
