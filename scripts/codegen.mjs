#!/usr/bin/env node
/**
 * Offline regeneration of `convex/_generated`.
 *
 * `npx convex codegen --system-udfs --typecheck disable` works without a deployment, but offline it
 * cannot analyse components, so it leaves out the `components` export. This script runs it and then
 * adds one `components` entry per `app.use(...)` in `convex/convex.config.ts`, typed from the
 * component package's own `_generated/component.js` (exactly what the online codegen writes).
 *
 * Usage: `npm run codegen` regenerates; `npm run codegen:check` (run by `npm test` and CI) regenerates
 * into place, restores the previous files and fails when they differ from the committed ones.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync, rmSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const generatedDir = path.join(root, "convex", "_generated");
const configPath = path.join(root, "convex", "convex.config.ts");
const check = process.argv.includes("--check");
const require = createRequire(path.join(root, "package.json"));

function snapshot() {
  if (!existsSync(generatedDir)) return new Map();
  return new Map(
    readdirSync(generatedDir).map((file) => [file, readFileSync(path.join(generatedDir, file), "utf8")]),
  );
}

/** Lists `{ name, packageName }` for every component the app uses in convex.config.ts. */
function componentsFromConfig() {
  if (!existsSync(configPath)) return [];
  const source = readFileSync(configPath, "utf8");
  const imports = new Map();
  for (const match of source.matchAll(/import\s+(\w+)\s+from\s+["']([^"']+)\/convex\.config(?:\.js)?["']/g)) {
    imports.set(match[1], match[2]);
  }
  const components = [];
  for (const match of source.matchAll(/app\.use\(\s*(\w+)\s*(?:,\s*\{[^}]*name:\s*["']([^"']+)["'][^}]*\})?\s*\)/g)) {
    const packageName = imports.get(match[1]);
    if (!packageName) throw new Error(`convex.config.ts uses ${match[1]} but does not import its convex.config`);
    let name = match[2];
    if (!name) {
      const definition = readFileSync(require.resolve(`${packageName}/convex.config.js`), "utf8");
      name = /defineComponent\(\s*["']([^"']+)["']/.exec(definition)?.[1];
      if (!name) throw new Error(`cannot find the component name in ${packageName}/convex.config.js`);
    }
    components.push({ name, packageName });
  }
  return components;
}

function addComponents(components) {
  const apiDts = path.join(generatedDir, "api.d.ts");
  const apiJs = path.join(generatedDir, "api.js");
  let dts = readFileSync(apiDts, "utf8");
  let js = readFileSync(apiJs, "utf8");
  if (components.length === 0) return;
  if (!dts.includes("export declare const components")) {
    dts +=
      "\nexport declare const components: {\n" +
      components
        .map(
          ({ name, packageName }) =>
            `  ${name}: import("${packageName}/_generated/component.js").ComponentApi<"${name}">;\n`,
        )
        .join("") +
      "};\n";
  }
  if (!js.includes("export const components")) {
    js = js.replace('import { anyApi } from "convex/server";', 'import { anyApi, componentsGeneric } from "convex/server";');
    js += "export const components = componentsGeneric();\n";
  }
  writeFileSync(apiDts, dts);
  writeFileSync(apiJs, js);
}

function regenerate() {
  execFileSync(
    process.execPath,
    [path.join(root, "node_modules", "convex", "bin", "main.js"), "codegen", "--system-udfs", "--typecheck", "disable"],
    { cwd: root, stdio: ["ignore", "inherit", "inherit"] },
  );
  addComponents(componentsFromConfig());
}

const before = snapshot();
regenerate();
if (check) {
  const after = snapshot();
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter((file) => before.get(file) !== after.get(file));
  if (changed.length > 0) {
    rmSync(generatedDir, { recursive: true, force: true });
    mkdirSync(generatedDir);
    for (const [file, text] of before) writeFileSync(path.join(generatedDir, file), text);
    console.error(
      `convex/_generated is out of date (${changed.join(", ")}). Run \`npm run codegen\` and commit the result.`,
    );
    process.exit(1);
  }
  console.log("convex/_generated matches the code.");
}
