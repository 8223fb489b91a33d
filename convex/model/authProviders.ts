import type { AuthProvider } from "convex/server";
import { DEV_AUTH_APPLICATION_ID, DEV_AUTH_ISSUER } from "./users/personas";

/** Application id (`aud` claim) of Clerk's "convex" JWT template. */
const CLERK_APPLICATION_ID = "convex";

/** True for URLs on this machine (localhost, 127.0.0.0/8, ::1, 0.0.0.0), the origins of local backends. */
function isLocalUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === "localhost" || host === "[::1]" || host === "0.0.0.0" || /^127(\.\d{1,3}){3}$/.test(host);
  } catch {
    return false;
  }
}

/**
 * Reads an optional environment variable while the backend evaluates the auth config.
 *
 * There, unlike in functions, `process.env` throws on reading a variable that is not set
 * ("Environment variable X is used in auth config file but its value was not set": backend
 * `crates/isolate/src/environment/auth_config.rs`, `get_environment_variable`). The error reaches
 * JavaScript as an ordinary, catchable exception, so an unset or empty variable reads as undefined
 * and the push succeeds with any combination of providers configured.
 *
 * @param env the environment (`process.env` in `auth.config.ts`).
 * @param name the variable's name.
 * @returns its value, or undefined when it is not set or empty.
 */
function optionalVariable(env: Record<string, string | undefined>, name: string): string | undefined {
  try {
    return env[name] || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The identity providers the deployment accepts, built from its environment variables
 * (`convex/auth.config.ts` passes `process.env`).
 *
 * - `CLERK_JWT_ISSUER_DOMAIN` set → Clerk (OIDC), application id `convex`.
 * - `DEV_AUTH_JWKS` set → the local demo sign-in: a `customJwt` RS256 provider with issuer
 *   DEV_AUTH_ISSUER and application id DEV_AUTH_APPLICATION_ID whose public keys are the JWKS in
 *   that variable. Only `scripts/devAuth/setup.mjs` sets it, and only on a local deployment.
 *
 * With neither variable the list is empty and every caller is anonymous. Every variable is read
 * through {@link optionalVariable}, so the config evaluates with any of them unset.
 *
 * @param env the deployment's environment variables
 * @returns the `providers` array of the auth config
 * @throws Error when `DEV_AUTH_JWKS` is not a base64 `data:` URI (a URL would let a remote server
 *   decide which tokens are valid), or when it is set on a deployment whose `CONVEX_CLOUD_URL` is
 *   not on localhost / 127.0.0.1 (the demo sign-in must never be enabled on a hosted deployment).
 */
export function authProviders(env: Record<string, string | undefined>): AuthProvider[] {
  const providers: AuthProvider[] = [];
  const clerkIssuerDomain = optionalVariable(env, "CLERK_JWT_ISSUER_DOMAIN");
  if (clerkIssuerDomain) {
    providers.push({ domain: clerkIssuerDomain, applicationID: CLERK_APPLICATION_ID });
  }
  const devAuthJwks = optionalVariable(env, "DEV_AUTH_JWKS");
  if (devAuthJwks) {
    if (!/^data:[^,]*;base64,[A-Za-z0-9+/]+=*$/.test(devAuthJwks)) {
      throw new Error(
        "DEV_AUTH_JWKS must be a base64 data: URI holding the local public JWKS (written by `npm run dev`). " +
          "Remove it with `npx convex env remove DEV_AUTH_JWKS` if this is not a local deployment.",
      );
    }
    const deploymentUrl = optionalVariable(env, "CONVEX_CLOUD_URL");
    if (deploymentUrl && !isLocalUrl(deploymentUrl)) {
      throw new Error(
        `DEV_AUTH_JWKS is set on ${deploymentUrl}, which is not a local deployment. ` +
          "The demo sign-in is for local development only: run `npx convex env remove DEV_AUTH_JWKS`.",
      );
    }
    providers.push({
      type: "customJwt",
      issuer: DEV_AUTH_ISSUER,
      jwks: devAuthJwks,
      algorithm: "RS256",
      applicationID: DEV_AUTH_APPLICATION_ID,
    });
  }
  return providers;
}
