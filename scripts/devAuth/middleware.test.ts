import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createLocalJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEV_AUTH_APPLICATION_ID, DEV_AUTH_ISSUER, PERSONAS } from "../../convex/model/users/personas";
import { DevAuthRequestError, fetchPersonas, fetchPersonaToken, TOKEN_PATH } from "../../src/auth/dev/devAuthApi";
import { generatePrivateKeyPem, publicJwksFromPrivateKey } from "./keys.mjs";
import { createDevAuthMiddleware } from "./middleware";

/** Serves the middleware from a real HTTP server on 127.0.0.1, like the Vite dev server does. */
async function serve(readPrivateKey: () => string | undefined): Promise<{ origin: string; server: Server }> {
  const middleware = createDevAuthMiddleware({ readPrivateKey });
  const server = createServer((request, response) =>
    middleware(request, response, () => {
      response.statusCode = 418;
      response.end("passed to the next middleware");
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe("dev-auth middleware", () => {
  let privateKeyPem: string | undefined;
  let origin: string;
  let server: Server;

  beforeAll(async () => {
    privateKeyPem = await generatePrivateKeyPem();
    ({ origin, server } = await serve(() => privateKeyPem));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test("lists every seeded persona", async () => {
    const { personas, signingKeyConfigured } = await fetchPersonas(origin);
    expect(signingKeyConfigured).toBe(true);
    expect(personas.map((persona) => persona.subject)).toEqual(PERSONAS.map((persona) => persona.subject));
    expect(personas.find((persona) => persona.subject === "persona-coach-john")).toEqual({
      subject: "persona-coach-john",
      name: "John Coach",
      email: "john.coach@example.com",
      roles: ["coach", "mentor"],
      description: "1:1 coach who also mentors",
    });
  });

  test("mints a token for a persona that verifies against the public JWKS", async () => {
    const { token, expiresAt } = await fetchPersonaToken("persona-student-amira", origin);
    const jwks = createLocalJWKSet(await publicJwksFromPrivateKey(privateKeyPem!));
    const { payload } = await jwtVerify(token, jwks, { issuer: DEV_AUTH_ISSUER, audience: DEV_AUTH_APPLICATION_ID });
    expect(payload.sub).toBe("persona-student-amira");
    expect(payload.email).toBe("amira.student@example.com");
    expect(expiresAt).toBe(payload.exp! * 1000);
    expect(expiresAt - Date.now()).toBeGreaterThan(14 * 60 * 1000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(15 * 60 * 1000);
  });

  test("an unknown subject gets 404 and no token", async () => {
    const error = await fetchPersonaToken("someone-else", origin).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DevAuthRequestError);
    expect((error as DevAuthRequestError).status).toBe(404);
    expect((error as DevAuthRequestError).message).toMatch(/someone-else/);
  });

  test("without a private key: 503 telling to run npm run dev, and the persona list says so", async () => {
    const saved = privateKeyPem;
    privateKeyPem = undefined;
    try {
      const error = await fetchPersonaToken("persona-admin", origin).catch((caught: unknown) => caught);
      expect((error as DevAuthRequestError).status).toBe(503);
      expect((error as DevAuthRequestError).message).toMatch(/npm run dev/);
      expect((await fetchPersonas(origin)).signingKeyConfigured).toBe(false);
    } finally {
      privateKeyPem = saved;
    }
  });

  test("a non-JSON body is refused (so other sites cannot post a simple cross-origin form)", async () => {
    const response = await fetch(`${origin}${TOKEN_PATH}`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ subject: "persona-admin" }),
    });
    expect(response.status).toBe(400);
  });

  test("wrong method and unknown dev-auth paths are refused; other paths pass through", async () => {
    expect((await fetch(`${origin}${TOKEN_PATH}`)).status).toBe(405);
    expect((await fetch(`${origin}/__dev-auth/keys`)).status).toBe(404);
    expect((await fetch(`${origin}/src/main.tsx`)).status).toBe(418);
  });
});
