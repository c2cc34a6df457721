"""``/explore`` and every file it loads are served by the service, and name local URLs only."""

from __future__ import annotations

import json
import re
import urllib.request
from html.parser import HTMLParser

import pytest

from server.app import STATIC
from server.explorer import explorer_html
from tests.live import LiveServer

EXPLORER = STATIC / "explorer"
OWN_FILES = sorted(path.name for path in EXPLORER.iterdir() if path.is_file())  # the explorer's own code
IMPORT = re.compile(r"""^\s*(?:import|export)\b[^;]*?\bfrom\s+["']([^"']+)["']""", re.MULTILINE)
DYNAMIC_IMPORT = re.compile(r"""\bimport\(\s*["']([^"']+)["']""")
# Names, not addresses: the namespaces a GraphML file declares, which nothing fetches.
XML_NAMESPACES = re.compile(
    r"http://graphml\.graphdrawing\.org/xmlns(/1\.1/graphml\.xsd)?|http://www\.w3\.org/2001/XMLSchema-instance"
)
PAGE_URLS = [
    "data:,",
    "/static/explorer/explorer.css",
    "/graphql",  # the link to GraphiQL
    "/static/explorer/vendor/cytoscape.min.js",
    "/static/explorer/main.js",
]


class _Links(HTMLParser):
    """Every ``src`` and ``href`` of a page, in order, and the JSON of ``<script id="explorer-config">``."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.config: dict[str, str | None] = {}
        self._in_config = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in ("src", "href") and value is not None]
        self._in_config = ("id", "explorer-config") in attrs

    def handle_data(self, data: str) -> None:
        if self._in_config:
            self.config = json.loads(data)
            self._in_config = False


def _parse(page: str) -> _Links:
    parser = _Links()
    parser.feed(page)
    return parser


def _imports(text: str) -> list[str]:
    return IMPORT.findall(text) + DYNAMIC_IMPORT.findall(text)


def test_the_page_loads_local_files_only() -> None:
    page = explorer_html()
    assert "http" not in page
    parsed = _parse(page)
    assert parsed.urls == PAGE_URLS
    assert parsed.config == {"graphql": "/graphql", "graphiql": "/graphql"}
    for url in PAGE_URLS:
        if url.startswith("/static/"):
            assert (STATIC / url.removeprefix("/static/")).is_file(), url


def test_the_page_follows_the_root_path() -> None:
    parsed = _parse(explorer_html(root_path="/trials/"))
    assert parsed.urls == ["data:,", *(f"/trials{url}" for url in PAGE_URLS[1:])]
    assert parsed.config == {"graphql": "/trials/graphql", "graphiql": "/trials/graphql"}


def test_without_graphiql_the_page_does_not_offer_it() -> None:
    page = explorer_html(graphiql=False)
    parsed = _parse(page)
    assert "/graphql" not in parsed.urls
    assert 'id="open-graphiql"' not in page
    assert parsed.config == {"graphql": "/graphql", "graphiql": None}


@pytest.mark.parametrize("name", OWN_FILES)
def test_the_explorer_code_names_no_other_host(name: str) -> None:
    text = XML_NAMESPACES.sub("", (EXPLORER / name).read_text(encoding="utf-8"))
    assert not re.search(r"\b(https?|wss?):|//[\w.-]+\.[a-z]{2,}/", text)
    assert "url(" not in text  # no fonts or images fetched by the stylesheet
    for specifier in _imports(text):
        assert re.fullmatch(r"\./[a-z-]+\.js", specifier), specifier
        assert (EXPLORER / specifier).is_file(), specifier


def test_the_service_serves_the_page_and_every_file_it_loads(seed_server: LiveServer) -> None:
    with urllib.request.urlopen(f"{seed_server.url}/explore", timeout=10) as response:
        assert response.status == 200
        assert response.headers.get_content_type() == "text/html"
        page = response.read().decode()
    assert _parse(page).urls == PAGE_URLS
    # The page's files, then the modules they import, as a browser would follow them.
    to_fetch = [url for url in PAGE_URLS if url.startswith("/static/")]
    fetched = []
    while to_fetch:
        url = to_fetch.pop(0)
        with urllib.request.urlopen(f"{seed_server.url}{url}", timeout=10) as response:
            assert response.status == 200
            body = response.read()
            content_type = response.headers.get_content_type()
        assert body == (STATIC / url.removeprefix("/static/")).read_bytes()
        if url.endswith(".js"):
            # Module scripts run only when served with a JavaScript media type.
            assert content_type in ("text/javascript", "application/javascript"), url
            folder = url.rsplit("/", 1)[0]
            for specifier in _imports(body.decode()):
                module = f"{folder}/{specifier.removeprefix('./')}"
                if module not in fetched and module not in to_fetch:
                    to_fetch.append(module)
        else:
            assert content_type == "text/css"
        fetched.append(url)
    assert sorted(fetched) == sorted(
        [
            "/static/explorer/vendor/cytoscape.min.js",
            *(f"/static/explorer/{name}" for name in OWN_FILES),
        ]
    )
