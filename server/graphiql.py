"""The GraphiQL page: the vendored GraphiQL of ``server/static/graphiql``, opened on the loaded data.

Every file the page loads is served by this service (``web/vendor.mjs`` copies them from npm), so
it works offline: no CDN, no web fonts (GraphiQL's CSS embeds its own), no favicon fetch.

The page opens on the query in its URL's fragment when there is one
(``/graphql#query=...&variables=...``, which the graph explorer links to), else on the first trial's
card. A fragment, because a ``query`` parameter would make the GET an operation for the endpoint
to execute (GraphQL over HTTP), not a request for the page. Its "Examples" panel offers the
curated queries of :func:`server.examples.curated_examples`.
"""

from __future__ import annotations

import html
import json
from string import Template

from graph.build.loading import TrialGraph
from server.examples import curated_examples, example_operation

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
      .trialgraph-examples { display: flex; flex-direction: column; gap: 8px; }
      .trialgraph-examples ul { margin: 0; padding: 0; list-style: none; }
      .trialgraph-example {
        display: block; width: 100%; margin: 0 0 6px; padding: 6px 8px; text-align: left; cursor: pointer;
        border: 1px solid hsla(var(--color-neutral), var(--alpha-background-heavy));
        border-radius: var(--border-radius-4); background: none; color: inherit; font: inherit;
      }
      .trialgraph-example:hover { background: hsla(var(--color-neutral), var(--alpha-background-light)); }
      .trialgraph-example strong { display: block; }
      .trialgraph-example span { display: block; font-size: var(--font-size-hint);
        color: hsla(var(--color-neutral), var(--alpha-secondary)); }
    </style>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script src="$static/react.production.min.js"></script>
    <script src="$static/react-dom.production.min.js"></script>
    <script src="$static/graphiql.min.js"></script>
    <script src="$static/plugin-explorer.umd.js"></script>
    <script id="graphiql-example" type="application/json">$example</script>
    <script id="graphiql-examples" type="application/json">$examples</script>
    <script>
      const h = React.createElement;
      const example = JSON.parse(document.getElementById("graphiql-example").textContent);
      const examples = JSON.parse(document.getElementById("graphiql-examples").textContent);
      // A query handed over in the fragment (the graph explorer's "Open in GraphiQL") wins.
      const handed = new URLSearchParams(window.location.hash.slice(1));
      const opening = handed.get("query")
        ? { query: handed.get("query"), variables: handed.get("variables") || undefined }
        : example;

      function ExamplesIcon(props) {
        return h("svg", { ...props, viewBox: "0 0 24 24", fill: "none", stroke: "currentColor",
          strokeWidth: 1.5, height: "1em" },
          h("path", { d: "M8 6h12M8 12h12M8 18h12M4 6h.01M4 12h.01M4 18h.01", strokeLinecap: "round" }));
      }
      function ExamplesPanel() {
        const editors = GraphiQL.React.useEditorContext({ nonNull: true });
        const open = (chosen) => {
          editors.queryEditor?.setValue(chosen.query);
          editors.variableEditor?.setValue(chosen.variables ?? "");
        };
        return h("div", { className: "trialgraph-examples" },
          h("div", { className: "graphiql-doc-explorer-title" }, "Examples"),
          h("p", null, "Questions about the loaded data. Pick one to put it in the editor, then run it."),
          h("ul", null, examples.map((chosen) => h("li", { key: chosen.title },
            h("button", { type: "button", className: "trialgraph-example", onClick: () => open(chosen) },
              h("strong", null, chosen.title), h("span", null, chosen.description))))));
      }
      const examplesPlugin = { title: "Examples", icon: ExamplesIcon, content: ExamplesPanel };

      // POST to this page's own URL; no subscription URL, so GraphiQL never opens a WebSocket.
      const fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
      ReactDOM.createRoot(document.getElementById("graphiql")).render(
        h(GraphiQL, {
          fetcher: fetcher,
          query: opening.query,
          variables: opening.variables,
          defaultEditorToolsVisibility: "variables",
          plugins: [examplesPlugin, GraphiQLPluginExplorer.explorerPlugin()],
          visiblePlugin: handed.get("query") ? null : examplesPlugin, // room for a handed query
          inputValueDeprecation: true,
        }),
      );
    </script>
  </body>
</html>
""")


def _json_script(value: object) -> str:
    # JSON inside <script>: escaping `<` keeps `</script>` or `<!--` in the data from ending it.
    return json.dumps(value).replace("<", "\\u003c")


def graphiql_html(trial_graph: TrialGraph, root_path: str = "") -> str:
    """The GraphiQL page, loading its files from ``/static/graphiql`` below the service's root path."""
    examples = [
        {
            "title": example.title,
            "description": example.description,
            "query": example.query,
            "variables": json.dumps(example.variables, indent=2) if example.variables is not None else None,
        }
        for example in curated_examples(trial_graph)
    ]
    return PAGE.substitute(
        static=html.escape(f"{root_path.rstrip('/')}/static/graphiql"),
        example=_json_script(example_operation(trial_graph)),
        examples=_json_script(examples),
    )
