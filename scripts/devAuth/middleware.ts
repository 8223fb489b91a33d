/**
 * The dev-auth HTTP middleware (connect-style), served by the Vite dev server through
 * `vitePlugin.ts` and by plain `node:http` servers in tests. No Vite import, so client tests can use it.
 *
 * Routes:
 * - `GET /__dev-auth/personas` → 200 `{ personas, signingKeyConfigured }` (the seeded PERSONAS).
 * - `POST /__dev-auth/token` with JSON `{ subject }` → 200 `{ token, expiresAt }`: an RS256 JWT for
 *   that persona (15 minutes), signed with the private key `readPrivateKey()` returns.
 *   400 bad body / content type (JSON only, which also forces a CORS preflight for other sites),
 *   404 unknown subject, 503 private key missing or unusable (run `npm run dev`).
 * Any other method or path under `/__dev-auth/` → 405 / 404; other paths go to `next()`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { PERSONAS, type Persona } from "../../convex/model/users/personas.ts";
import {
  DEV_AUTH_PATH_PREFIX,
  PERSONAS_PATH,
  TOKEN_PATH,
  type ErrorResponse,
  type PersonasResponse,
  type TokenResponse,
} from "../../src/auth/dev/devAuthApi.ts";
import { mintPersonaToken } from "./tokens.ts";

/** Largest accepted request body, in bytes. */
const MAX_BODY_BYTES = 4096;

type Middleware = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

export type DevAuthMiddlewareOptions = {
  /** Returns the PKCS#8 PEM private key, read fresh for each token request (undefined = not set up). */
  readPrivateKey: () => string | undefined;
  /** The personas that may sign in; defaults to the seeded PERSONAS. */
  personas?: readonly Persona[];
};

function sendJson(response: ServerResponse, status: number, body: PersonasResponse | TokenResponse | ErrorResponse) {
  response.statusCode = status;
  response.setHeader("content-type", "application/json; charset=utf-8");
  response.setHeader("cache-control", "no-store");
  response.end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error("request body too large");
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function handleToken(
  request: IncomingMessage,
  response: ServerResponse,
  { readPrivateKey, personas = PERSONAS }: DevAuthMiddlewareOptions,
) {
  if (!(request.headers["content-type"] ?? "").startsWith("application/json")) {
    return sendJson(response, 400, { error: "Send the subject as JSON (content-type: application/json)." });
  }
  let subject: unknown;
  try {
    subject = (JSON.parse(await readBody(request)) as { subject?: unknown }).subject;
  } catch {
    return sendJson(response, 400, { error: 'Expected a JSON body like {"subject": "persona-admin"}.' });
  }
  if (typeof subject !== "string" || subject === "") {
    return sendJson(response, 400, { error: 'Expected a JSON body like {"subject": "persona-admin"}.' });
  }
  const persona = personas.find((candidate) => candidate.subject === subject);
  if (!persona) {
    return sendJson(response, 404, { error: `No seeded persona has the subject "${subject}".` });
  }
  const privateKey = readPrivateKey();
  if (!privateKey) {
    return sendJson(response, 503, {
      error: "DEV_AUTH_PRIVATE_KEY is missing from .env.local. Stop the dev server and run `npm run dev`, which sets up local sign-in.",
    });
  }
  try {
    return sendJson(response, 200, await mintPersonaToken(privateKey, persona));
  } catch (error) {
    return sendJson(response, 503, {
      error: `DEV_AUTH_PRIVATE_KEY in .env.local is not a usable RSA private key (${String(error)}). Delete that line and run \`npm run dev\`.`,
    });
  }
}

/** Creates the middleware; see the file comment for the routes and answers. */
export function createDevAuthMiddleware(options: DevAuthMiddlewareOptions): Middleware {
  const personas = options.personas ?? PERSONAS;
  return (request, response, next) => {
    const pathname = new URL(request.url ?? "/", "http://localhost").pathname;
    if (!pathname.startsWith(DEV_AUTH_PATH_PREFIX)) return next();
    if (pathname === PERSONAS_PATH) {
      if (request.method !== "GET") return sendJson(response, 405, { error: "Use GET." });
      return sendJson(response, 200, {
        personas: personas.map(({ subject, name, email, roles, description }) => ({ subject, name, email, roles, description })),
        signingKeyConfigured: Boolean(options.readPrivateKey()),
      });
    }
    if (pathname === TOKEN_PATH) {
      if (request.method !== "POST") return sendJson(response, 405, { error: "Use POST." });
      handleToken(request, response, options).catch(next);
      return;
    }
    return sendJson(response, 404, { error: `Unknown dev-auth route ${pathname}.` });
  };
}
