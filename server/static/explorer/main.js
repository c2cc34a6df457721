// The graph explorer: search, draw neighborhoods, show properties, find paths, download the view.
// Every answer comes from the service's public GraphQL endpoint; cytoscape.js draws them.
import {
  addAnswer,
  createDrawing,
  graphmlOf,
  highlightPath,
  markAnonymized,
  pngOf,
  runLayout,
} from "./drawing.js";
import { RequestError, request } from "./graphql.js";
import { KINDS, KIND_ORDER, kindColor } from "./kinds.js";
import {
  ANONYMIZED,
  ANONYMIZED_PAGE,
  HOW_CONNECTED,
  NEIGHBORHOOD,
  NODE_DETAILS,
  SEARCH,
  nodeProperties,
  viewOperation,
} from "./queries.js";

const config = JSON.parse(document.getElementById("explorer-config").textContent);
const SEARCH_PAGE = 50;

const $ = (selector) => document.querySelector(selector);
const elements = {
  form: $("#search-form"),
  input: $("#search-input"),
  results: $("#results"),
  graph: $("#graph"),
  legend: $("#legend"),
  status: $("#status"),
  error: $("#error"),
  errorText: $("#error-text"),
  details: $("#details"),
  path: $("#path"),
  fit: $("#fit"),
  clear: $("#clear"),
  graphml: $("#download-graphml"),
  png: $("#download-png"),
  graphiql: $("#open-graphiql"),
};

const state = {
  steps: [], // what drew the view, in order: {kind: "neighborhood", id} or {kind: "path", from, to}
  details: new Map(), // node id -> its properties, flattened, as NodeDetails loaded them
  selected: null,
  pathFrom: null,
  pathTo: null,
  path: null, // the last HowConnected answer
  labels: new Map(), // node id -> name, of search matches that may not be drawn yet
  detailsRequest: 0,
};

const cy = createDrawing(elements.graph);
// A handle for the browser console and the end-to-end tests: the drawing and what drew it.
window.explorer = { cy, state };

// ---- messages

function showError(error) {
  const message =
    error instanceof RequestError ? error.message : `Unexpected error: ${error.message ?? error}`;
  elements.errorText.textContent = message;
  elements.error.hidden = false;
}

function clearError() {
  elements.error.hidden = true;
  elements.errorText.textContent = "";
}

function setStatus(text) {
  elements.status.textContent = text;
}

async function busy(what, work) {
  clearError();
  elements.graph.setAttribute("aria-busy", "true");
  setStatus(`${what}…`);
  try {
    return await work();
  } catch (error) {
    showError(error);
    return undefined;
  } finally {
    elements.graph.removeAttribute("aria-busy");
    describeView();
  }
}

// ---- search

async function search(text) {
  const data = await request(config.graphql, SEARCH, { text, first: SEARCH_PAGE }, "Search");
  renderResults(text, data.search);
}

function resultText(node) {
  switch (node.__typename) {
    case "Trial":
      return [node.nctId, node.title];
    case "Site": {
      // An anonymised site is told apart from the others of its name and city by its postal code.
      const place = node.anonymized ? [node.city, node.country, node.zip, "anonymised"] : [node.city, node.country];
      return [node.facility ?? "unnamed site", place.filter(Boolean).join(", ")];
    }
    case "Arm":
      return [node.label, node.trial?.nctId];
    case "Intervention":
      return [node.name, node.type];
    case "MeshTerm":
      return [node.name, node.meshId];
    default:
      return [node.name, null];
  }
}

function renderResults(text, answer) {
  elements.results.replaceChildren();
  const heading = document.createElement("p");
  heading.className = "results-count";
  const shown = answer.nodes.length;
  heading.textContent =
    answer.totalCount === 0
      ? `Nothing matches “${text}”.`
      : `${answer.totalCount} match${answer.totalCount === 1 ? "" : "es"} for “${text}”` +
        (shown < answer.totalCount ? `, the first ${shown} shown` : "");
  elements.results.append(heading);
  const byKind = new Map();
  for (const node of answer.nodes) {
    if (!byKind.has(node.__typename)) byKind.set(node.__typename, []);
    byKind.get(node.__typename).push(node);
  }
  const kinds = [...byKind.keys()].sort((a, b) => (KIND_ORDER.get(a) ?? 99) - (KIND_ORDER.get(b) ?? 99));
  for (const kind of kinds) {
    const group = document.createElement("section");
    group.className = "result-group";
    group.dataset.kind = kind;
    const title = document.createElement("h3");
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = kindColor(kind);
    title.append(swatch, `${kind} (${byKind.get(kind).length})`);
    const list = document.createElement("ul");
    for (const node of byKind.get(kind)) {
      const [primary, secondary] = resultText(node);
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "result";
      button.dataset.id = node.id;
      const name = document.createElement("span");
      name.className = "result-name";
      name.textContent = primary ?? node.id;
      button.append(name);
      if (secondary) {
        const more = document.createElement("span");
        more.className = "result-more";
        more.textContent = secondary;
        button.append(more);
      }
      button.addEventListener("click", () => pick(node.id));
      const toPath = document.createElement("button");
      toPath.type = "button";
      toPath.className = "result-path";
      toPath.textContent = "Path";
      toPath.title = "The shortest path from the chosen node to this one";
      toPath.setAttribute("aria-label", `Shortest path from the chosen node to ${primary ?? node.id} (${kind})`);
      toPath.addEventListener("click", () => pathToMatch(node.id));
      state.labels.set(node.id, primary ?? node.id);
      item.append(button, toPath);
      list.append(item);
    }
    group.append(title, list);
    elements.results.append(group);
  }
}

// ---- the view

function describeView() {
  const nodes = cy.nodes().length;
  const edges = cy.edges().length;
  setStatus(nodes === 0 ? "Search, then pick a match to draw it." : `${nodes} nodes · ${edges} edges`);
  const empty = nodes === 0;
  elements.graphml.disabled = empty;
  elements.png.disabled = empty;
  elements.fit.disabled = empty;
  elements.clear.disabled = empty;
  if (elements.graphiql) {
    if (empty) {
      elements.graphiql.removeAttribute("href");
      elements.graphiql.setAttribute("aria-disabled", "true");
    } else {
      const { query, variables } = viewOperation(state.steps);
      const fragment = new URLSearchParams({ query, variables: JSON.stringify(variables, null, 2) });
      elements.graphiql.href = `${config.graphiql}#${fragment}`;
      elements.graphiql.removeAttribute("aria-disabled");
    }
  }
  renderLegend();
}

function renderLegend() {
  const items = KINDS.map(({ kind, color }) => {
    const item = document.createElement("li");
    item.dataset.kind = kind;
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = color;
    const count = cy.nodes(`[kind = "${kind}"]`).length;
    item.append(swatch, count ? `${kind} ${count}` : kind);
    item.classList.toggle("absent", count === 0);
    return item;
  });
  // Anonymised sites are drawn hollow and dashed: a placeholder, not a place.
  const placeholder = document.createElement("li");
  placeholder.dataset.kind = "anonymized";
  const swatch = document.createElement("span");
  swatch.className = "swatch anonymized";
  swatch.style.borderColor = kindColor("Site");
  const count = cy.nodes(".anonymized").length;
  placeholder.append(swatch, count ? `anonymised Site ${count}` : "anonymised Site");
  placeholder.classList.toggle("absent", count === 0);
  items.splice(KIND_ORDER.get("Site") + 1, 0, placeholder);
  elements.legend.replaceChildren(...items);
}

// ---- steps: what the user does

/** Ask which of the drawn sites are anonymised (those not known yet) and mark them in the drawing;
 * a failed request is shown, and the drawing goes on without the marks. */
async function findAnonymized() {
  const unknown = cy
    .nodes('[kind = "Site"]')
    .filter((node) => node.data("anonymized") === undefined)
    .map((node) => node.id());
  const pages = [];
  for (let at = 0; at < unknown.length; at += ANONYMIZED_PAGE) {
    pages.push(unknown.slice(at, at + ANONYMIZED_PAGE));
  }
  try {
    const answers = await Promise.all(
      pages.map((ids) => request(config.graphql, ANONYMIZED, { ids }, "Anonymized")),
    );
    for (const answer of answers) {
      for (const site of answer.nodes) if (site?.id) markAnonymized(cy, site.id, site.anonymized);
    }
  } catch (error) {
    showError(error);
  }
}

async function neighborhood(id) {
  const data = await request(config.graphql, NEIGHBORHOOD, { id, hops: 1 }, "Neighborhood");
  if (!data.neighborhood) throw new RequestError(`No node has the id ${id}.`);
  return data.neighborhood;
}

/** Draw a search match's neighborhood in a new view. */
function pick(id) {
  return busy("Drawing the neighborhood", async () => {
    const answer = await neighborhood(id);
    cy.elements().remove();
    Object.assign(state, { steps: [], selected: null, pathFrom: null, pathTo: null, path: null });
    addAnswer(cy, answer, id);
    state.steps.push({ kind: "neighborhood", id });
    cy.getElementById(id).addClass("center");
    await findAnonymized();
    runLayout(cy);
    renderPath();
    await select(id);
  });
}

/** Add a node's neighborhood to the view. */
function expand(id) {
  if (state.steps.some((step) => step.kind === "neighborhood" && step.id === id)) {
    setStatus("That neighborhood is drawn already.");
    return Promise.resolve();
  }
  return busy("Expanding", async () => {
    const answer = await neighborhood(id);
    const added = addAnswer(cy, answer, id);
    state.steps.push({ kind: "neighborhood", id });
    cy.getElementById(id).addClass("center");
    await findAnonymized();
    runLayout(cy);
    renderDetails();
    return added;
  });
}

async function select(id) {
  state.selected = id;
  cy.nodes().removeClass("chosen");
  cy.getElementById(id).addClass("chosen");
  renderDetails();
  if (state.details.has(id)) return;
  const ticket = ++state.detailsRequest;
  try {
    const data = await request(config.graphql, NODE_DETAILS, { id }, "NodeDetails");
    if (!data.node) throw new RequestError(`No node has the id ${id}.`);
    state.details.set(id, nodeProperties(data.node));
    if (data.node.__typename === "Site") markAnonymized(cy, id, data.node.anonymized);
  } catch (error) {
    showError(error);
  }
  if (ticket === state.detailsRequest) renderDetails();
}

function setPathEnd(end, id) {
  if (end === "from") state.pathFrom = id;
  else state.pathTo = id;
  renderPath();
  if (state.pathFrom && state.pathTo && state.pathFrom !== state.pathTo) return findPath();
  return Promise.resolve();
}

/** The shortest path from the chosen node to a search match, drawn into the view. */
function pathToMatch(id) {
  if (!state.selected || cy.getElementById(state.selected).empty()) {
    showError(new RequestError("Choose a node in the view first: the path starts there."));
    return Promise.resolve();
  }
  Object.assign(state, { pathFrom: state.selected, pathTo: null, path: null });
  return setPathEnd("to", id);
}

function findPath() {
  const from = state.pathFrom;
  const to = state.pathTo;
  return busy("Finding the shortest path", async () => {
    cy.elements().removeClass("path path-end");
    const data = await request(config.graphql, HOW_CONNECTED, { from, to }, "HowConnected");
    state.path = data.shortestPath ? { ...data.shortestPath, from, to } : { from, to, nodes: null };
    if (data.shortestPath) {
      const added = addAnswer(cy, data.shortestPath, from);
      if (!state.steps.some((step) => step.kind === "path" && step.from === from && step.to === to)) {
        state.steps.push({ kind: "path", from, to });
      }
      highlightPath(cy, state.path);
      if (added.nodes) {
        await findAnonymized();
        runLayout(cy);
      }
    }
    renderPath();
  });
}

// ---- the side panel

function labelOf(id) {
  const node = cy.getElementById(id);
  return node.nonempty() ? node.data("label") : (state.labels.get(id) ?? id);
}

function button(text, id, onClick) {
  const element = document.createElement("button");
  element.type = "button";
  element.id = id;
  element.textContent = text;
  element.addEventListener("click", onClick);
  return element;
}

function renderDetails() {
  const id = state.selected;
  const panel = elements.details;
  panel.replaceChildren();
  if (!id || cy.getElementById(id).empty()) {
    const hint = document.createElement("p");
    hint.className = "hint";
    hint.textContent =
      "Click a node to see its properties. Double-click a node to add its neighborhood; " +
      "shift-click two nodes to find the shortest path between them.";
    panel.append(hint);
    return;
  }
  const node = cy.getElementById(id);
  const kind = node.data("kind");
  const heading = document.createElement("h2");
  heading.id = "details-title";
  heading.textContent = node.data("label");
  const badge = document.createElement("p");
  badge.className = "kind-badge";
  const swatch = document.createElement("span");
  swatch.className = "swatch";
  swatch.style.background = kindColor(kind);
  badge.append(swatch, kind);
  const code = document.createElement("code");
  code.className = "node-id";
  code.textContent = id;
  badge.append(" ", code);
  const actions = document.createElement("div");
  actions.className = "actions";
  const expandButton = button("Expand", "expand", () => expand(id));
  expandButton.disabled = state.steps.some((step) => step.kind === "neighborhood" && step.id === id);
  actions.append(
    expandButton,
    button("Path from here", "path-from", () => setPathEnd("from", id)),
    button("Path to here", "path-to", () => setPathEnd("to", id)),
  );
  panel.append(heading, badge);
  if (node.data("anonymized")) {
    const note = document.createElement("p");
    note.id = "anonymized-note";
    note.className = "placeholder-note";
    note.textContent =
      `An anonymised site: “${node.data("label")}” is the sponsor's placeholder, not the name of a ` +
      "place. It is one site only with the listings of the same name, city, country and postal code; " +
      "a listing without a postal code is a site of its own.";
    panel.append(note);
  }
  panel.append(actions);
  const properties = state.details.get(id);
  if (!properties) {
    const loading = document.createElement("p");
    loading.className = "hint";
    loading.textContent = "Loading properties…";
    panel.append(loading);
    return;
  }
  const list = document.createElement("dl");
  list.id = "properties";
  for (const [name, value] of Object.entries(properties)) {
    const term = document.createElement("dt");
    term.textContent = name;
    const description = document.createElement("dd");
    description.textContent = typeof value === "string" ? value.split("\n").join(", ") : String(value);
    description.dataset.property = name;
    list.append(term, description);
  }
  panel.append(list);
}

function renderPath() {
  const panel = elements.path;
  panel.replaceChildren();
  const title = document.createElement("h2");
  title.textContent = "Shortest path";
  const ends = document.createElement("p");
  ends.className = "path-ends";
  ends.textContent =
    `From: ${state.pathFrom ? labelOf(state.pathFrom) : "—"} · ` +
    `To: ${state.pathTo ? labelOf(state.pathTo) : "—"}`;
  panel.append(title, ends);
  const path = state.path;
  if (path && path.from === state.pathFrom && path.to === state.pathTo) {
    if (!path.nodes) {
      const none = document.createElement("p");
      none.id = "path-result";
      none.textContent = "No path joins these two nodes.";
      panel.append(none);
    } else {
      const length = document.createElement("p");
      length.id = "path-result";
      length.textContent = `${path.length} edge${path.length === 1 ? "" : "s"}:`;
      const steps = document.createElement("ol");
      steps.id = "path-steps";
      path.nodes.forEach((node, position) => {
        const item = document.createElement("li");
        item.dataset.id = node.id;
        const swatch = document.createElement("span");
        swatch.className = "swatch";
        swatch.style.background = kindColor(node.kind);
        item.append(swatch, node.label);
        if (position < path.edges.length) {
          const via = document.createElement("span");
          via.className = "via";
          via.textContent = ` — ${path.edges[position].type}`;
          item.append(via);
        }
        steps.append(item);
      });
      panel.append(length, steps);
    }
  }
  if (state.pathFrom || state.pathTo) {
    panel.append(
      button("Clear path", "clear-path", () => {
        Object.assign(state, { pathFrom: null, pathTo: null, path: null });
        cy.elements().removeClass("path path-end");
        renderPath();
      }),
    );
  } else {
    const hint = document.createElement("p");
    hint.className = "hint";
    hint.textContent =
      "Pick two nodes with “Path from here” and “Path to here”, or shift-click them; " +
      "or choose a node, then “Path” beside a search match.";
    panel.append(hint);
  }
}

// ---- downloads

function save(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// ---- wiring

elements.form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = elements.input.value.trim();
  if (!text) {
    showError(new RequestError("Type a name to search for."));
    return;
  }
  busy("Searching", () => search(text));
});
$("#error-close").addEventListener("click", clearError);
elements.fit.addEventListener("click", () => cy.fit(undefined, 40));
elements.clear.addEventListener("click", () => {
  cy.elements().remove();
  Object.assign(state, { steps: [], selected: null, pathFrom: null, pathTo: null, path: null });
  renderDetails();
  renderPath();
  describeView();
});
elements.graphml.addEventListener("click", () => {
  const graphml = new Blob([graphmlOf(cy, state.details)], { type: "application/graphml+xml" });
  save(graphml, "trialgraph-view.graphml");
});
elements.png.addEventListener("click", () => save(pngOf(cy), "trialgraph-view.png"));

// cytoscape calls any two clicks in quick succession a double-click, even on two nodes: a
// double-click expands only if both clicks were on the same node.
const taps = { previous: null, last: null };
cy.on("tap", (event) => {
  taps.previous = taps.last;
  taps.last = event.target === cy ? null : event.target.id();
});
cy.on("tap", "node", (event) => {
  const id = event.target.id();
  if (event.originalEvent?.shiftKey) {
    // shift-click: the first pick is where the path starts, the second where it ends
    const end = !state.pathFrom || (state.pathFrom && state.pathTo) ? "from" : "to";
    if (end === "from") Object.assign(state, { pathTo: null, path: null });
    setPathEnd(end, id);
    return;
  }
  select(id);
});
cy.on("dbltap", "node", (event) => {
  const id = event.target.id();
  if (!event.originalEvent?.shiftKey && taps.previous === id) expand(id);
});

renderDetails();
renderPath();
describeView();
