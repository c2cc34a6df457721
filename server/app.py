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

from graph.trialgraph import TrialGraph, open_snapshot
from schema.build import create_schema
from server.body_limit import BodyLimitMiddleware
from server.explorer import explorer_page
from server.exports import export_routes
from server.graphql_view import TrialGraphQL
from server.settings import Settings, SettingsError

STATIC = Path(__file__).resolve().parent / "static"  # vendored GraphiQL and cytoscape.js, the explorer


def create_app(trial_graph: TrialGraph, settings: Settings) -> Starlette:
    """The service for one loaded graph: ``/graphql`` (with GraphiQL), ``/explore``, ``/export/*``,
    ``/health`` and the vendored ``/static`` files."""
    schema = create_schema(
        settings.limits, introspection=settings.introspection, field_suggestions=settings.field_suggestions
    )
    graphql = TrialGraphQL(schema, trial_graph, settings.limits, settings.graphiql)

    async def health(request: Request) -> JSONResponse:
        return JSONResponse(
            {
                "status": "ok",
                "trials": trial_graph.graph.graph.get("trials", 0),
                "dataVersion": trial_graph.version,
            }
        )

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
    # Inside CORS, so that a browser script can read the 413 too.
    middleware.append(Middleware(BodyLimitMiddleware, max_body_bytes=settings.limits.max_body_bytes))
    return Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/health", health, methods=["GET"]),
            Route("/explore", explorer_page(settings.graphiql), methods=["GET"]),
            *export_routes(trial_graph, settings.limits),
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
    return create_app(open_snapshot(settings.snapshot), settings)
