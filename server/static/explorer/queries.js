// The GraphQL operations of the explorer. Neighborhood and HowConnected are the contract's own.

export const SEARCH = `query Search($text: String!, $first: Int) {
  search(text: $text, first: $first) {
    totalCount
    nodes {
      __typename
      id
      ... on Trial { nctId title }
      ... on Condition { name }
      ... on Organization { name }
      ... on Investigator { name }
      ... on Site { facility: name city country zip anonymized }
      ... on Country { name }
      ... on Arm { label trial { nctId } }
      ... on Intervention { name type }
      ... on MeshTerm { name meshId }
    }
  }
}`;

export const NEIGHBORHOOD = `query Neighborhood($id: ID!, $hops: Int!) {
  neighborhood(id: $id, hops: $hops) {
    nodes { id kind label }
    edges { source target type }
  }
}`;

export const HOW_CONNECTED = `query HowConnected($from: ID!, $to: ID!) {
  shortestPath(from: $from, to: $to) {
    length
    nodes { id kind label }
    edges { source target type }
  }
}`;

// Which of the drawn sites are anonymised (a sponsor's placeholder name, not a place): asked for
// the sites a neighborhood or a path brings, at most ANONYMIZED_PAGE at a time (`nodes(ids:)` takes
// up to the service's page size, 100 by default).
export const ANONYMIZED = `query Anonymized($ids: [ID!]!) {
  nodes(ids: $ids) { ... on Site { id anonymized } }
}`;
export const ANONYMIZED_PAGE = 100;

// The chosen node's own properties, typed per kind. Fields of one name must have one type across
// the fragments, hence the aliases: a site's nullable name, an arm's type; an arm's label too,
// because the view's label (with the trial's NCT ID) keeps the name `label`.
export const NODE_DETAILS = `query NodeDetails($id: ID!) {
  node(id: $id) {
    __typename
    id
    ... on Trial {
      nctId title acronym status phases studyType enrollment
      startDate completionDate lastUpdated hasResults
      eligibility { minimumAge maximumAge sex healthyVolunteers }
      sponsors { totalCount }
      sites { totalCount }
    }
    ... on Condition { name spellings trials { totalCount } }
    ... on Organization { name agencyClass spellings trials { totalCount } investigators { totalCount } }
    ... on Investigator { name degrees spellings affiliations { name } trials { totalCount } }
    ... on Site {
      facility: name anonymized city state country zip latitude longitude coordinatesDerived
      trials { totalCount }
    }
    ... on Country { name trials { totalCount } sites { totalCount } }
    ... on Arm { armLabel: label armType: type description trial { nctId } }
    ... on Intervention { name type otherNames description trials { totalCount } }
    ... on MeshTerm { name meshId broader { name } trials { totalCount } }
  }
}`;

/** A node's properties as flat name -> value pairs: nested objects dotted, lists joined, nulls left out. */
export function nodeProperties(value, prefix = "", into = {}) {
  for (const [name, item] of Object.entries(value)) {
    if (name === "__typename" || (prefix === "" && name === "id")) continue;
    const key = prefix ? `${prefix}.${name}` : name;
    if (item === null || item === undefined) continue;
    if (Array.isArray(item)) {
      // A list of objects (an investigator's affiliations) keeps each object's one field.
      const parts = item.map((part) =>
        part !== null && typeof part === "object" ? Object.values(part)[0] : part,
      );
      const kept = parts.filter((part) => part !== null && part !== undefined);
      if (kept.length) into[key] = kept.join("\n");
    } else if (typeof item === "object") {
      nodeProperties(item, key, into);
    } else {
      into[key] = item;
    }
  }
  return into;
}

const DRAWN = `
    nodes { id kind label }
    edges { source target type }`;

/**
 * One operation whose answer holds every node and edge of the view: a field per step that drew
 * it (`neighborhood` or `shortestPath`), with the variables to run it.
 */
export function viewOperation(steps) {
  const definitions = [];
  const fields = [];
  const variables = {};
  steps.forEach((step, position) => {
    const n = position + 1;
    if (step.kind === "neighborhood") {
      definitions.push(`$id${n}: ID!`);
      variables[`id${n}`] = step.id;
      fields.push(`  step${n}: neighborhood(id: $id${n}, hops: 1) {${DRAWN}\n  }`);
    } else {
      definitions.push(`$from${n}: ID!`, `$to${n}: ID!`);
      variables[`from${n}`] = step.from;
      variables[`to${n}`] = step.to;
      fields.push(`  step${n}: shortestPath(from: $from${n}, to: $to${n}) {\n    length${DRAWN}\n  }`);
    }
  });
  const query =
    "# The graph explorer's view: each step is a neighborhood it drew or a path it found.\n" +
    `query ExplorerView(${definitions.join(", ")}) {\n${fields.join("\n")}\n}\n`;
  return { query, variables };
}
