/**
 * Discord's rate limits as the fake applies them: the bot's global limit (requests per second) and
 * per-route buckets keyed like Discord's (route + major parameter), each a window that starts at the
 * first request it counts. Every answer of a limited route carries Discord's `X-RateLimit-*` headers;
 * a request over a limit gets Discord's 429 body and headers.
 */
import { createHash } from "node:crypto";
import type { ApiRoute } from "./routes";
import type { GuildRuntime } from "./world";

/** A 429 answer: status, Discord's body and headers. */
export interface RateLimitedAnswer {
  status: 429;
  body: { message: string; retry_after: number; global: boolean; code: number };
  headers: Record<string, string>;
}

function rateLimitedBody(retryAfterMs: number, global: boolean) {
  return {
    message: "You are being rate limited.",
    retry_after: Math.max(0.001, Math.round(retryAfterMs) / 1000),
    global,
    code: 0,
  };
}

function retryAfterHeader(retryAfterMs: number): string {
  return String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
}

function bucketHash(method: string, template: string): string {
  return createHash("sha1").update(`${method} ${template}`).digest("hex").slice(0, 32);
}

/** A 429 of the bot's global limit, `retryAfterMs` from now. */
export function globalRateLimited(retryAfterMs: number): RateLimitedAnswer {
  return {
    status: 429,
    body: rateLimitedBody(retryAfterMs, true),
    headers: { "Retry-After": retryAfterHeader(retryAfterMs), "X-RateLimit-Global": "true", "X-RateLimit-Scope": "global" },
  };
}

/** A 429 of a route bucket, `retryAfterMs` from now, with the bucket's `headers`. */
export function routeRateLimited(retryAfterMs: number, headers: Record<string, string>): RateLimitedAnswer {
  return {
    status: 429,
    body: rateLimitedBody(retryAfterMs, false),
    headers: { ...headers, "Retry-After": retryAfterHeader(retryAfterMs), "X-RateLimit-Scope": "user" },
  };
}

/** The role-creation cap (about 250 per 48 h): a 429 whose bucket resets in hours. */
export function roleCreationCapped(retryAfterMs: number, headers: Record<string, string>, now: number): RateLimitedAnswer {
  return routeRateLimited(retryAfterMs, {
    ...headers,
    "X-RateLimit-Remaining": "0",
    "X-RateLimit-Reset-After": (retryAfterMs / 1000).toFixed(3),
    "X-RateLimit-Reset": ((now + retryAfterMs) / 1000).toFixed(3),
  });
}

/** Counts a request against the bot's global limit at `now` (epoch ms); a 429 when it is over. */
export function countGlobal(runtime: GuildRuntime, now: number): RateLimitedAnswer | null {
  const perSecond = runtime.guild.rateLimits.globalPerSecond;
  if (perSecond <= 0) return null;
  const window = runtime.globalWindow;
  if (now >= window.resetAt) {
    window.count = 0;
    window.resetAt = now + 1000;
  }
  window.count += 1;
  return window.count > perSecond ? globalRateLimited(window.resetAt - now) : null;
}

function limitFor(runtime: GuildRuntime, apiRoute: ApiRoute, operationId: string | null) {
  const limits = runtime.guild.rateLimits;
  const override =
    (operationId ? limits.perRoute[operationId] : undefined) ?? limits.perRoute[`${apiRoute.method} ${apiRoute.template}`];
  return override ?? { limit: limits.routeLimit, windowMs: limits.routeWindowMs };
}

/**
 * Counts a request against its route bucket at `now` (epoch ms): the `X-RateLimit-*` headers every
 * answer of the route carries (none when the route is unlimited), and a 429 when it is over.
 */
export function countRoute(
  runtime: GuildRuntime,
  apiRoute: ApiRoute,
  params: Record<string, string>,
  operationId: string | null,
  now: number,
): { headers: Record<string, string>; limited: RateLimitedAnswer | null } {
  const { limit, windowMs } = limitFor(runtime, apiRoute, operationId);
  if (limit <= 0) return { headers: {}, limited: null };
  const key = `${apiRoute.method} ${apiRoute.template} ${params[apiRoute.majorParam] ?? ""}`;
  const bucket = runtime.buckets.get(key) ?? { count: 0, resetAt: 0 };
  runtime.buckets.set(key, bucket);
  if (now >= bucket.resetAt) {
    bucket.count = 0;
    bucket.resetAt = now + windowMs;
  }
  bucket.count += 1;
  const resetAfterMs = Math.max(0, bucket.resetAt - now);
  const headers = {
    "X-RateLimit-Limit": String(limit),
    "X-RateLimit-Remaining": String(Math.max(0, limit - bucket.count)),
    "X-RateLimit-Reset": (bucket.resetAt / 1000).toFixed(3),
    "X-RateLimit-Reset-After": (resetAfterMs / 1000).toFixed(3),
    "X-RateLimit-Bucket": bucketHash(apiRoute.method, apiRoute.template),
  };
  return { headers, limited: bucket.count > limit ? routeRateLimited(resetAfterMs, headers) : null };
}
