"""The GraphQL endpoint: Strawberry's ASGI view with the request context of this service.

The view keeps to the GraphQL-over-HTTP spec, which Strawberry's view does not in full:

- the response media type follows ``Accept``: ``application/graphql-response+json`` when the
  client prefers it, ``application/json`` otherwise and without ``Accept``; 406 if neither fits;
- with ``application/graphql-response+json`` a request error (a document that does not parse or
  validate, variables that do not coerce) gets 400 and no ``data`` entry; ``application/json``
  clients keep Strawberry's answer, 200 with ``"data": null``;
- a POST body must be one UTF-8 JSON object sent as ``application/json`` (else 415); malformed
  JSON or UTF-8, a batch (an array), other non-objects and mistyped parameters get 400;
- a GET that names a mutation gets 405 with ``Allow: POST``.

Errors about the HTTP request itself are plain text, as Strawberry writes them.

A POST that the fast path answers (:mod:`schema.fastpath`: a query it has a plan for, sent as a
JSON object with the usual parameters) is answered without Strawberry's view around it: the
same ``{"data": ...}`` in the same media type, for about a third less of the server's time on a
small answer. Anything else, and any request the fast path steps aside from, goes the whole way
through the view with the body as it was sent.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import GraphQLError
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError

from schema.build import TrialSchema
from schema.context import Context
from schema.fastpath import FastPath
from schema.limits import Limits
from server.graphiql import graphiql_html
from server.media import GRAPHQL_RESPONSE, JSON, body_type, json_kind, json_value, response_media_type
from server.reload import GraphHolder


class TrialGraphQL(GraphQL[Context, None]):
    """Answers GraphQL over HTTP (GET and POST) from the graph a holder serves now."""

    def __init__(self, schema: Any, holder: GraphHolder, limits: Limits, graphiql: bool) -> None:
        super().__init__(schema, graphql_ide="graphiql" if graphiql else None, allow_queries_via_get=True)
        self.holder = holder
        self.limits = limits
        # The GraphiQL page per root path, with the generation of the graph it was made from;
        # emptied when a reload swaps the graph.
        self.pages: dict[str, tuple[int, str]] = {}
        holder.on_swap(self.pages.clear)
        self.fast: FastPath | None = schema.fast if isinstance(schema, TrialSchema) else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or self.fast is None:
            await super().__call__(scope, receive, send)
            return
        body = await Request(scope, receive).body()
        answer = self._fast_answer(Headers(scope=scope), body)
        if answer is not None:
            await answer(scope, receive, send)
            return
        await super().__call__(scope, _replaying(body, receive), send)

    def _fast_answer(self, headers: Headers, body: bytes) -> Response | None:
        """The fast path's answer to a well-formed POST; None for the view to answer."""
        assert self.fast is not None
        content_type = headers.get("content-type")
        media_type = response_media_type(headers.get("accept"))
        if content_type is None or media_type is None:
            return None
        sent_type, charset = body_type(content_type)
        if sent_type.lower() != JSON or charset != "utf-8":
            return None
        try:
            params = orjson.loads(body)
        except orjson.JSONDecodeError:
            return None
        if type(params) is not dict:
            return None
        query, variables, name = params.get("query"), params.get("variables"), params.get("operationName")
        if not (
            type(query) is str
            and (variables is None or type(variables) is dict)
            and (name is None or type(name) is str)
            and (params.get("extensions") is None or type(params["extensions"]) is dict)
        ):
            return None
        data = self.fast.execute(query, variables, self._context(), name)
        return None if data is None else Response(encode_answer({"data": data}), media_type=media_type)

    def encode_json(self, data: object) -> bytes:
        return encode_answer(data)

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        return self._context()

    def _context(self) -> Context:
        return Context(self.holder.current, self.limits)  # the whole request answers from this graph

    async def render_graphql_ide(self, request: Request) -> Response:
        # Our page with vendored files, not Strawberry's, which loads GraphiQL from a CDN; made
        # once per root path and graph, since its examples look through the whole graph.
        root_path = request.scope.get("root_path", "")
        generation, trial_graph = self.holder.served()
        cached = self.pages.get(root_path)
        if cached is None or cached[0] != generation:
            cached = self.pages[root_path] = (generation, graphiql_html(trial_graph, root_path))
        return HTMLResponse(cached[1])

    # GraphQL over HTTP: the hooks below, in the order a request meets them.

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub_response = await super().get_sub_response(request)
        # Read back by create_response, which is not handed the request.
        sub_response.media_type = response_media_type(request.headers.get("accept"))
        return sub_response

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> GraphQLRequestData:
        # Replaces Strawberry's parsing, with its batches, multipart uploads and HTTP streaming.
        if response_media_type(request.headers.get("accept")) is None:
            raise HTTPException(406, f"the Accept header allows neither {GRAPHQL_RESPONSE} nor {JSON}")
        if request.method == "GET":
            return _operation(_query_string_params(request.query_params))
        if not request.content_type:
            raise HTTPException(415, f"a POST needs Content-Type: {JSON}")
        media_type, charset = body_type(request.content_type)
        if media_type.lower() != JSON:
            raise HTTPException(415, f"a POST body must be {JSON}, not {media_type}")
        if charset != "utf-8":
            raise HTTPException(415, f"a POST body must be UTF-8, not {charset}")
        body = await request.get_body()
        if not body.strip():
            raise HTTPException(400, "the request body is empty; send a JSON object with a query")
        params = json_value(body, "the request body")
        if isinstance(params, list):
            raise HTTPException(
                400, "batching is not offered: send one operation as a JSON object, not an array"
            )
        if not isinstance(params, dict):
            raise HTTPException(400, f"the request body must be a JSON object, not {json_kind(params)}")
        return _operation(params)

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        try:
            return await super().execute_single(
                request, request_adapter, sub_response, context, root_value, request_data
            )
        except HTTPException as error:
            if request_adapter.method != "GET" or not isinstance(error.__cause__, InvalidOperationTypeError):
                raise
            # Strawberry answers 400; the spec asks for 405, and 405 needs Allow.
            sub_response.status_code = 405
            sub_response.headers["allow"] = "POST"
            return PreExecutionError(data=None, errors=[GraphQLError(f"{error.reason}; send them with POST")])

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        response_data = await super().process_result(request, result)
        accept = request.headers.get("accept")
        if _is_request_error(result) and response_media_type(accept) == GRAPHQL_RESPONSE:
            del response_data["data"]  # nothing was executed
        return response_data

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        media_type = sub_response.media_type or JSON
        response.headers["content-type"] = media_type
        no_data = isinstance(response_data, dict) and "data" not in response_data
        if media_type == GRAPHQL_RESPONSE and no_data and sub_response.status_code is None:
            response.status_code = 400
        return response


def _replaying(body: bytes, receive: Receive) -> Receive:
    """``receive`` for a request whose body was read already: the body again, then ``receive``."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def encode_answer(data: object) -> bytes:
    r"""An answer as compact UTF-8 JSON, by orjson (several times faster than ``json`` on a large
    answer); text orjson refuses (a lone surrogate) is written as ``json`` writes it.

    >>> encode_answer({"name": "caf\u00e9", "n": 1})
    b'{"name":"caf\xc3\xa9","n":1}'
    >>> encode_answer({"name": "a\ud800"})
    b'{"name":"a\\ud800"}'
    """
    try:
        return orjson.dumps(data)
    except orjson.JSONEncodeError:
        return json.dumps(data, separators=(",", ":")).encode()


def _query_string_params(query_params: Mapping[str, Any]) -> dict[str, object]:
    """The parameters of a GET, with variables and extensions decoded; an empty value is absent."""
    params: dict[str, object] = {}
    for name in ("query", "operationName"):
        if value := query_params.get(name):
            params[name] = value
    for name in ("variables", "extensions"):
        if value := query_params.get(name):
            params[name] = json_value(value, f"the {name} parameter")
    return params


def _operation(params: Mapping[str, object]) -> GraphQLRequestData:
    """The operation of a request's parameters, each checked for its JSON type."""
    for name, kind in (("query", str), ("operationName", str), ("variables", dict), ("extensions", dict)):
        value = params.get(name)
        if value is not None and not isinstance(value, kind):
            wanted = "a string" if kind is str else "a JSON object"
            raise HTTPException(400, f"{name} must be {wanted} or null, not {json_kind(value)}")
    return GraphQLRequestData(
        query=params.get("query"),  # type: ignore[arg-type]
        variables=params.get("variables"),  # type: ignore[arg-type]
        operation_name=params.get("operationName"),  # type: ignore[arg-type]
        extensions=params.get("extensions"),  # type: ignore[arg-type]
    )


def _is_request_error(result: ExecutionResult) -> bool:
    """True if ``result`` comes from a request that was never executed."""
    if isinstance(result, PreExecutionError):  # the document did not parse or validate
        return True
    # Variables that do not coerce fail inside graphql-core's execute, which then answers like a
    # field error that nulls the whole result, but with errors that have no path.
    errors = result.errors or []
    return result.data is None and bool(errors) and all(error.path is None for error in errors)
