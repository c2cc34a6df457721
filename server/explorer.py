"""The graph explorer page at ``/explore``: search, draw and walk the graph in a browser.

The page is static HTML around the ES modules of ``server/static/explorer`` and the cytoscape.js
that ``web/vendor.mjs`` copies from npm into ``server/static/explorer/vendor``: no CDN, no bundler.
It asks the service for nothing but what any frontend app may: GraphQL POSTs to ``/graphql``.
"""

from __future__ import annotations

import html
import json
from collections.abc import Awaitable, Callable
from string import Template

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

# The markup has no `$` but its placeholders, so Template fills only those.
PAGE = Template("""\
<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>TrialGraph explorer</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="$static/explorer.css">
  </head>
  <body>
    <header class="bar">
      <h1>TrialGraph explorer</h1>
      <form id="search-form" role="search">
        <input id="search-input" type="search" name="text" autocomplete="off" aria-label="Search the graph"
          placeholder="Search trials, conditions, sponsors, investigators, sites…">
        <button type="submit">Search</button>
      </form>
      <nav>$graphiql_nav</nav>
    </header>
    <div id="error" role="alert" hidden>
      <span id="error-text"></span>
      <button id="error-close" type="button" aria-label="Dismiss the error">×</button>
    </div>
    <main>
      <aside id="results" aria-label="Search results">
        <p class="hint">Search by name: a trial's NCT ID or title words, a condition, a sponsor, a person,
          a site, a country, an intervention. Pick a match to draw its neighborhood.</p>
      </aside>
      <section id="canvas-area" aria-label="The graph">
        <div class="toolbar">
          <button id="fit" type="button">Fit</button>
          <button id="clear" type="button">Clear</button>
          <button id="download-graphml" type="button">Download GraphML</button>
          <button id="download-png" type="button">Download PNG</button>
          $graphiql_link
          <span id="status" role="status" aria-live="polite"></span>
        </div>
        <div id="graph"></div>
        <ul id="legend" aria-label="Legend: node colours by kind"></ul>
      </section>
      <aside id="side">
        <section id="details" aria-label="The chosen node" aria-live="polite"></section>
        <section id="path" aria-label="Shortest path"></section>
      </aside>
    </main>
    <script id="explorer-config" type="application/json">$config</script>
    <script src="$static/vendor/cytoscape.min.js"></script>
    <script type="module" src="$static/main.js"></script>
  </body>
</html>
""")


def explorer_html(root_path: str = "", graphiql: bool = True) -> str:
    """The page, its files and endpoints below the service's root path; without GraphiQL links if off."""
    root = root_path.rstrip("/")
    config = {"graphql": f"{root}/graphql", "graphiql": f"{root}/graphql" if graphiql else None}
    graphiql_url = html.escape(f"{root}/graphql")
    return PAGE.substitute(
        static=html.escape(f"{root}/static/explorer"),
        # JSON inside <script>: escaping `<` keeps `</script>` in the data from ending it.
        config=json.dumps(config).replace("<", "\\u003c"),
        graphiql_nav=f'<a href="{graphiql_url}">GraphiQL</a>' if graphiql else "",
        graphiql_link=(
            '<a id="open-graphiql" target="_blank" rel="noopener" aria-disabled="true">Open in GraphiQL</a>'
            if graphiql
            else ""
        ),
    )


def explorer_page(graphiql: bool = True) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint serving the page; ``graphiql`` says whether ``/graphql`` serves GraphiQL."""

    async def explore(request: Request) -> Response:
        return HTMLResponse(explorer_html(request.scope.get("root_path", ""), graphiql))

    return explore
