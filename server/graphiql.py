"""The GraphiQL page: the vendored GraphiQL of ``server/static/graphiql``, opened on the loaded data.

Every file the page loads is served by this service (``web/vendor-graphiql.mjs`` copies them from
npm), so it works offline: no CDN, no web fonts (GraphiQL's CSS embeds its own), no favicon fetch.
"""

from __future__ import annotations

import html
import json
from string import Template
from typing import Any

from graph.model import NodeKind
from graph.trialgraph import TrialGraph

TRIAL_CARD_QUERY = """\
query TrialCard($nctId: String!) {
  trial(nctId: $nctId) {
    nctId
    title
    status
    phases
    sponsors {
      edges {
        role
        node {
          name
        }
      }
    }
    sites(first: 5) {
      totalCount
      edges {
        status
        node {
          name
          city
          country
        }
      }
    }
  }
}
"""

# For a graph without trials: a query that still answers, and says so.
TRIALS_QUERY = """\
query Trials {
  trials(first: 5) {
    totalCount
    edges {
      node {
        nctId
        title
        status
      }
    }
  }
}
"""

# The page's own script has no `$`, so Template only fills the three placeholders. The explorer
# plugin must load after graphiql.min.js: it reads React and GraphQL from the GraphiQL global.
PAGE = Template("""\
<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>TrialGraph GraphiQL</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="$static/graphiql.min.css">
    <link rel="stylesheet" href="$static/plugin-explorer.css">
    <style>
      body { margin: 0; height: 100vh; overflow: hidden; }
      #graphiql { height: 100vh; }
    </style>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script src="$static/react.production.min.js"></script>
    <script src="$static/react-dom.production.min.js"></script>
    <script src="$static/graphiql.min.js"></script>
    <script src="$static/plugin-explorer.umd.js"></script>
    <script id="graphiql-example" type="application/json">$example</script>
    <script>
      const example = JSON.parse(document.getElementById("graphiql-example").textContent);
      // POST to this page's own URL; no subscription URL, so GraphiQL never opens a WebSocket.
      const fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
      ReactDOM.createRoot(document.getElementById("graphiql")).render(
        React.createElement(GraphiQL, {
          fetcher: fetcher,
          query: example.query,
          variables: example.variables,
          defaultEditorToolsVisibility: "variables",
          plugins: [GraphiQLPluginExplorer.explorerPlugin()],
          inputValueDeprecation: true,
        }),
      );
    </script>
  </body>
</html>
""")


def example_operation(trial_graph: TrialGraph) -> dict[str, Any]:
    """The query GraphiQL opens with: the first trial's card, or the trial list if there is none."""
    trial_ids = trial_graph.index.nodes_by_kind.get(NodeKind.TRIAL.value, [])
    if not trial_ids:
        return {"query": TRIALS_QUERY, "variables": None}
    nct_id = trial_graph.graph.nodes[trial_ids[0]]["nctId"]
    return {"query": TRIAL_CARD_QUERY, "variables": json.dumps({"nctId": nct_id}, indent=2)}


def graphiql_html(trial_graph: TrialGraph, root_path: str = "") -> str:
    """The GraphiQL page, loading its files from ``/static/graphiql`` below the service's root path."""
    # JSON inside <script>: escaping `<` keeps `</script>` or `<!--` in the data from ending it.
    example = json.dumps(example_operation(trial_graph)).replace("<", "\\u003c")
    return PAGE.substitute(static=html.escape(f"{root_path.rstrip('/')}/static/graphiql"), example=example)
