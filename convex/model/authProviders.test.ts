import { describe, expect, test } from "vitest";
import { authProviders } from "./authProviders";
import { DEV_AUTH_APPLICATION_ID, DEV_AUTH_ISSUER } from "./users/personas";

const CLERK_DOMAIN = "https://example-app.clerk.accounts.dev";
const JWKS_DATA_URI =
  "data:text/plain;charset=utf-8;base64," + btoa(JSON.stringify({ keys: [{ kty: "RSA", n: "abc", e: "AQAB", kid: "k1" }] }));

/**
 * `process.env` as the backend gives it to the auth config: reading a variable that is not set
 * throws (backend `crates/isolate/src/environment/auth_config.rs`).
 */
function backendAuthConfigEnv(variables: Record<string, string>): Record<string, string | undefined> {
  return new Proxy(variables, {
    get(target, name) {
      if (typeof name === "string" && !(name in target)) {
        throw new Error(`Environment variable ${name} is used in auth config file but its value was not set`);
      }
      return Reflect.get(target, name) as string;
    },
  });
}

describe("authProviders (the providers convex/auth.config.ts installs)", () => {
  test.each([
    ["nothing set (the first push of npm run dev)", {}, 0],
    ["Clerk only (a production deploy)", { CLERK_JWT_ISSUER_DOMAIN: CLERK_DOMAIN }, 1],
    ["demo sign-in only", { DEV_AUTH_JWKS: JWKS_DATA_URI, CONVEX_CLOUD_URL: "http://127.0.0.1:3210" }, 1],
    ["both", { CLERK_JWT_ISSUER_DOMAIN: CLERK_DOMAIN, DEV_AUTH_JWKS: JWKS_DATA_URI, CONVEX_CLOUD_URL: "http://127.0.0.1:3210" }, 2],
  ])("evaluates where unset variables throw, as on the backend: %s", (_name, variables, count) => {
    expect(authProviders(backendAuthConfigEnv(variables))).toHaveLength(count);
  });

  test("no variables: no provider, so nobody can sign in", () => {
    expect(authProviders({})).toEqual([]);
  });

  test("Clerk only: the Clerk issuer with application id 'convex', and no demo sign-in", () => {
    expect(authProviders({ CLERK_JWT_ISSUER_DOMAIN: CLERK_DOMAIN })).toEqual([
      { domain: CLERK_DOMAIN, applicationID: "convex" },
    ]);
  });

  test("empty variables count as unset", () => {
    expect(authProviders({ CLERK_JWT_ISSUER_DOMAIN: "", DEV_AUTH_JWKS: "" })).toEqual([]);
  });

  test("dev JWKS only: a customJwt RS256 provider for the local issuer and audience", () => {
    expect(authProviders({ DEV_AUTH_JWKS: JWKS_DATA_URI, CONVEX_CLOUD_URL: "http://127.0.0.1:3210" })).toEqual([
      {
        type: "customJwt",
        issuer: DEV_AUTH_ISSUER,
        jwks: JWKS_DATA_URI,
        algorithm: "RS256",
        applicationID: DEV_AUTH_APPLICATION_ID,
      },
    ]);
  });

  test("both: Clerk and the demo sign-in side by side", () => {
    const providers = authProviders({ CLERK_JWT_ISSUER_DOMAIN: CLERK_DOMAIN, DEV_AUTH_JWKS: JWKS_DATA_URI });
    expect(providers).toHaveLength(2);
    expect(providers[0]).toEqual({ domain: CLERK_DOMAIN, applicationID: "convex" });
    expect(providers[1]).toMatchObject({ type: "customJwt", issuer: DEV_AUTH_ISSUER, jwks: JWKS_DATA_URI });
  });

  test("a JWKS that is a URL instead of a data: URI is rejected", () => {
    expect(() => authProviders({ DEV_AUTH_JWKS: "https://attacker.example.com/.well-known/jwks.json" })).toThrow(
      /DEV_AUTH_JWKS must be a base64 data: URI/,
    );
  });

  test("raw JSON or a non-base64 data: URI is rejected", () => {
    expect(() => authProviders({ DEV_AUTH_JWKS: '{"keys":[]}' })).toThrow(/data: URI/);
    expect(() => authProviders({ DEV_AUTH_JWKS: "data:application/json,%7B%22keys%22%3A%5B%5D%7D" })).toThrow(/data: URI/);
  });

  test("the demo sign-in is refused on a hosted deployment even if the variable was set by hand", () => {
    expect(() =>
      authProviders({ DEV_AUTH_JWKS: JWKS_DATA_URI, CONVEX_CLOUD_URL: "https://happy-animal-123.convex.cloud" }),
    ).toThrow(/not a local deployment/);
  });

  test("localhost deployment URLs are accepted", () => {
    expect(authProviders({ DEV_AUTH_JWKS: JWKS_DATA_URI, CONVEX_CLOUD_URL: "http://localhost:3210" })).toHaveLength(1);
  });
});
