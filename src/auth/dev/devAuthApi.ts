/**
 * The HTTP contract between the dev-auth Vite middleware (`scripts/devAuth/vitePlugin.ts`) and the
 * dev-only client code in this folder. Only reachable from code behind `import.meta.env.DEV`, so
 * none of it is part of a production bundle (`scripts/checkProductionBuild.mjs` checks that).
 */
import type { Role } from "../../../convex/model/users/roles";

/** Route prefix served by the Vite dev server only. */
export const DEV_AUTH_PATH_PREFIX = "/__dev-auth/";
/** `GET` → {@link PersonasResponse}. */
export const PERSONAS_PATH = `${DEV_AUTH_PATH_PREFIX}personas`;
/** `POST` `{ subject }` (JSON) → {@link TokenResponse}; 404 unknown subject; 503 no signing key. */
export const TOKEN_PATH = `${DEV_AUTH_PATH_PREFIX}token`;

/** What the persona picker shows about one seeded demo person. */
export type PersonaSummary = {
  subject: string;
  name: string;
  email: string;
  roles: Role[];
  description: string;
};

export type PersonasResponse = {
  personas: PersonaSummary[];
  /** False until `npm run dev` has written DEV_AUTH_PRIVATE_KEY to .env.local. */
  signingKeyConfigured: boolean;
};

/** A signed JWT for Convex and its expiry (epoch ms). */
export type TokenResponse = { token: string; expiresAt: number };

/** Body of every non-2xx answer. */
export type ErrorResponse = { error: string };

/** A non-2xx answer from the dev-auth middleware, with its status and message. */
export class DevAuthRequestError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = "DevAuthRequestError";
    this.status = status;
  }
}

async function readJson<T>(response: Response): Promise<T> {
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      message = ((await response.json()) as ErrorResponse).error ?? message;
    } catch {
      // Not JSON (for example the dev server is not running this plugin): keep the status line.
    }
    throw new DevAuthRequestError(response.status, message);
  }
  return (await response.json()) as T;
}

/**
 * Lists the seeded personas (`GET /__dev-auth/personas`).
 * @param origin base URL of the Vite dev server; empty for same-origin requests from the page
 * @throws {DevAuthRequestError} on a non-2xx answer
 */
export async function fetchPersonas(origin = ""): Promise<PersonasResponse> {
  return readJson<PersonasResponse>(await fetch(`${origin}${PERSONAS_PATH}`, { headers: { accept: "application/json" } }));
}

/**
 * Asks the dev server for a fresh 15-minute token for `subject` (`POST /__dev-auth/token`).
 * @param subject a persona's `subject`
 * @param origin base URL of the Vite dev server; empty for same-origin requests from the page
 * @throws {DevAuthRequestError} 404 unknown persona, 503 signing key missing, 400 bad request
 */
export async function fetchPersonaToken(subject: string, origin = ""): Promise<TokenResponse> {
  return readJson<TokenResponse>(
    await fetch(`${origin}${TOKEN_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ subject }),
    }),
  );
}
