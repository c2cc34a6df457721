"""The references ours is measured against over HTTP, on the product's own graph (a snapshot).

- ``POST /card``: a plain Starlette JSON endpoint doing the TrialCard's graph work directly
  (:func:`bench.trial_card.trial_card`), no GraphQL. It takes the same request body as
  ``/graphql`` (it reads ``variables.nctId``) and answers ``{"data": ...}``: the reference for
  the GraphQL overhead.
- ``POST /graphql``: the product's GraphQL view and schema with Strawberry's standard execution
  (``create_schema(fast=False)``): the reference for the fast path over HTTP.

Run by the benchmark, on 127.0.0.1 only::

    python -m bench.reference_app --snapshot S --port P
"""

from __future__ import annotations

import argparse

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bench.trial_card import trial_card
from graph.build.loading import TrialGraph, open_snapshot
from schema.build import create_schema
from schema.limits import Limits
from server.graphql_view import TrialGraphQL
from server.reload import GraphHolder
from server.runtime import settle_heap, tune_collector

HOST = "127.0.0.1"


def create_reference_app(trial_graph: TrialGraph, limits: Limits) -> Starlette:
    """``/card`` (plain JSON), ``/graphql`` (standard execution) and ``/health``."""
    standard = TrialGraphQL(create_schema(limits, fast=False), GraphHolder(trial_graph), limits, False)

    async def card(request: Request) -> JSONResponse:
        body = await request.json()
        return JSONResponse({"data": trial_card(trial_graph.graph, str(body["variables"]["nctId"]))})

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "trials": trial_graph.graph.graph.get("trials", 0)})

    return Starlette(
        routes=[
            Route("/card", card, methods=["POST"]),
            Route("/graphql", standard, methods=["GET", "POST"]),
            Route("/health", health, methods=["GET"]),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--snapshot", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    tune_collector()  # the process runs Python as trialgraph serve does: only the app differs
    app = create_reference_app(open_snapshot(args.snapshot), Limits())
    settle_heap()
    uvicorn.run(app, host=HOST, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
