// The graphql-http server audit of one endpoint: `node web/audit.mjs http://127.0.0.1:8000/graphql`.
// Prints a JSON array of {id, name, status, reason} in the package's order of audits and exits 1
// unless every audit is ok (a warning or a notice fails too), 2 on a usage error.
import { auditServer } from 'graphql-http';

const [url, ...rest] = process.argv.slice(2);
if (!url || rest.length > 0) {
  process.stderr.write('usage: node web/audit.mjs URL\n');
  process.exit(2);
}

const results = await auditServer({ url });
const report = [];
for (const result of results) {
  report.push({ id: result.id, name: result.name, status: result.status, reason: result.reason ?? null });
  // A failing audit hands back its response; free the body so no connection is left open.
  if (result.response?.body && !result.response.bodyUsed) {
    await result.response.body.cancel();
  }
}
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
process.exitCode = report.length > 0 && report.every((result) => result.status === 'ok') ? 0 : 1;
