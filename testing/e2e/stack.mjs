#!/usr/bin/env node
/**
 * What the real-browser suite's browser talks to (Playwright's `webServer` runs this):
 *
 * - without `E2E_CONVEX_URL`: generates a fresh demo sign-in key pair, starts the Convex stand-in
 *   with the fakes (`standInStack.ts`, loaded through Vite because the functions' module map is an
 *   `import.meta.glob`) trusting its public half, then the Vite dev server with `VITE_CONVEX_URL`
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
import { createServer } from "vite";
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
  const loader = await createServer({
    root,
    configFile: false,
    logLevel: "warn",
    appType: "custom",
    server: { middlewareMode: true, hmr: false, ws: false, watch: null },
    optimizeDeps: { noDiscovery: true, include: [] },
    ssr: { noExternal: ["convex-test", "@convex-dev/rate-limiter", "@convex-dev/batch-worker"] },
  });
  cleanups.push(() => loader.close());
  const { startStandInStack } = await loader.ssrLoadModule("/testing/e2e/standInStack.ts");
  const stack = await startStandInStack({ jwks: await publicJwksFromPrivateKey(privateKey), siteUrl: appUrl });
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
