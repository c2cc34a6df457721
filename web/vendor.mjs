// Copies the browser-loadable files of npm packages from node_modules into server/static/, byte for
// byte, with the packages' licenses, and writes a vendored.json into each folder: which file came
// from which package. The service serves those folders itself, so its pages work offline and
// without npm. Run after `npm ci --prefix web`: `npm run vendor --prefix web`.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const web = dirname(fileURLToPath(import.meta.url));
const nodeModules = join(web, "node_modules");
const staticFolder = join(web, "..", "server", "static");

// Folder under server/static/ -> served name -> [package, file in the package]. Each folder is
// emptied first, so it holds the listed files only (the explorer's own code sits beside vendor/).
const folders = {
  // React and GraphiQL at these versions ship UMD builds a browser loads as they are (React 19 and
  // GraphiQL 5 would need a bundler).
  graphiql: {
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
  },
  // The graph explorer's drawing library: one UMD file, no dependencies.
  "explorer/vendor": {
    "cytoscape.min.js": ["cytoscape", "dist/cytoscape.min.js"],
    "licenses/cytoscape.txt": ["cytoscape", "LICENSE"],
  },
};

for (const [folder, files] of Object.entries(folders)) {
  const target = join(staticFolder, folder);
  const manifest = {};
  rmSync(target, { recursive: true, force: true });
  for (const [name, [pkg, file]] of Object.entries(files)) {
    const { version } = JSON.parse(readFileSync(join(nodeModules, pkg, "package.json"), "utf8"));
    mkdirSync(dirname(join(target, name)), { recursive: true });
    copyFileSync(join(nodeModules, pkg, file), join(target, name));
    manifest[name] = { package: pkg, version, file };
    console.log(`${pkg}@${version}/${file} -> server/static/${folder}/${name}`);
  }
  writeFileSync(join(target, "vendored.json"), JSON.stringify(manifest, null, 2) + "\n");
}
