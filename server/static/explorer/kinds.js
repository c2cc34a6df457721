// The kinds of nodes, each with the colour and shape that draw it and the legend that names it.
export const KINDS = [
  { kind: "Trial", color: "#1f6fb4", shape: "round-rectangle" },
  { kind: "Condition", color: "#d1393b", shape: "ellipse" },
  { kind: "Organization", color: "#2e9a3e", shape: "hexagon" },
  { kind: "Investigator", color: "#8c5fbf", shape: "ellipse" },
  { kind: "Site", color: "#f08a1c", shape: "diamond" },
  { kind: "Country", color: "#8a5a44", shape: "octagon" },
  { kind: "Arm", color: "#d964b8", shape: "triangle" },
  { kind: "Intervention", color: "#159fae", shape: "round-tag" },
  { kind: "MeshTerm", color: "#b8a21a", shape: "vee" },
];

export const KIND_ORDER = new Map(KINDS.map(({ kind }, position) => [kind, position]));

export function kindColor(kind) {
  return KINDS.find((entry) => entry.kind === kind)?.color ?? "#777777";
}
