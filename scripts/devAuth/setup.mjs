#!/usr/bin/env node
/**
 * Dev-auth setup: lets a LOCAL Convex deployment accept tokens for the seeded demo personas.
 *
 * Usage: `node scripts/devAuth/setup.mjs` (run by `npm run dev` after the local deployment exists).
 *
 * 1. Refuses (exit code 1) when `VITE_CLERK_PUBLISHABLE_KEY` is set: Clerk mode needs no dev auth.
 * 2. Refuses (exit code 1) unless the deployment the Convex CLI would talk to is local:
 *    `CONVEX_DEPLOYMENT` starts with `local:` or `anonymous:`, no deploy key or self-hosted URL is
 *    set, and `VITE_CONVEX_URL` / `CONVEX_URL` point at 127.0.0.1 or localhost.
 * 3. Generates an RS256 key pair when `.env.local` has no `DEV_AUTH_PRIVATE_KEY` and stores the
 *    private key there (the file is git-ignored; other lines are left untouched).
 * 4. Runs `convex env set DEV_AUTH_JWKS <data: URI of the public JWKS>` on that local deployment.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { loadEnv } from "vite";
import { convexCliEnv, upsertEnvFileValue } from "./envFile.mjs";
import { generatePrivateKeyPem, jwksToDataUri, publicJwksFromPrivateKey } from "./keys.mjs";

/** Name of the deployment variable that carries the public JWKS (read by convex/auth.config.ts). */
export const JWKS_DEPLOYMENT_VARIABLE = "DEV_AUTH_JWKS";
/** Name of the `.env.local` variable holding the private key (read by the Vite dev-server plugin). */
export const PRIVATE_KEY_VARIABLE = "DEV_AUTH_PRIVATE_KEY";

const LOCAL_DEPLOYMENT_PREFIXES = ["local:", "anonymous:"];

/**
 * True when `url` is an http(s) URL whose host is this machine (localhost, 127.0.0.0/8 or ::1).
 * @param {string} url
 * @returns {boolean}
 */
export function isLoopbackUrl(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return false;
  const host = parsed.hostname;
  return host === "localhost" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * @typedef {{ ok: true; deployment: string } | { ok: false; reason: string }} LocalDeploymentCheck
 */

/**
 * Decides whether the Convex deployment selected by `env` is a local one, so that installing the
 * dev-auth public key on it cannot open a door on a shared or production deployment.
 * @param {Record<string, string | undefined>} env what the Convex CLI sees (process env over
 *   `.env.local` over `.env`; see `convexCliEnv`)
 * @returns {LocalDeploymentCheck} `ok: false` carries a message for the person running the command
 */
export function checkDeploymentIsLocal(env) {
  if (env.CONVEX_DEPLOY_KEY) {
    return { ok: false, reason: "CONVEX_DEPLOY_KEY is set, so the Convex CLI would target a cloud deployment." };
  }
  if (env.CONVEX_SELF_HOSTED_URL) {
    return { ok: false, reason: "CONVEX_SELF_HOSTED_URL is set; dev sign-in is only installed on `local:` or `anonymous:` deployments." };
  }
  const deployment = env.CONVEX_DEPLOYMENT;
  if (!deployment) {
    return { ok: false, reason: "No Convex deployment is configured (CONVEX_DEPLOYMENT is missing from .env.local). Run `npm run dev` to create a local one." };
  }
  if (!LOCAL_DEPLOYMENT_PREFIXES.some((prefix) => deployment.startsWith(prefix))) {
    return {
      ok: false,
      reason: `CONVEX_DEPLOYMENT is "${deployment}", which is not a local deployment (expected "local:..." or "anonymous:...").`,
    };
  }
  const urls = /** @type {[string, string][]} */ (
    [
      ["VITE_CONVEX_URL", env.VITE_CONVEX_URL],
      ["CONVEX_URL", env.CONVEX_URL],
    ].filter(([, value]) => Boolean(value))
  );
  if (urls.length === 0) {
    return { ok: false, reason: "Neither VITE_CONVEX_URL nor CONVEX_URL is set, so the deployment's address cannot be checked." };
  }
  for (const [name, url] of urls) {
    if (!isLoopbackUrl(url)) {
      return { ok: false, reason: `${name} is "${url}", which is not on this machine (expected 127.0.0.1 or localhost).` };
    }
  }
  return { ok: true, deployment };
}

/** An expected refusal or failure of the setup, reported without a stack trace. */
export class DevAuthSetupError extends Error {}

/**
 * Reads the Clerk publishable key exactly as the Vite dev server will expose it to the client.
 * @param {string} root
 * @returns {string | undefined}
 */
export function clerkPublishableKey(root) {
  return loadEnv("development", root, "VITE_CLERK_").VITE_CLERK_PUBLISHABLE_KEY || undefined;
}

/**
 * Runs the whole setup (see the file comment).
 * @param {{ root?: string; log?: (message: string) => void }} [options] `root`: project directory
 * @returns {Promise<void>}
 * @throws {DevAuthSetupError} when refusing (Clerk configured, deployment not local) or when
 *   `convex env set` fails
 */
export async function runDevAuthSetup({ root = process.cwd(), log = console.log } = {}) {
  if (clerkPublishableKey(root)) {
    throw new DevAuthSetupError(
      "VITE_CLERK_PUBLISHABLE_KEY is set, so the app signs in with Clerk; local dev sign-in is not installed.",
    );
  }
  const env = convexCliEnv(root);
  const check = checkDeploymentIsLocal(env);
  if (!check.ok) {
    throw new DevAuthSetupError(`Refusing to install dev sign-in: ${check.reason}`);
  }

  const envLocalPath = path.join(root, ".env.local");
  let privateKeyPem = loadEnv("development", root, "DEV_AUTH_")[PRIVATE_KEY_VARIABLE];
  if (!privateKeyPem) {
    log("dev-auth: generating an RS256 key pair for local sign-in (private key goes to .env.local)");
    privateKeyPem = await generatePrivateKeyPem();
    upsertEnvFileValue(
      envLocalPath,
      PRIVATE_KEY_VARIABLE,
      privateKeyPem,
      "Local demo sign-in only (scripts/devAuth). Signs persona tokens in the Vite dev server; never use it elsewhere.",
    );
  }
  let jwks;
  try {
    jwks = await publicJwksFromPrivateKey(privateKeyPem);
  } catch (error) {
    throw new DevAuthSetupError(
      `${PRIVATE_KEY_VARIABLE} in .env.local is not a valid RSA private key (${String(error)}). Delete that line and run \`npm run dev\` again.`,
    );
  }

  log(`dev-auth: setting ${JWKS_DEPLOYMENT_VARIABLE} on local deployment ${check.deployment}`);
  const result = spawnSync(
    process.execPath,
    [path.join(root, "node_modules", "convex", "bin", "main.js"), "env", "set", JWKS_DEPLOYMENT_VARIABLE, jwksToDataUri(jwks)],
    {
      cwd: root,
      stdio: ["ignore", "inherit", "inherit"],
      env: check.deployment.startsWith("anonymous:") ? { ...process.env, CONVEX_AGENT_MODE: "anonymous" } : process.env,
    },
  );
  if (result.status !== 0) {
    throw new DevAuthSetupError(`\`convex env set ${JWKS_DEPLOYMENT_VARIABLE}\` failed (exit code ${result.status ?? result.signal}).`);
  }
  log("dev-auth: local sign-in is ready; pick a persona in the browser.");
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    await runDevAuthSetup();
  } catch (error) {
    if (error instanceof DevAuthSetupError) {
      console.error(`\n✖ ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
