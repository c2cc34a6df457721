"""The GraphQL endpoint: Strawberry's ASGI view with the request context of this service."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from graph.trialgraph import TrialGraph
from schema.context import Context
from schema.limits import Limits


class TrialGraphQL(GraphQL[Context, None]):
    """Answers GraphQL over HTTP (GET and POST) from one loaded graph."""

    def __init__(self, schema: Any, trial_graph: TrialGraph, limits: Limits, graphiql: bool) -> None:
        super().__init__(schema, graphql_ide="graphiql" if graphiql else None, allow_queries_via_get=True)
        self.trial_graph = trial_graph
        self.limits = limits

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        return Context(self.trial_graph, self.limits)
