#!/usr/bin/env node
/**
 * `npm run dev`: local development with no accounts.
 *
 * 1. When no Convex deployment is configured yet, creates a LOCAL one without a Convex login
 *    (`CONVEX_AGENT_MODE=anonymous convex dev --once`). The CLI downloads and runs the open-source
 *    backend on 127.0.0.1 and writes CONVEX_DEPLOYMENT / VITE_CONVEX_URL to `.env.local`.
 * 2. Unless Clerk is configured (`VITE_CLERK_PUBLISHABLE_KEY`), installs the demo sign-in on that
 *    local deployment (`scripts/devAuth/setup.mjs`; refuses any non-local deployment).
 * 3. Runs `convex dev --run seed:init` (push, seed demo data once — the seed is idempotent — then
 *    watch) and the Vite dev server together.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import concurrently from "concurrently";
import { convexCliEnv } from "./devAuth/envFile.mjs";
import { clerkPublishableKey, DevAuthSetupError, runDevAuthSetup } from "./devAuth/setup.mjs";

const root = path.resolve(import.meta.dirname, "..");
const convexBin = path.join(root, "node_modules", "convex", "bin", "main.js");
const viteBin = path.join(root, "node_modules", "vite", "bin", "vite.js");

/** @param {string} message */
function step(message) {
  console.log(`\n▶ ${message}`);
}

/** @param {string} message */
function fail(message) {
  console.error(`\n✖ ${message}\n`);
  process.exit(1);
}

/** Environment for Convex CLI children: anonymous (no-login) mode for anonymous deployments. */
function convexChildEnv() {
  const deployment = convexCliEnv(root).CONVEX_DEPLOYMENT;
  const anonymous = deployment === undefined || deployment.startsWith("anonymous:");
  return anonymous ? { ...process.env, CONVEX_AGENT_MODE: "anonymous" } : process.env;
}

const initialEnv = convexCliEnv(root);
const hasDeployment = Boolean(
  initialEnv.CONVEX_DEPLOYMENT || initialEnv.CONVEX_SELF_HOSTED_URL || initialEnv.CONVEX_DEPLOY_KEY,
);

if (!hasDeployment) {
  step("Creating a local Convex deployment (no account needed; the first run downloads the Convex backend)…");
  const result = spawnSync(process.execPath, [convexBin, "dev", "--once", "--typecheck", "disable"], {
    cwd: root,
    stdio: "inherit",
    env: convexChildEnv(),
  });
  if (result.status !== 0) {
    fail("`convex dev --once` could not create the local deployment (see the output above).");
  }
  if (!convexCliEnv(root).CONVEX_DEPLOYMENT) {
    fail("`convex dev --once` finished but did not write CONVEX_DEPLOYMENT to .env.local.");
  }
} else {
  step(`Using Convex deployment ${initialEnv.CONVEX_DEPLOYMENT ?? initialEnv.CONVEX_SELF_HOSTED_URL ?? "(from CONVEX_DEPLOY_KEY)"}`);
}

if (clerkPublishableKey(root)) {
  step(
    "Clerk mode: VITE_CLERK_PUBLISHABLE_KEY is set, so the demo persona sign-in is off. " +
      "The deployment needs CLERK_JWT_ISSUER_DOMAIN (npx convex env set CLERK_JWT_ISSUER_DOMAIN https://<your-app>.clerk.accounts.dev).",
  );
} else {
  step("Setting up the local demo sign-in…");
  try {
    await runDevAuthSetup({ root });
  } catch (error) {
    if (error instanceof DevAuthSetupError) {
      fail(
        `${error.message}\n  The demo sign-in only works on a local deployment. Either remove CONVEX_DEPLOYMENT from .env.local ` +
          "to get a fresh local one, or set VITE_CLERK_PUBLISHABLE_KEY to sign in with Clerk.",
      );
    }
    throw error;
  }
}

step("Starting Convex (pushes functions, seeds demo data, then watches) and Vite…");
const quote = (/** @type {string} */ value) => JSON.stringify(value);
const { result } = concurrently(
  [
    {
      name: "convex",
      command: `${quote(process.execPath)} ${quote(convexBin)} dev --run seed:init`,
      env: convexChildEnv(),
      prefixColor: "magenta",
    },
    { name: "vite", command: `${quote(process.execPath)} ${quote(viteBin)}`, prefixColor: "cyan" },
  ],
  { cwd: root, killOthersOn: ["failure", "success"], prefix: "name" },
);
result.then(
  () => process.exit(0),
  () => process.exit(1),
);
