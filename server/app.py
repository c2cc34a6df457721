"""The Starlette app, made by :func:`create_app` from a loaded graph and settings."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from graph.build.loading import TrialGraph, open_snapshot
from schema.build import create_schema
from server.body_limit import BodyLimitMiddleware
from server.explorer import explorer_page
from server.exports import export_routes
from server.graphql_view import TrialGraphQL
from server.rate_limit import RateLimitMiddleware
from server.reload import GraphHolder
from server.runtime import settle_heap, tune_collector
from server.settings import Settings, SettingsError

STATIC = Path(__file__).resolve().parent / "static"  # vendored GraphiQL and cytoscape.js, the explorer


def create_app(trial_graph: TrialGraph | GraphHolder, settings: Settings) -> Starlette:
    """The service for one loaded graph, or for the graph a holder serves now (which a reload
    swaps): ``/graphql`` (with GraphiQL), ``/explore``, ``/export/*``, ``/health`` and the
    vendored ``/static`` files."""
    holder = trial_graph if isinstance(trial_graph, GraphHolder) else GraphHolder(trial_graph)
    schema = create_schema(
        settings.limits, introspection=settings.introspection, field_suggestions=settings.field_suggestions
    )
    graphql = TrialGraphQL(schema, holder, settings.limits, settings.graphiql)

    async def health(request: Request) -> JSONResponse:
        served = holder.state
        answer: dict[str, object] = {
            "status": "ok",
            "trials": served.trial_graph.graph.graph.get("trials", 0),
            "dataVersion": served.trial_graph.version,
        }
        if served.last_reload is not None:
            answer["reload"] = served.last_reload.as_json()
        return JSONResponse(answer)

    middleware = []
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=["Content-Type", "Accept", "Authorization"],
                max_age=600,
            )
        )
    # Inside CORS, so that a browser script can read the 429 and the 413 too; the rate limit
    # first, so that a flood of large bodies is limited as well.
    if settings.rate_limit > 0:
        middleware.append(
            Middleware(
                RateLimitMiddleware, rate=settings.rate_limit, burst=settings.rate_burst, exempt=["/health"]
            )
        )
    middleware.append(Middleware(BodyLimitMiddleware, max_body_bytes=settings.limits.max_body_bytes))
    return Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/health", health, methods=["GET"]),
            Route("/explore", explorer_page(settings.graphiql), methods=["GET"]),
            *export_routes(holder, settings.limits),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        middleware=middleware,
    )


def app_from_environment() -> Starlette:
    """The app of one worker process of ``trialgraph serve --workers N``: the snapshot and the
    settings the parent process published in the environment."""
    settings = Settings.from_environment()
    if settings.snapshot is None:
        raise SettingsError("TRIALGRAPH_SNAPSHOT is not set: worker processes serve a snapshot")
    tune_collector()
    app = create_app(open_snapshot(settings.snapshot), settings)
    settle_heap()  # a reload restarts the workers: their heaps are settled once
    return app
