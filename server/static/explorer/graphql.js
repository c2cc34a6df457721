// Talks to the service the way any frontend app does: a JSON POST to the public GraphQL endpoint.

/** A request that failed: the GraphQL errors' messages, or the HTTP status and what came with it. */
export class RequestError extends Error {
  constructor(message, { status = null, errors = [] } = {}) {
    super(message);
    this.name = "RequestError";
    this.status = status;
    this.errors = errors;
  }
}

/** The `data` of one operation; a RequestError when the service answers with errors or not at all. */
export async function request(url, query, variables = {}, operationName = null) {
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ query, variables, operationName }),
    });
  } catch (error) {
    throw new RequestError(`The service did not answer (${error.message}).`);
  }
  const text = await response.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: an HTTP-level error in plain text, or a proxy's page
  }
  const errors = body && Array.isArray(body.errors) ? body.errors : [];
  if (errors.length > 0) {
    const messages = errors.map((error) => error.message || String(error));
    throw new RequestError(`${operationName || "The query"} failed: ${messages.join("; ")}`, {
      status: response.status,
      errors,
    });
  }
  if (!response.ok) {
    const detail = text.trim() && !body ? `: ${text.trim().slice(0, 300)}` : "";
    throw new RequestError(`HTTP ${response.status} ${response.statusText}${detail}`.trim(), {
      status: response.status,
    });
  }
  if (!body || typeof body.data !== "object" || body.data === null) {
    throw new RequestError(`HTTP ${response.status}: the answer holds no data`, { status: response.status });
  }
  return body.data;
}
