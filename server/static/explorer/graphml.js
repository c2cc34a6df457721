// GraphML 1.1 of the view, made in the browser: declared keys, escaped XML, unique ids.

// Ids and attribute names are XML NMTOKENs in the GraphML schema. Node ids are `Kind:key`, which
// fit; any other id is written as n0, n1 ... (edges follow the same map).
const NMTOKEN = /^[A-Za-z0-9._:-]+$/;
// Characters XML 1.0 cannot hold at all, even escaped.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

export function escapeXml(value) {
  return String(value)
    .replace(NOT_XML, "")
    .replace(/[&<>"']/g, (character) => ENTITIES[character]);
}

// GraphML's attr.type of a property, from every value it has in the file.
function attributeType(values, floats) {
  if (values.every((value) => typeof value === "boolean")) return "boolean";
  if (values.every((value) => typeof value === "number")) {
    return !floats && values.every(Number.isInteger) ? "long" : "double";
  }
  return "string";
}

function declareKeys(domain, items, prefix, floatNames) {
  const valuesByName = new Map();
  for (const item of items) {
    for (const [name, value] of Object.entries(item)) {
      if (value === null || value === undefined || !NMTOKEN.test(name)) continue;
      if (!valuesByName.has(name)) valuesByName.set(name, []);
      valuesByName.get(name).push(value);
    }
  }
  return [...valuesByName.keys()].map((name, position) => ({
    id: `${prefix}${position}`,
    domain,
    name,
    type: attributeType(valuesByName.get(name), floatNames.has(name)),
  }));
}

function dataLines(keys, item, indent) {
  return keys
    .filter((key) => item[key.name] !== null && item[key.name] !== undefined)
    .map((key) => {
      const value = item[key.name];
      const text = key.type === "string" && typeof value !== "string" ? String(value) : value;
      return `${indent}<data key="${key.id}">${escapeXml(text)}</data>`;
    });
}

/**
 * A GraphML document of a directed multigraph.
 *
 * nodes: [{id, kind, label, properties: {name: string | number | boolean}}]
 * edges: [{source, target, type}] between those nodes; parallel edges are kept, each its own id.
 * floatNames: property names that are floating-point even where a value is a whole number.
 */
export function toGraphML(nodes, edges, { floatNames = new Set(), graphId = "trialgraph" } = {}) {
  const xmlIds = new Map();
  nodes.forEach((node, position) => {
    xmlIds.set(node.id, NMTOKEN.test(node.id) ? node.id : `n${position}`);
  });
  const nodeItems = nodes.map((node) => ({ kind: node.kind, label: node.label, ...(node.properties ?? {}) }));
  const edgeItems = edges.map((edge) => ({ type: edge.type }));
  const nodeKeys = declareKeys("node", nodeItems, "d", floatNames);
  const edgeKeys = declareKeys("edge", edgeItems, "e_", new Set());
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"' +
      ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' +
      ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns' +
      ' http://graphml.graphdrawing.org/xmlns/1.1/graphml.xsd">',
  ];
  for (const key of [...nodeKeys, ...edgeKeys]) {
    lines.push(
      `  <key id="${key.id}" for="${key.domain}"` +
        ` attr.name="${escapeXml(key.name)}" attr.type="${key.type}"/>`,
    );
  }
  lines.push(`  <graph id="${escapeXml(graphId)}" edgedefault="directed">`);
  nodes.forEach((node, position) => {
    lines.push(`    <node id="${escapeXml(xmlIds.get(node.id))}">`);
    lines.push(...dataLines(nodeKeys, nodeItems[position], "      "));
    lines.push("    </node>");
  });
  edges.forEach((edge, position) => {
    const source = escapeXml(xmlIds.get(edge.source));
    const target = escapeXml(xmlIds.get(edge.target));
    lines.push(`    <edge id="e${position}" source="${source}" target="${target}">`);
    lines.push(...dataLines(edgeKeys, edgeItems[position], "      "));
    lines.push("    </edge>");
  });
  lines.push("  </graph>", "</graphml>", "");
  return lines.join("\n");
}
