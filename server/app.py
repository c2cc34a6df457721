"""The Starlette app, made by :func:`create_app` from a loaded graph and settings."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from graph.trialgraph import TrialGraph
from schema.build import create_schema
from server.graphql_view import TrialGraphQL
from server.settings import Settings


def create_app(trial_graph: TrialGraph, settings: Settings) -> Starlette:
    """The service for one loaded graph: ``/graphql`` (with GraphiQL) and ``/health``."""
    schema = create_schema(
        settings.limits, introspection=settings.introspection, field_suggestions=settings.field_suggestions
    )
    graphql = TrialGraphQL(schema, trial_graph, settings.limits, settings.graphiql)

    async def health(request: Request) -> JSONResponse:
        return JSONResponse(
            {"status": "ok", "trials": trial_graph.graph.graph.get("trials", 0), "dataVersion": trial_graph.version}
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
    return Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/health", health, methods=["GET"]),
        ],
        middleware=middleware,
    )
