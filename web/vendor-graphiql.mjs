// Copies the browser-loadable GraphiQL files from node_modules into server/static/graphiql/, byte for
// byte, with the packages' licenses, and writes vendored.json: which file came from which package.
// The service serves that folder itself, so GraphiQL works offline and without npm.
// Run after `npm ci --prefix web`: `npm run vendor --prefix web`.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const web = dirname(fileURLToPath(import.meta.url));
const nodeModules = join(web, "node_modules");
const target = join(web, "..", "server", "static", "graphiql");

// Served name -> [package, file in the package]. React and GraphiQL at these versions ship UMD
// builds a browser loads as they are (React 19 and GraphiQL 5 would need a bundler).
const files = {
  "react.production.min.js": ["react", "umd/react.production.min.js"],
  "react-dom.production.min.js": ["react-dom", "umd/react-dom.production.min.js"],
  "graphiql.min.js": ["graphiql", "graphiql.min.js"],
  "graphiql.min.css": ["graphiql", "graphiql.min.css"],
  "plugin-explorer.umd.js": ["@graphiql/plugin-explorer", "dist/index.umd.js"],
  "plugin-explorer.css": ["@graphiql/plugin-explorer", "dist/style.css"],
  // graphiql.min.js carries no license header of its own; the plugin ships no LICENSE file.
  "licenses/react.txt": ["react", "LICENSE"],
  "licenses/react-dom.txt": ["react-dom", "LICENSE"],
  "licenses/graphiql.txt": ["graphiql", "LICENSE"],
};

const manifest = {};
rmSync(target, { recursive: true, force: true });
for (const [name, [pkg, file]] of Object.entries(files)) {
  const { version } = JSON.parse(readFileSync(join(nodeModules, pkg, "package.json"), "utf8"));
  mkdirSync(dirname(join(target, name)), { recursive: true });
  copyFileSync(join(nodeModules, pkg, file), join(target, name));
  manifest[name] = { package: pkg, version, file };
  console.log(`${pkg}@${version}/${file} -> server/static/graphiql/${name}`);
}
writeFileSync(join(target, "vendored.json"), JSON.stringify(manifest, null, 2) + "\n");
