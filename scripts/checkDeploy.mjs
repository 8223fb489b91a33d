#!/usr/bin/env node
/**
 * `npm run check:deploy`: replays, offline, what a push to a real Convex backend checks and
 * convex-test does not model (see DEVELOPERS.md, "What convex-test does not model"). Fails on the
 * first broken rule, naming it:
 *
 * 1. Bundles `convex/` with the CLI's own bundler: `convex deploy --debug-bundle-path <dir>` against
 *    a dummy self-hosted URL and admin key (writes the bundle and `fullConfig.json`, sends nothing).
 * 2. Evaluates the bundled `auth.config.js` the way the backend does, with a `process.env` that throws
 *    on reading any variable that is not set, for the four configurations a deployment can have:
 *    nothing set (the first push of `npm run dev`), Clerk only (production), the demo sign-in only,
 *    and both; each must evaluate and give the expected providers.
 * 3. Loads every bundled module with only the globals of Convex's default runtime (no `Buffer`, no
 *    `require`, no `global`, `process` = `{ env }`; backend `npm-packages/udf-runtime/src/setup.ts`)
 *    and checks that every query, mutation and action exports argument and return validators.
 * 4. Regenerates `convex/_generated` as a push does (`scripts/codegen.mjs --check`) and typechecks the
 *    functions as a push does (`tsc --project convex`, with the committed `convex/tsconfig.json`: were
 *    it missing, `convex dev` would write the CLI's template, which also checks tests and helpers).
 * 5. Runs the guard that no public query reads the clock (`convex/queryClock.test.ts`).
 * 6. Checks that the first run leaves the tree as it found it: `aiFiles` off in `convex.json` (else
 *    the CLI may ask and write agent files), and every file `index.html` links to (the favicon) is
 *    in `public/`, so no page load gets a 404.
 *
 * Needs Node's `--experimental-vm-modules` (the npm script passes it) to link the bundle's ES modules.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import vm from "node:vm";

const root = path.resolve(import.meta.dirname, "..");
const convexBin = path.join(root, "node_modules", "convex", "bin", "main.js");

/** Prints a failure and exits 1. */
function fail(message) {
  console.error(`✖ check:deploy: ${message}`);
  process.exit(1);
}

/** Step 1: the CLI's bundle of `convex/`, in a fresh temporary folder. */
function bundle() {
  const outDir = mkdtempSync(path.join(tmpdir(), "sessions-hub-bundle-"));
  const bundleDir = path.join(outDir, "bundle");
  // The dummy deployment is unreachable on purpose: with --debug-bundle-path the CLI writes the
  // bundle and stops before any request. Variables of a developer's own deployment are cleared.
  const env = { ...process.env, CONVEX_SELF_HOSTED_URL: "http://127.0.0.1:9", CONVEX_SELF_HOSTED_ADMIN_KEY: "check-deploy" };
  for (const name of ["CONVEX_DEPLOYMENT", "CONVEX_DEPLOY_KEY", "CONVEX_URL"]) delete env[name];
  const result = spawnSync(
    process.execPath,
    [convexBin, "deploy", "--debug-bundle-path", bundleDir, "--typecheck", "disable", "--codegen", "disable", "--yes"],
    { cwd: root, env, encoding: "utf8" },
  );
  if (result.status !== 0) fail(`the Convex CLI could not bundle the functions:\n${result.stdout}\n${result.stderr}`);
  return { outDir, isolateDir: path.join(bundleDir, "isolate"), fullConfig: JSON.parse(readFileSync(path.join(bundleDir, "fullConfig.json"), "utf8")) };
}

/** A `process.env` like the backend's while it evaluates the auth config: unset variables throw. */
function authConfigEnv(variables) {
  return new Proxy(
    {},
    {
      get(_target, name) {
        if (typeof name !== "string") return undefined;
        if (!(name in variables)) {
          throw new Error(`Environment variable ${name} is used in auth config file but its value was not set`);
        }
        return variables[name];
      },
    },
  );
}

/** The globals of Convex's default (V8) runtime, taken from this Node process; nothing Node-only. */
const RUNTIME_GLOBALS = [
  "AbortController", "AbortSignal", "Blob", "DOMException", "Event", "EventTarget", "File", "FormData", "Headers",
  "ReadableStream", "ReadableStreamBYOBReader", "ReadableStreamDefaultReader", "Request", "Response", "TextDecoder",
  "TextDecoderStream", "TextEncoder", "TextEncoderStream", "TransformStream", "URL", "URLSearchParams", "WritableStream",
  "WritableStreamDefaultWriter", "atob", "btoa", "clearInterval", "clearTimeout", "fetch", "setInterval", "setTimeout",
  "structuredClone", "console", "crypto", "performance",
];

/** A fresh context with the runtime's globals and `process.env` = `env`. */
function runtimeContext(env) {
  const sandbox = {};
  for (const name of RUNTIME_GLOBALS) sandbox[name] = globalThis[name];
  sandbox.process = { env };
  const context = vm.createContext(sandbox);
  vm.runInContext("globalThis.self = globalThis;", context);
  return context;
}

/**
 * Loads `file` of the bundle (an ES module importing `./_deps/*.js`) into `context` and evaluates it.
 * Modules are cached per context, as the runtime loads each once.
 */
async function loadModule(isolateDir, file, context, cache = new Map()) {
  const load = async (absolute) => {
    if (cache.has(absolute)) return cache.get(absolute);
    const module = new vm.SourceTextModule(readFileSync(absolute, "utf8"), { identifier: absolute, context });
    cache.set(absolute, module);
    return module;
  };
  const module = await load(path.join(isolateDir, file));
  if (module.status === "evaluated") return module.namespace;
  await module.link(async (specifier, referencing) => {
    if (!specifier.startsWith(".")) {
      throw new Error(`${path.relative(isolateDir, referencing.identifier)} imports "${specifier}", which the Convex runtime does not provide`);
    }
    return await load(path.resolve(path.dirname(referencing.identifier), specifier));
  });
  await module.evaluate();
  return module.namespace;
}

/** Step 2: the four auth configurations. */
async function checkAuthConfig(isolateDir) {
  const clerk = { CLERK_JWT_ISSUER_DOMAIN: "https://example-app.clerk.accounts.dev" };
  const demo = {
    DEV_AUTH_JWKS: `data:text/plain;charset=utf-8;base64,${Buffer.from(JSON.stringify({ keys: [] })).toString("base64")}`,
    CONVEX_CLOUD_URL: "http://127.0.0.1:3210",
  };
  const cases = [
    { name: "nothing set (first push of npm run dev)", variables: {}, providers: 0 },
    { name: "Clerk only (production)", variables: clerk, providers: 1 },
    { name: "demo sign-in only", variables: demo, providers: 1 },
    { name: "Clerk and demo sign-in", variables: { ...clerk, ...demo }, providers: 2 },
  ];
  for (const { name, variables, providers } of cases) {
    let config;
    try {
      config = (await loadModule(isolateDir, "auth.config.js", runtimeContext(authConfigEnv(variables)))).default;
    } catch (error) {
      fail(`auth.config.ts fails to evaluate with ${name}: ${error.message}`);
    }
    if (!Array.isArray(config?.providers) || config.providers.length !== providers) {
      fail(`auth.config.ts with ${name} gives ${JSON.stringify(config?.providers)}, expected ${providers} provider(s)`);
    }
    console.log(`✓ auth.config.ts evaluates with ${name}: ${providers} provider(s)`);
  }
}

/** Step 3: every module loads in the default runtime, and every function has its validators. */
async function checkModules(isolateDir, fullConfig) {
  const context = runtimeContext({});
  const cache = new Map();
  let functions = 0;
  const missing = [];
  for (const { path: file, environment } of fullConfig.modules) {
    if (environment !== "isolate" || file === "auth.config.js" || file.startsWith("_deps/")) continue;
    let exports;
    try {
      exports = await loadModule(isolateDir, file, context, cache);
    } catch (error) {
      fail(`${file} does not load in Convex's default runtime: ${error.message}`);
    }
    for (const [name, value] of Object.entries(exports)) {
      if (value === null || (typeof value !== "object" && typeof value !== "function")) continue;
      if (!value.isQuery && !value.isMutation && !value.isAction) continue;
      functions += 1;
      const where = `${file.replace(/\.js$/, "")}:${name}`;
      if (JSON.parse(value.exportArgs()).type === "any") missing.push(`${where} has no args validator`);
      if (JSON.parse(value.exportReturns()) === null) missing.push(`${where} has no returns validator`);
    }
  }
  if (missing.length > 0) fail(`functions without validators:\n  ${missing.join("\n  ")}`);
  console.log(`✓ ${fullConfig.modules.length} modules load with only the Convex runtime's globals; ${functions} functions export their validators`);
}

/** Step 4: codegen as after a push, and the push's typecheck. */
function checkCodegenAndTypes() {
  if (!existsSync(path.join(root, "convex", "tsconfig.json"))) {
    fail("convex/tsconfig.json is missing: `convex dev` would write the CLI's template, which typechecks tests and helpers too");
  }
  try {
    execFileSync(process.execPath, [path.join(root, "scripts", "codegen.mjs"), "--check"], { cwd: root, stdio: "inherit" });
  } catch {
    fail("a push would rewrite convex/_generated (see above)");
  }
  console.log("✓ a push's codegen changes no committed file");
  try {
    execFileSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "--project", "convex"], {
      cwd: root,
      stdio: "inherit",
    });
  } catch {
    fail("`tsc --project convex` fails, so `convex dev` would stop before seeding (see above)");
  }
  console.log("✓ tsc --project convex passes, as a push's typecheck does");
}

/** Step 5: the clock guard, run on its own so that this check names it. */
function checkQueriesReadNoClock() {
  const result = spawnSync(
    process.execPath,
    [path.join(root, "node_modules", "vitest", "vitest.mjs"), "run", "--project", "convex", "convex/queryClock.test.ts"],
    { cwd: root, encoding: "utf8" },
  );
  if (result.status !== 0) fail(`a public query reads the clock (convex/queryClock.test.ts):\n${result.stdout}\n${result.stderr}`);
  console.log("✓ no public query reads the clock");
}

/** Step 6: nothing the first run would write or fetch in vain. */
function checkFirstRun() {
  const convexJson = JSON.parse(readFileSync(path.join(root, "convex.json"), "utf8"));
  if (convexJson.aiFiles?.enabled !== false) {
    fail('convex.json must set "aiFiles": { "enabled": false }, or `convex dev` may stop to ask and write agent files');
  }
  const html = readFileSync(path.join(root, "index.html"), "utf8");
  for (const [, link] of html.matchAll(/(?:href|src)="\/([^"]+)"/g)) {
    if (link.startsWith("src/")) continue;
    if (!existsSync(path.join(root, "public", link))) fail(`index.html links to /${link}, which is not in public/ (a 404 on every page load)`);
  }
  console.log("✓ convex.json keeps AI files off; every file index.html links to is in public/");
}

checkFirstRun();
const { outDir, isolateDir, fullConfig } = bundle();
try {
  console.log(`✓ the Convex CLI bundles ${fullConfig.modules.length} modules`);
  await checkAuthConfig(isolateDir);
  await checkModules(isolateDir, fullConfig);
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
checkCodegenAndTypes();
checkQueriesReadNoClock();
