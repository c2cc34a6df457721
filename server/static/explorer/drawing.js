// The drawing: cytoscape.js styled by kind, answers merged into it, laid out, exported.
import { KINDS, kindColor } from "./kinds.js";
import { toGraphML } from "./graphml.js";

const COSE_LIMIT = 250; // above this many nodes, a force-directed layout takes too long
const FLOAT_PROPERTIES = new Set(["latitude", "longitude"]);

/** A cytoscape.js drawing in `container`, nodes coloured and shaped by kind (cytoscape.min.js is
 * loaded as a classic script before the modules, as the global `cytoscape`). */
export function createDrawing(container) {
  return cytoscape({
    container,
    autounselectify: true, // the explorer marks the chosen node itself
    boxSelectionEnabled: false,
    minZoom: 0.05,
    maxZoom: 4,
    style: [
      {
        selector: "node",
        style: {
          label: "data(label)",
          width: 24,
          height: 24,
          "font-size": 10,
          color: "#1d232b",
          "text-valign": "bottom",
          "text-margin-y": 3,
          "text-wrap": "ellipsis",
          "text-max-width": 130,
          "text-outline-color": "#ffffff",
          "text-outline-width": 2,
          "min-zoomed-font-size": 7,
          "border-width": 1,
          "border-color": "#ffffff",
        },
      },
      ...KINDS.map(({ kind, color, shape }) => ({
        selector: `node[kind = "${kind}"]`,
        style: { "background-color": color, shape },
      })),
      {
        selector: "edge",
        style: {
          width: 1.5,
          "curve-style": "bezier",
          "line-color": "#b4bcc8",
          "target-arrow-color": "#b4bcc8",
          "target-arrow-shape": "triangle",
          "arrow-scale": 0.8,
          label: "data(type)",
          "font-size": 7,
          color: "#5b6572",
          "text-rotation": "autorotate",
          "text-background-color": "#ffffff",
          "text-background-opacity": 0.85,
          "text-background-padding": 1,
          "min-zoomed-font-size": 9,
        },
      },
      {
        // An anonymised site stands for a sponsor's site, not a place: hollow, dashed, its label marked.
        selector: "node.anonymized",
        style: {
          "background-opacity": 0,
          "border-width": 2,
          "border-style": "dashed",
          "border-color": kindColor("Site"),
          label: "data(marked)",
          "font-style": "italic",
          "text-max-width": 180,
        },
      },
      { selector: "node.center", style: { width: 34, height: 34, "font-weight": "bold" } },
      { selector: "node.chosen", style: { "border-width": 4, "border-color": "#11181f" } },
      { selector: "node.path", style: { "border-width": 4, "border-color": "#f2b705", "z-index": 10 } },
      { selector: "node.path-end", style: { "border-width": 6 } },
      {
        selector: "edge.path",
        style: {
          width: 5,
          "line-color": "#f2b705",
          "target-arrow-color": "#f2b705",
          color: "#11181f",
          "z-index": 10,
        },
      },
    ],
  });
}

// Parallel edges of one type between two nodes are numbered in answer order; every answer that
// holds both ends holds all of them, in the same order, so the numbers agree across answers.
export function edgeIds(edges) {
  const seen = new Map();
  return edges.map((edge) => {
    const base = `${edge.source}|${edge.type}|${edge.target}`;
    const occurrence = seen.get(base) ?? 0;
    seen.set(base, occurrence + 1);
    return `${base}|${occurrence}`;
  });
}

/** Add an answer's nodes and edges that the view lacks, new nodes placed around `anchor`. */
export function addAnswer(cy, answer, anchor) {
  const fresh = answer.nodes.filter((node) => cy.getElementById(node.id).empty());
  const around = cy.getElementById(anchor);
  const origin = around.nonempty() ? around.position() : { x: 0, y: 0 };
  const radius = 60 + 8 * Math.sqrt(fresh.length);
  const added = cy.add(
    fresh.map((node, position) => {
      const angle = (2 * Math.PI * position) / Math.max(fresh.length, 1);
      return {
        group: "nodes",
        data: { id: node.id, kind: node.kind, label: node.label },
        position:
          node.id === anchor && around.empty()
            ? { x: 0, y: 0 }
            : { x: origin.x + radius * Math.cos(angle), y: origin.y + radius * Math.sin(angle) },
      };
    }),
  );
  const ids = edgeIds(answer.edges);
  const freshEdges = answer.edges
    .map((edge, position) => ({ edge, id: ids[position] }))
    .filter(({ id }) => cy.getElementById(id).empty());
  cy.add(
    freshEdges.map(({ edge, id }) => ({
      group: "edges",
      data: { id, source: edge.source, target: edge.target, type: edge.type },
    })),
  );
  return { nodes: added.length, edges: freshEdges.length };
}

export const ANONYMIZED_MARK = " (anonymised)";

/** Say whether a drawn site is anonymised; one that is gets the placeholder style and a marked label. */
export function markAnonymized(cy, id, anonymized) {
  const node = cy.getElementById(id);
  if (node.empty()) return;
  node.data("anonymized", anonymized);
  if (anonymized) {
    node.data("marked", `${node.data("label")}${ANONYMIZED_MARK}`);
    node.addClass("anonymized");
  } else {
    node.removeClass("anonymized");
  }
}

export function runLayout(cy) {
  const count = cy.nodes().length;
  // Big views: rings around the best-connected nodes, each ring holding 8 more nodes than the one
  // inside it, so that hundreds of sites of one trial make a disc rather than one huge circle.
  const rings = new Map();
  if (count > COSE_LIMIT) {
    const ranked = cy.nodes().sort((a, b) => b.degree() - a.degree() || (a.id() < b.id() ? -1 : 1));
    let ring = 0;
    let room = 1;
    ranked.forEach((node) => {
      if (room === 0) {
        ring += 1;
        room = 8 * ring;
      }
      rings.set(node.id(), ring);
      room -= 1;
    });
  }
  const options =
    count <= COSE_LIMIT
      ? {
          name: "cose",
          animate: false,
          randomize: false,
          fit: true,
          padding: 40,
          nodeDimensionsIncludeLabels: true,
          // Starting from where the nodes are (new ones around the node that brought them), with
          // strong repulsion and gravity: what was drawn stays roughly in place, and no node hides another.
          idealEdgeLength: () => 100,
          edgeElasticity: () => 100,
          nodeRepulsion: () => 400000,
          nodeOverlap: 20,
          gravity: 80,
          numIter: 2000,
          componentSpacing: 80,
        }
      : {
          name: "concentric",
          animate: false,
          fit: true,
          padding: 30,
          minNodeSpacing: 12,
          concentric: (node) => -rings.get(node.id()),
          levelWidth: () => 1,
        };
  cy.layout(options).run();
}

/** Mark a HowConnected answer (with its `from` and `to`) in the drawing; none with null. */
export function highlightPath(cy, path) {
  cy.elements().removeClass("path path-end");
  if (!path || !path.nodes) return;
  for (const node of path.nodes) cy.getElementById(node.id).addClass("path");
  for (const id of edgeIds(path.edges)) cy.getElementById(id).addClass("path");
  cy.getElementById(path.from).addClass("path-end");
  cy.getElementById(path.to).addClass("path-end");
}

/** GraphML of the drawing: every node with its kind, label and the properties loaded for it (a site's
 * `anonymized` as soon as it is known). */
export function graphmlOf(cy, propertiesById) {
  const nodes = cy.nodes().map((node) => ({
    id: node.id(),
    kind: node.data("kind"),
    label: node.data("label"),
    properties:
      node.data("anonymized") === undefined
        ? propertiesById.get(node.id())
        : { anonymized: node.data("anonymized"), ...propertiesById.get(node.id()) },
  }));
  const edges = cy.edges().map((edge) => ({
    source: edge.data("source"),
    target: edge.data("target"),
    type: edge.data("type"),
  }));
  return toGraphML(nodes, edges, { floatNames: FLOAT_PROPERTIES });
}

/** The whole drawing as a PNG: twice its size, unless that passes 4096 pixels a side (canvases have
 * limits). */
export function pngOf(cy) {
  const { w, h } = cy.elements().boundingBox();
  const scale = Math.min(2, 4096 / Math.max(w, h, 1));
  return cy.png({ output: "blob", full: true, scale, bg: "#ffffff" });
}
