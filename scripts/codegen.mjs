#!/usr/bin/env node
/**
 * Offline regeneration of `convex/_generated`, byte for byte what the Convex CLI writes after a push.
 *
 * `npx convex codegen --system-udfs --typecheck disable` works without a deployment, but offline it
 * cannot analyse the app definition, so it leaves two things as stubs that a real push replaces:
 *
 * - `server.js` / `server.d.ts`: after a push the CLI types `env` from the variables declared in
 *   `convex/convex.config.ts` (`defineApp({ env })`) plus CONVEX_CLOUD_URL and CONVEX_SITE_URL.
 *   This script evaluates the app definition the way the push's analysis does (`app.export()`) and
 *   renders the files with the CLI's own template (`convex/dist/esm/cli/codegen_templates/server.js`)
 *   and the CLI's prettier call, so a push changes no committed file.
 * - `api.d.ts`: the `components` export, one entry per `app.use(...)`, in the CLI's template
 *   (`import("<package>/_generated/component.js").ComponentApi<"<name>">`), formatted with the file.
 *
 * Usage: `npm run codegen` regenerates; `npm run codegen:check` (run by `npm test` and CI) regenerates
 * into place, restores the previous files and fails when they differ from the committed ones.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import prettier from "prettier";

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

/** Formats generated code exactly as the Convex CLI does (`writeFormattedFile` in cli/lib/codegen). */
async function formatLikeCli(contents) {
  return await prettier.format(contents, { parser: "typescript", pluginSearchDirs: false });
}

/**
 * Evaluates `convex/convex.config.ts` and returns what a push's analysis reads from it:
 * `{ envVars: [name, { type: "value", value, optional? }][], components: { name, importSpecifier }[] }`.
 *
 * Each imported component definition (`<package>/convex.config`) is replaced by the shape the CLI's
 * bundler gives it at push time (`componentDefinitionPath`, `defaultName`), since the real one only
 * works inside the Convex runtime.
 */
export async function analyseAppDefinition() {
  if (!existsSync(configPath)) return { envVars: [], components: [] };
  const outDir = mkdtempSync(path.join(root, "node_modules", ".cache-codegen-"));
  try {
    const outfile = path.join(outDir, "convex.config.mjs");
    await esbuild.build({
      entryPoints: [configPath],
      bundle: true,
      format: "esm",
      platform: "neutral",
      outfile,
      logLevel: "error",
      plugins: [
        {
          name: "component-definitions",
          setup(build) {
            build.onResolve({ filter: /\/convex\.config(\.js)?$/ }, (args) => {
              if (args.path.startsWith(".")) return undefined;
              return { path: args.path, namespace: "component-definition" };
            });
            build.onLoad({ filter: /.*/, namespace: "component-definition" }, (args) => {
              const specifier = args.path.replace(/\/convex\.config.*$/, "");
              const definition = readFileSync(require.resolve(`${specifier}/convex.config.js`), "utf8");
              const defaultName = /defineComponent\(\s*["']([^"']+)["']/.exec(definition)?.[1];
              if (!defaultName) throw new Error(`cannot find the component name in ${specifier}/convex.config.js`);
              return {
                contents: `export default ${JSON.stringify({ componentDefinitionPath: specifier, defaultName })};`,
                loader: "js",
              };
            });
          },
        },
      ],
      mainFields: ["module", "main"],
      conditions: ["import"],
    });
    const app = (await import(pathToFileURL(outfile).href)).default;
    const analysis = app.export();
    return {
      envVars: analysis.envVars ?? [],
      components: analysis.childComponents.map((child) => ({ name: child.name, importSpecifier: child.path })),
    };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** CLI modules that the templates import only for analysis-time helpers; replaced by stubs offline. */
const CLI_MODULES_NOT_NEEDED = /(bundler\/index|components\/definition\/directoryStructure|codegen_templates\/api)\.js$/;

/**
 * Loads one of the Convex CLI's codegen templates (`convex/dist/esm/cli/codegen_templates/<file>`).
 * Some templates import the CLI's bundler and module-listing helpers (and with them Sentry and the
 * whole CLI); those imports are replaced by stubs that throw, so only the template text is used.
 */
async function loadCliTemplate(file) {
  const outDir = mkdtempSync(path.join(root, "node_modules", ".cache-codegen-"));
  try {
    const outfile = path.join(outDir, "template.mjs");
    await esbuild.build({
      entryPoints: [path.join(root, "node_modules", "convex", "dist", "esm", "cli", "codegen_templates", file)],
      bundle: true,
      format: "esm",
      platform: "node",
      outfile,
      logLevel: "error",
      plugins: [
        {
          name: "stub-cli-analysis",
          setup(build) {
            build.onResolve({ filter: CLI_MODULES_NOT_NEEDED }, (args) => ({ path: args.path, namespace: "stub" }));
            build.onLoad({ filter: /.*/, namespace: "stub" }, () => ({
              contents: ["entryPoints", "toAbsolutePath", "toComponentDefinitionPath", "importPath", "moduleIdentifier"]
                .map((name) => `export function ${name}() { throw new Error("${name} is not available offline"); }`)
                .join("\n"),
              loader: "js",
            }));
          },
        },
      ],
    });
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** Writes `server.js` and `server.d.ts` with the CLI's own template, typed from `envVars`. */
async function writeServerFiles(envVars) {
  const { serverCodegen } = await loadCliTemplate("server.js");
  const { JS, DTS } = serverCodegen({ useTypeScript: false, envVars });
  writeFileSync(path.join(generatedDir, "server.js"), await formatLikeCli(JS));
  writeFileSync(path.join(generatedDir, "server.d.ts"), await formatLikeCli(DTS));
}

/**
 * Writes the `components` export as the CLI's final codegen does for an app with components:
 * `api.js` from its `componentApiJs` template, and in `api.d.ts` one entry per `app.use(...)` in
 * its `componentApiDTS` form, the whole file formatted again.
 */
async function writeComponentsApi(components) {
  if (components.length === 0) return;
  const { componentApiJs } = await loadCliTemplate("component_api.js");
  writeFileSync(path.join(generatedDir, "api.js"), await formatLikeCli(componentApiJs()));
  const apiDts = path.join(generatedDir, "api.d.ts");
  const lines = [readFileSync(apiDts, "utf8"), "\n  export declare const components: {"];
  for (const { name, importSpecifier } of components) {
    lines.push(`  "${name}": import("${importSpecifier}/_generated/component.js").ComponentApi<"${name}">,`);
  }
  lines.push("};");
  writeFileSync(apiDts, await formatLikeCli(lines.join("\n")));
}

async function regenerate() {
  execFileSync(
    process.execPath,
    [path.join(root, "node_modules", "convex", "bin", "main.js"), "codegen", "--system-udfs", "--typecheck", "disable"],
    { cwd: root, stdio: ["ignore", "inherit", "inherit"] },
  );
  const { envVars, components } = await analyseAppDefinition();
  await writeServerFiles(envVars);
  await writeComponentsApi(components);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const before = snapshot();
  await regenerate();
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
}
