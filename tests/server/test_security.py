"""Security properties: a read-only API, no request writes to disk, introspection and suggestions
off for production, CORS as an allowlist, exported XML that escapes every text value, and XML
input parsed without entity expansion or network access."""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import shutil
import signal
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from lxml import etree

from graph.build.loading import TrialGraph, load_graph
from graph.errors import Problem
from graph.export.xmltext import xml_safe
from graph.read.records import Loaded, load_records
from schema.build import create_schema
from tests.live import LiveServer, live_server
from tests.paths import CONTRACT, CTGOV, SEED_PAGE
from tests.server.test_reload import serving

SEED_ID = "NCT05697718"
SEED_TRIAL = f"Trial:{SEED_ID}"
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
GEXF = "{http://gexf.net/1.3}"
# lxml as anyone reading our files should use it: no entities, no network, no recovery.
STRICT = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=False)


# ---- read-only


def test_the_schema_has_no_mutations_or_subscriptions() -> None:
    schema = create_schema()
    assert (schema.mutation, schema.subscription) == (None, None)
    assert schema._schema.mutation_type is None and schema._schema.subscription_type is None
    assert "type Mutation" not in str(schema) and "type Subscription" not in str(schema)


@pytest.mark.parametrize("operation", ["mutation", "subscription"])
def test_a_posted_mutation_or_subscription_is_refused(seed_server: LiveServer, operation: str) -> None:
    answer = httpx.post(seed_server.graphql, json={"query": f"{operation} {{ __typename }}"})
    assert (answer.status_code, answer.json()) == (
        200,
        {
            "data": None,
            "errors": [
                {
                    "message": f"The {operation} operation is not supported by the schema.",
                    "locations": [{"line": 1, "column": 1}],
                }
            ],
        },
    )


def test_no_websocket_is_opened_for_subscriptions(seed_server: LiveServer) -> None:
    host, port = seed_server.url.removeprefix("http://").split(":")
    request = (
        "GET /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
        "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        "Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n"
    )
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(request.encode())
        status_line = connection.recv(4096).split(b"\r\n", 1)[0]
    assert not status_line.startswith(b"HTTP/1.1 101"), status_line


# ---- no request writes to disk


def _tree(folder: Path) -> dict[str, tuple[int, int, str] | None]:
    """Every entry under ``folder``: a file's size, modification time and digest; None for a folder."""
    found: dict[str, tuple[int, int, str] | None] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_dir():
            found[name] = None
        else:
            stat = path.stat()
            found[name] = (stat.st_size, stat.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())
    return found


def _contract_requests() -> list[dict[str, Any]]:
    documents = {}
    for path in sorted(CONTRACT.glob("*.graphql")):
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            if line.startswith("query "):
                documents[line.split()[1].split("(")[0]] = text
    expected = json.loads((CONTRACT / "seed-expected.json").read_text(encoding="utf-8"))
    requests = [
        {
            "query": documents[name.split()[0]],
            "operationName": name.split()[0],
            "variables": case["variables"],
        }
        for name, case in expected.items()
    ]
    ids = {"id": SEED_TRIAL, "hops": 2, "from": SEED_TRIAL, "to": "Condition:ischemicstroke"}
    for name in ("Refetch", "Neighborhood", "HowConnected"):
        variables = {key: value for key, value in ids.items() if f"${key}" in documents[name].split(name)[1]}
        requests.append({"query": documents[name], "operationName": name, "variables": variables})
    return requests


def _barrage(server: LiveServer) -> list[int]:
    """Requests of every kind the service answers, good and bad; their status codes."""
    graphql, url = server.graphql, server.url
    statuses = []
    json_type = {"content-type": "application/json"}
    with httpx.Client(timeout=30) as client:
        for params in _contract_requests():
            statuses.append(client.post(graphql, json=params).status_code)
        statuses.append(client.get(graphql, params={"query": "{ stats { trials } }"}).status_code)
        statuses.append(client.get(graphql, params={"query": "mutation { __typename }"}).status_code)
        statuses.append(client.post(graphql, json={"query": "mutation { __typename }"}).status_code)
        for fmt in ("graphml", "gexf", "cytoscape", "csv"):
            statuses.append(client.get(f"{url}/export/{fmt}").status_code)
            statuses.append(
                client.get(f"{url}/export/{fmt}", params={"node": SEED_TRIAL, "hops": 2}).status_code
            )
            statuses.append(
                client.get(f"{url}/export/{fmt}", params={"node": SEED_TRIAL, "hops": 99}).status_code
            )
            statuses.append(
                client.get(f"{url}/export/{fmt}", params={"node": "Trial:NCT00000000"}).status_code
            )
        for path in (
            "/graphql",
            "/explore",
            "/health",
            "/static/explorer/main.js",
            "/static/graphiql/graphiql.min.js",
        ):
            statuses.append(client.get(f"{url}{path}", headers={"accept": "text/html"}).status_code)
        for path in ("/static/../server/cli.py", "/static/%2e%2e/server/cli.py", "/nowhere", "/export/pdf"):
            statuses.append(client.get(f"{url}{path}").status_code)
        bad_bodies = [
            b'{"query": "\xff"}',
            b'{"query": ',
            b"[" + b'{"query": "{ stats { trials } }"},' * 2000 + b"{}]",
            b"[" * 20_000,
            b'{"query": "' + b"{ a " * 30 + b'"}',
            b"x" * 10_000_000,
        ]
        for body in bad_bodies:
            statuses.append(client.post(graphql, content=body, headers=json_type).status_code)
        files = {"operations": (None, '{"query": "{ stats { trials } }"}'), "0": ("a.txt", b"a" * 90_000)}
        statuses.append(client.post(graphql, files=files).status_code)
        statuses.append(client.post(graphql, data={"query": "{ stats { trials } }"}).status_code)
        statuses.append(client.put(graphql, content=b"{}", headers=json_type).status_code)
    return statuses


def test_no_request_writes_to_disk(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(SEED_PAGE, data)
    for path in sorted(CTGOV.glob("*.json"))[:3]:
        shutil.copy(path, data)
    workdir, temporary, home = tmp_path / "workdir", tmp_path / "tmp", tmp_path / "home"
    for folder in (workdir, temporary, home):
        folder.mkdir()
    before = _tree(data)
    env = {**os.environ, "TMPDIR": str(temporary), "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}
    log = tmp_path / "server.log"
    with serving("--data", str(data), "--rate-limit", "0", log=log, cwd=workdir, env=env) as served:
        statuses = _barrage(served.server)
        os.kill(served.server.pid, signal.SIGTERM)  # what shutting down writes counts too
        assert served.process.wait(timeout=30) == 0
    assert sorted(set(statuses)) == [200, 400, 404, 405, 413, 415]
    assert (_tree(workdir), _tree(temporary), _tree(home)) == ({}, {}, {})
    assert _tree(data) == before
    assert "Traceback" not in log.read_text()


# ---- introspection and suggestions


SUGGESTING = {
    "field": '{ trail(nctId: "x") { nctId } }',
    "argument": '{ trial(nctID: "x") { nctId } }',
    "enum": "{ trials(filter: {status: RECRUTING}) { totalCount } }",
    "type": "{ ... on Qurey { __typename } }",
}


@pytest.mark.parametrize("mistake", sorted(SUGGESTING))
def test_by_default_mistakes_get_suggestions(seed_server: LiveServer, mistake: str) -> None:
    answer = httpx.post(seed_server.graphql, json={"query": SUGGESTING[mistake]}).json()
    assert "Did you mean" in answer["errors"][0]["message"]


@pytest.fixture(scope="module")
def production_server() -> Iterator[LiveServer]:
    environ = {"TRIALGRAPH_INTROSPECTION": "false", "TRIALGRAPH_FIELD_SUGGESTIONS": "false"}
    with live_server([], env=environ) as server:
        yield server


def test_switched_off_a_mistaken_field_gets_no_suggestion(production_server: LiveServer) -> None:
    answer = httpx.post(production_server.graphql, json={"query": SUGGESTING["field"]}).json()
    assert [error["message"] for error in answer["errors"]] == ["Cannot query field 'trail' on type 'Query'."]


# Strawberry's disable_field_suggestions silences FieldsOnCorrectTypeRule only: graphql-core's
# other rules suggest argument names, enum values and type names, which schema/build.py strips.
@pytest.mark.parametrize("mistake", ["argument", "enum", "type"])
def test_switched_off_other_mistakes_get_no_suggestions(production_server: LiveServer, mistake: str) -> None:
    answer = httpx.post(production_server.graphql, json={"query": SUGGESTING[mistake]}).json()
    messages = [error["message"] for error in answer["errors"]]
    assert messages and not any("Did you mean" in message for message in messages), messages


@pytest.mark.parametrize(
    "query",
    ["{ __schema { queryType { name } } }", '{ __type(name: "Trial") { fields { name } } }'],
)
def test_switched_off_introspection_is_refused(production_server: LiveServer, query: str) -> None:
    answer = httpx.post(production_server.graphql, json={"query": query}).json()
    assert answer["data"] is None
    assert answer["errors"][0]["message"].startswith("GraphQL introspection has been disabled")


def test_switched_off_typename_still_answers(production_server: LiveServer) -> None:
    answer = httpx.post(production_server.graphql, json={"query": "{ __typename stats { trials } }"}).json()
    assert answer == {"data": {"__typename": "Query", "stats": {"trials": 1}}}


# ---- CORS


def test_cors_never_allows_every_origin_or_credentials() -> None:
    with live_server([], "--cors-origin", "https://app.example") as server:
        preflight = httpx.options(
            server.graphql,
            headers={
                "Origin": "https://app.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type, x-custom",
            },
        )
        answered = httpx.post(
            server.graphql, json={"query": "{ stats { trials } }"}, headers={"Origin": "https://evil.example"}
        )
        null_origin = httpx.post(
            server.graphql, json={"query": "{ stats { trials } }"}, headers={"Origin": "null"}
        )
    assert preflight.status_code == 400  # a header not allowed
    assert "access-control-allow-credentials" not in preflight.headers
    for response in (answered, null_origin):
        assert response.status_code == 200  # answered, but no browser script may read it
        assert "access-control-allow-origin" not in response.headers
        assert "access-control-allow-credentials" not in response.headers


# ---- exported XML escapes every text value

HOSTILE = "x <b>&amp; \"q\" 's' ]]> <!-- c --> <?pi?> &lt; \x01\x02\x0b\x0c\x1f\x7f \ufffe\uffff\n\ttab  end "


def _hostile_folder(folder: Path) -> Path:
    folder.mkdir()
    source = sorted(CTGOV.glob("*.json"))[0]
    study = json.loads(source.read_text(encoding="utf-8"))
    protocol = study["protocolSection"]
    protocol["identificationModule"]["briefTitle"] = "Title " + HOSTILE
    protocol["identificationModule"]["officialTitle"] = HOSTILE
    protocol["sponsorCollaboratorsModule"]["leadSponsor"]["name"] = "Acme <Pharma> & \"Sons\" 'Ltd' \x07"
    protocol["conditionsModule"]["conditions"] = ["<script>alert('x')</script> & co", "Cond\x00ition"]
    protocol["descriptionModule"]["briefSummary"] = "Summary " + HOSTILE
    (folder / source.name).write_text(json.dumps(study), encoding="utf-8")
    return folder


Values = dict[str, str]


def _expected(trial_graph: TrialGraph) -> tuple[dict[str, Values], dict[tuple[str, str, str], Values]]:
    """Every text value of every node and edge, as XML 1.0 can hold it."""

    def texts(data: Any) -> Values:
        return {name: xml_safe(value) for name, value in data.items() if isinstance(value, str)}

    graph = trial_graph.graph
    nodes = {node: texts(data) for node, data in graph.nodes(data=True)}
    edges = {
        (source, target, key): texts(data) for source, target, key, data in graph.edges(keys=True, data=True)
    }
    return nodes, edges


def _graphml_values(root: Any) -> tuple[dict[str, Values], dict[tuple[str, str, str], Values]]:
    names = {key.get("id"): key.get("attr.name") for key in root.iter(f"{GRAPHML}key")}

    def values(element: Any) -> Values:
        return {names[data.get("key")]: data.text or "" for data in element.iter(f"{GRAPHML}data")}

    nodes = {node.get("id"): values(node) for node in root.iter(f"{GRAPHML}node")}
    edges = {}
    for edge in root.iter(f"{GRAPHML}edge"):
        found = values(edge)
        edges[edge.get("source"), edge.get("target"), found.pop("key")] = found
    return nodes, edges


def _gexf_values(root: Any) -> tuple[dict[str, Values], dict[tuple[str, str, str], Values]]:
    titles = {
        (attributes.get("class"), attribute.get("id")): attribute.get("title")
        for attributes in root.iter(f"{GEXF}attributes")
        for attribute in attributes.iter(f"{GEXF}attribute")
    }

    def values(element: Any, kind: str) -> Values:
        return {
            titles[kind, value.get("for")]: value.get("value") for value in element.iter(f"{GEXF}attvalue")
        }

    # A node's label attribute is GEXF's own label.
    nodes = {
        node.get("id"): {"label": node.get("label"), **values(node, "node")}
        for node in root.iter(f"{GEXF}node")
    }
    edges = {}
    for edge in root.iter(f"{GEXF}edge"):
        found = values(edge, "edge")
        edges[edge.get("source"), edge.get("target"), found.pop("networkx_key")] = found
    return nodes, edges


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_exported_xml_holds_every_text_value_escaped(tmp_path: Path, fmt: str) -> None:
    data = _hostile_folder(tmp_path / "data")
    with live_server([str(data)]) as server:
        exported = httpx.get(f"{server.url}/export/{fmt}", timeout=30).content
    root = etree.fromstring(exported, STRICT)
    nodes, edges = (_graphml_values if fmt == "graphml" else _gexf_values)(root)
    expected_nodes, expected_edges = _expected(load_graph([data]))
    assert set(nodes) == set(expected_nodes) and set(edges) == set(expected_edges)
    for node, values in expected_nodes.items():
        assert {name: nodes[node].get(name) for name in values} == values, node
    for edge, values in expected_edges.items():
        assert {name: edges[edge].get(name) for name in values} == values, edge
    # The hostile values reached the file, and read back as text, not markup.
    texts = {value for values in nodes.values() for value in values.values()}
    assert {
        "Title " + xml_safe(HOSTILE).strip(),
        "<script>alert('x')</script> & co",
        "Cond\ufffdition",
    } <= texts
    assert root.find(".//{*}script") is None and not list(root.iter(etree.Comment, etree.PI))


# ---- XML input: no entity expansion, no network

SECRET = "the content of a local file that must never be read"


@pytest.fixture
def witness() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on 127.0.0.1 that notes every path asked of it."""
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            body = b"<!ENTITY % inner \"<!ENTITY leak SYSTEM 'file:///etc/hostname'>\"> %inner;"
            self.send_response(200)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()


def _study(doctype: str, title: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}\n<clinical_study>\n'
        f"  <id_info><nct_id>NCT01234567</nct_id></id_info>\n  <brief_title>{title}</brief_title>\n"
        "</clinical_study>\n"
    )


def _payloads(secret: Path, url: str) -> dict[str, str]:
    laughs = "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' if n else '<!ENTITY lol0 "lol">' for n in range(10)
    )
    return {
        "external-file": _study(
            f'<!DOCTYPE clinical_study [<!ENTITY xxe SYSTEM "file://{secret}">]>', "&xxe;"
        ),
        "external-url": _study(f'<!DOCTYPE clinical_study [<!ENTITY xxe SYSTEM "{url}/entity">]>', "&xxe;"),
        "external-dtd": _study(f'<!DOCTYPE clinical_study SYSTEM "{url}/study.dtd">', "A title"),
        "parameter-entity": _study(
            f'<!DOCTYPE clinical_study [<!ENTITY % remote SYSTEM "{url}/remote.dtd"> %remote;]>', "&leak;"
        ),
        "billion-laughs": _study(f"<!DOCTYPE clinical_study [{laughs}]>", "&lol9;"),
        "quadratic-blowup": _study(f'<!DOCTYPE clinical_study [<!ENTITY a "{"a" * 50_000}">]>', "&a;" * 2000),
    }


def _load(tmp_path: Path, text: str) -> tuple[Loaded, list[Problem]]:
    """Load a folder holding one XML document; what loading found, and the document's problems."""
    folder = tmp_path / "documents"
    folder.mkdir()
    document = folder / "NCT01234567.xml"
    document.write_text(text, encoding="utf-8")
    loaded = load_records([folder], skip_invalid=True)
    return loaded, [problem for problem in loaded.problems if problem.where.startswith(str(document))]


REFUSED = ["external-file", "external-url", "parameter-entity", "billion-laughs", "quadratic-blowup"]


@pytest.mark.parametrize("payload", REFUSED)
def test_xml_input_declaring_entities_is_refused_without_expanding_or_fetching(
    tmp_path: Path, witness: tuple[str, list[str]], payload: str
) -> None:
    url, asked = witness
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    loaded, problems = _load(tmp_path, _payloads(secret, url)[payload])
    assert loaded.records == []
    assert len(problems) == 1 and problems[0].is_error, [str(problem) for problem in loaded.problems]
    assert not problems[0].message.startswith("skipped"), str(problems[0])
    assert SECRET not in str(problems[0]) and "lollol" not in str(problems[0])
    assert asked == []


def test_an_external_dtd_is_never_fetched(tmp_path: Path, witness: tuple[str, list[str]]) -> None:
    url, asked = witness
    loaded, problems = _load(tmp_path, _payloads(tmp_path / "secret.txt", url)["external-dtd"])
    assert asked == []
    # Without entities the document needs nothing from its DTD: it loads, or is refused, as is.
    assert [record.brief_title for record in loaded.records] == ["A title"] or problems
