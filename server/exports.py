"""The export endpoints: ``GET /export/{graphml,gexf,cytoscape,csv}``.

Without parameters they export the whole graph; ``?node=ID&hops=N`` exports the neighborhood of
a node (``hops`` defaults to 1). ``hops`` is limited by ``Limits.max_hops`` and the
neighborhood by ``Limits.max_neighborhood_nodes``: a request over a limit gets 400 and a JSON
body naming the parameter and the limit; an unknown node gets 404. The body is streamed from
the same writer chunks a file export writes (:mod:`graph.export`), a chunk at a time, with the
format's content type and ``Content-Disposition: attachment; filename="trialgraph-..."``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from itertools import chain
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from graph.build.loading import TrialGraph
from graph.errors import QueryLimitError, UnknownNodeError
from graph.export import FORMATS, ExportFormat, GraphExport, select
from schema.limits import Limits
from server.reload import GraphHolder


class _BadParameter(Exception):
    def __init__(self, status: int, message: str, parameter: str, **limit: Any) -> None:
        super().__init__(message)
        self.status, self.body = status, {"error": message, "parameter": parameter, **limit}


def export_routes(holder: GraphHolder, limits: Limits) -> list[Route]:
    """A ``GET /export/<format>`` route per format, answering from the graph ``holder`` serves."""
    return [
        Route(f"/export/{fmt.name}", _endpoint(holder, limits, fmt), methods=["GET"])
        for fmt in FORMATS.values()
    ]


def _endpoint(
    holder: GraphHolder, limits: Limits, fmt: ExportFormat
) -> Callable[[Request], Awaitable[Response]]:
    async def export(request: Request) -> Response:
        try:
            node, hops = _selection(request, limits)
            chosen = await run_in_threadpool(_select, holder.current, node, hops, limits)
        except _BadParameter as error:
            return JSONResponse(error.body, status_code=error.status)
        chunks = fmt.chunks(chosen)
        # The first chunk is made before the answer starts (declaring the attributes reads the
        # whole selection), so that a failure there is an HTTP 500, not a truncated download.
        first = await run_in_threadpool(next, chunks, b"")
        return StreamingResponse(
            _chain(first, chunks),
            media_type=fmt.media_type,
            headers={"Content-Disposition": f'attachment; filename="{fmt.filename(chosen)}"'},
        )

    return export


def _selection(request: Request, limits: Limits) -> tuple[str | None, int]:
    node = request.query_params.get("node")
    raw_hops = request.query_params.get("hops")
    limit = {"limit": "max_hops", "maximum": limits.max_hops}
    if raw_hops is not None and node is None:
        raise _BadParameter(400, "hops needs node: export the neighborhood of which node?", "node")
    if raw_hops is None:
        return node, 1
    if not (raw_hops.isascii() and raw_hops.isdigit()):
        message = f"hops must be a whole number from 0 to {limits.max_hops} (max_hops); {raw_hops!r} was sent"
        raise _BadParameter(400, message, "hops", **limit)
    hops = int(raw_hops)
    if hops > limits.max_hops:
        raise _BadParameter(
            400, f"hops is limited to {limits.max_hops} (max_hops); {hops} was asked for", "hops", **limit
        )
    return node, hops


def _select(trial_graph: TrialGraph, node: str | None, hops: int, limits: Limits) -> GraphExport:
    try:
        return select(
            trial_graph.graph,
            node,
            hops,
            max_nodes=limits.max_neighborhood_nodes,
        )
    except UnknownNodeError as error:
        raise _BadParameter(404, str(error), "node") from None
    except QueryLimitError:
        maximum = limits.max_neighborhood_nodes
        message = (
            f"the neighborhood of {node} within {hops} hop(s) has more than {maximum:,} nodes "
            "(max_neighborhood_nodes); ask for fewer hops"
        )
        raise _BadParameter(
            400, message, "hops", limit="max_neighborhood_nodes", maximum=limits.max_neighborhood_nodes
        ) from None


def _chain(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    return chain([first] if first else [], rest)
