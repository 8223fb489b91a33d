import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { beforeAll, describe, expect, test } from "vitest";
import { authProviders } from "../../convex/model/authProviders";
import { DEV_AUTH_APPLICATION_ID, DEV_AUTH_ISSUER, PERSONAS } from "../../convex/model/users/personas";
import { generatePrivateKeyPem, jwksFromDataUri, jwksToDataUri, publicJwksFromPrivateKey } from "./keys.mjs";
import { DEV_TOKEN_LIFETIME_SECONDS, mintPersonaToken } from "./tokens";

const mentor = PERSONAS.find((persona) => persona.subject === "persona-mentor")!;

/** Verifies like the Convex deployment does: keys from the data URI, issuer, audience, expiry. */
async function verifyWithDataUri(token: string, dataUri: string) {
  return jwtVerify(token, createLocalJWKSet(jwksFromDataUri(dataUri)), {
    issuer: DEV_AUTH_ISSUER,
    audience: DEV_AUTH_APPLICATION_ID,
    algorithms: ["RS256"],
  });
}

describe("dev-auth keys and persona tokens", () => {
  let privateKeyPem: string;
  let dataUri: string;

  beforeAll(async () => {
    privateKeyPem = await generatePrivateKeyPem();
    dataUri = jwksToDataUri(await publicJwksFromPrivateKey(privateKeyPem));
  });

  test("the private key is a PKCS#8 PEM and the JWKS holds only the public part, with kid, alg and use", async () => {
    expect(privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const jwks = jwksFromDataUri(dataUri);
    expect(jwks.keys).toHaveLength(1);
    const [key] = jwks.keys;
    expect(Object.keys(key).sort()).toEqual(["alg", "e", "kid", "kty", "n", "use"]);
    expect(key).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig" });
    expect(dataUri.startsWith("data:text/plain;charset=utf-8;base64,")).toBe(true);
  });

  test("the data URI is accepted by auth.config's provider list as a customJwt provider", () => {
    expect(authProviders({ DEV_AUTH_JWKS: dataUri })).toEqual([
      expect.objectContaining({ type: "customJwt", jwks: dataUri, issuer: DEV_AUTH_ISSUER }),
    ]);
  });

  test("a minted token verifies against the JWKS with the persona's identity and a 15-minute lifetime", async () => {
    const now = Math.floor(Date.now() / 1000);
    const { token, expiresAt } = await mintPersonaToken(privateKeyPem, mentor, now);
    const { payload, protectedHeader } = await verifyWithDataUri(token, dataUri);
    expect(protectedHeader).toMatchObject({ alg: "RS256", typ: "JWT", kid: jwksFromDataUri(dataUri).keys[0].kid });
    expect(payload).toMatchObject({
      iss: DEV_AUTH_ISSUER,
      aud: DEV_AUTH_APPLICATION_ID,
      sub: "persona-mentor",
      name: mentor.name,
      email: mentor.email,
      iat: now,
      exp: now + 15 * 60,
    });
    expect(DEV_TOKEN_LIFETIME_SECONDS).toBe(900);
    expect(expiresAt).toBe((now + 900) * 1000);
  });

  test("a token signed by another key is rejected", async () => {
    const otherKey = await generatePrivateKeyPem();
    const { token } = await mintPersonaToken(otherKey, mentor);
    await expect(verifyWithDataUri(token, dataUri)).rejects.toThrow();
  });

  test("a token whose kid matches but whose signature is forged is rejected", async () => {
    const otherKey = await generatePrivateKeyPem();
    const { token } = await mintPersonaToken(otherKey, mentor);
    const { token: genuine } = await mintPersonaToken(privateKeyPem, mentor);
    const [genuineHeader] = genuine.split(".");
    const [, payload, signature] = token.split(".");
    const forged = [genuineHeader, payload, signature].join(".");
    expect(decodeProtectedHeader(forged).kid).toBe(jwksFromDataUri(dataUri).keys[0].kid);
    await expect(verifyWithDataUri(forged, dataUri)).rejects.toThrow(/signature/);
  });

  test("an expired token is rejected", async () => {
    const sixteenMinutesAgo = Math.floor(Date.now() / 1000) - 16 * 60;
    const { token } = await mintPersonaToken(privateKeyPem, mentor, sixteenMinutesAgo);
    await expect(verifyWithDataUri(token, dataUri)).rejects.toThrow(/exp/);
  });
});
