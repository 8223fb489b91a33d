#!/usr/bin/env node
/**
 * What the real-browser suite's browser talks to (Playwright's `webServer` runs this):
 *
 * - without `E2E_CONVEX_URL`: generates a fresh demo sign-in key pair, starts the Convex stand-in
 *   with the fakes (`standInStack.ts`, bundled for Node by Vite) trusting its public half, then the Vite dev server with `VITE_CONVEX_URL`
 *   pointing at the stand-in and `DEV_AUTH_PRIVATE_KEY` set;
 * - with `E2E_CONVEX_URL` (a real local deployment set up by `npm run dev`, which installed the
 *   public key and seeded it): only the Vite dev server, with `VITE_CONVEX_URL=$E2E_CONVEX_URL` and
 *   the private key from `.env.local`.
 *
 * The app is served by the project's own `vite` (vite.config.ts, the demo sign-in middleware), as
 * `npm run dev` serves it, on `E2E_PORT` (default 4317). Stops everything on SIGTERM/SIGINT.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "vite";
import { convexCliEnv } from "../../scripts/devAuth/envFile.mjs";
import { generatePrivateKeyPem, publicJwksFromPrivateKey } from "../../scripts/devAuth/keys.mjs";

const root = path.resolve(import.meta.dirname, "../..");
const port = Number(process.env.E2E_PORT ?? 4317);
const appUrl = `http://localhost:${port}`;
const cleanups = [];

let convexUrl = process.env.E2E_CONVEX_URL;
let privateKey;
if (convexUrl) {
  privateKey = process.env.DEV_AUTH_PRIVATE_KEY ?? convexCliEnv(root).DEV_AUTH_PRIVATE_KEY;
  if (!privateKey) {
    console.error("✖ E2E_CONVEX_URL is set but DEV_AUTH_PRIVATE_KEY is not in .env.local: run `npm run dev` once first.");
    process.exit(1);
  }
} else {
  privateKey = await generatePrivateKeyPem();
  // Bundled for Node by Vite (the functions' module map is an `import.meta.glob`), so that function
  // modules load natively: Vite's dev module runner would fetch them with timers, which convex-test
  // forbids inside a transaction.
  const outDir = path.join(root, "node_modules/.cache/sessions-hub-e2e");
  const nodeEnv = process.env.NODE_ENV;
  await build({
    root,
    configFile: false,
    logLevel: "error",
    build: { ssr: "testing/e2e/standInStack.ts", outDir, emptyOutDir: true, minify: false, target: "node20" },
    ssr: { noExternal: ["convex-test", "@convex-dev/rate-limiter", "@convex-dev/batch-worker"] },
  });
  // `vite build` sets NODE_ENV=production, which would make the dev server below serve a production app.
  if (nodeEnv === undefined) delete process.env.NODE_ENV;
  else process.env.NODE_ENV = nodeEnv;
  const { startStandInStack } = await import(pathToFileURL(path.join(outDir, "standInStack.js")).href);
  const stack = await startStandInStack({ jwks: await publicJwksFromPrivateKey(privateKey), siteUrl: appUrl, root });
  cleanups.push(() => stack.close());
  convexUrl = stack.url;
  console.log(`Convex stand-in at ${convexUrl}`);
}

const vite = spawn(process.execPath, [path.join(root, "node_modules/vite/bin/vite.js"), "--port", String(port), "--strictPort"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, VITE_CONVEX_URL: convexUrl, DEV_AUTH_PRIVATE_KEY: privateKey, VITE_CLERK_PUBLISHABLE_KEY: "" },
});

async function stop(code) {
  vite.kill("SIGTERM");
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  process.exit(code);
}
vite.on("exit", (code) => void stop(code ?? 1));
process.on("SIGTERM", () => void stop(0));
process.on("SIGINT", () => void stop(0));
