import { RateLimiter, type RateLimitConfig } from "@convex-dev/rate-limiter";
import { v, type Infer } from "convex/values";
import { components } from "../../_generated/api";
import type { MutationCtx } from "../../_generated/server";

/**
 * Database side of the pacing of Discord requests (SPEC §6: rate limits are respected, 429s are the
 * exception), in the shared rate limiter (`@convex-dev/rate-limiter`). Every provisioning, cleanup
 * and reconciliation run is its own action, so no run alone knows how busy a bucket is: before each
 * request a run reserves a send time here, in one token bucket per Discord rate-limit bucket.
 *
 * - Route buckets (`POST /guilds/:id/roles`, …; see {@link BUCKETS}) are sized from what Discord's
 *   `X-RateLimit-Limit` / `X-RateLimit-Reset-After` headers said ({@link learnRateLimits}, stored in
 *   `discordRouteRateLimits`). A route Discord has not described yet gets at most two requests at a
 *   time (a booking's two role grants; {@link PROBE_MS} apart, nothing reserved ahead) until an
 *   answer tells its limit, so nothing is
 *   planned with a guessed limit; an answer without rate-limit headers means the route has none
 *   (stored as limit 0) and only the global bucket paces it.
 * - The global bucket is Discord's documented 50 requests per second per bot, split into
 *   {@link GLOBAL_SHARDS} shards so that concurrent reservations do not all write one document.
 *
 * A token bucket of capacity C refilled at r per ms lets at most C + r·T requests through in any T
 * ms. Discord's windows start at the first request they count, so for a window of W ms, a limit L and
 * requests that leave or arrive up to a margin m late ({@link safetyMarginMs}: a busy process, network
 * jitter), C + r·(W + m) must stay within L + 1 (below it, per shard). Route buckets hold one token and
 * refill at L per (W + m): reservations are spaced evenly at nearly the full rate. The global bucket
 * holds {@link GLOBAL_BURST} tokens per shard (a few requests leave at once) and refills at the
 * remaining rate. A 429 blocks its bucket until `retry_after` by reserving the tokens of that time
 * ({@link blockRoute}).
 *
 * Reservations reach at most {@link RESERVE_AHEAD_MS} ahead (`maxReserved`): a run asking later is
 * told when to come back and holds nothing meanwhile.
 */

/**
 * How far ahead a send time may be reserved, in ms; a run waits at most this long itself (a burst of
 * 200 bookings books the busiest route about 21 s ahead). A run refused here ends and comes back.
 */
const RESERVE_AHEAD_MS = 30_000;
/** Discord's global limit: 50 requests per second per bot (not announced in headers). */
const GLOBAL_LIMIT = { limit: 50, windowMs: 1_000 } as const;
/** Shards of the global bucket (each refills at its share of the rate). */
const GLOBAL_SHARDS = 2;
/** Requests one shard of the global bucket lets through at once. */
const GLOBAL_BURST = 2;
/**
 * A run reserves its global send time this long (ms) before its route send time, so that the
 * reservation's own round trip does not make it late; the global bucket plans its windows this much
 * longer, since a global token may be taken up to this long before its request leaves.
 */
export const GLOBAL_LEAD_MS = 100;
/** A route not described yet lets one request through per this many ms (its answer usually comes first). */
const PROBE_MS = 250;
/** Name of the global bucket in the rate limiter. */
const GLOBAL_BUCKET = "discord global";

/**
 * Extra length planned for every window of a bucket, in ms: a request may leave or arrive up to this
 * much later than its reserved time without crowding Discord's next window.
 */
export function safetyMarginMs(windowMs: number): number {
  return Math.max(60, Math.round(windowMs * 0.05));
}

/**
 * The route bucket of a Discord request, named by method and route with ids left out, or null when
 * the route's bucket is per resource (`/channels/{id}`: the channel is its major parameter, one
 * request per channel here) and only the global bucket applies. `path` is the URL path, e.g.
 * `/api/v10/guilds/1/roles`.
 */
export function routeBucketOf(method: string, path: string): string | null {
  const route = path
    .replace(/^\/api(\/v\d+)?/, "")
    .replace(/\?.*$/, "")
    .replace(/\/\d{5,}/g, "/:id");
  if (route.startsWith("/channels/")) return null;
  return `${method.toUpperCase()} ${route}`;
}

/** Route buckets of the calls provisioning, cleanup and reconciliation make (null: global only). */
export const BUCKETS = {
  createRole: "POST /guilds/:id/roles",
  deleteRole: "DELETE /guilds/:id/roles/:id",
  listRoles: "GET /guilds/:id/roles",
  createChannel: "POST /guilds/:id/channels",
  listChannels: "GET /guilds/:id/channels",
  addMemberRole: "PUT /guilds/:id/members/:id/roles/:id",
  deleteChannel: null,
} as const;

/** What Discord's headers said about a route bucket: `limit` requests per `windowMs`. */
export const routeRateLimitValidator = v.object({ route: v.string(), limit: v.number(), windowMs: v.number() });
export type RouteRateLimit = Infer<typeof routeRateLimitValidator>;

/** A reservation: `ok` with the send time `at` (epoch ms), or refused with when to ask again. */
export const reservationValidator = v.union(
  v.object({ ok: v.literal(true), at: v.number() }),
  v.object({ ok: v.literal(false), retryAt: v.number() }),
);
export type Reservation = Infer<typeof reservationValidator>;

const rateLimiter = new RateLimiter(components.rateLimiter);

/**
 * The token bucket of `limit` requests per `windowMs` (see the module comment): `burst` tokens per
 * shard, refilled at `limit` − `burst` + 1 per shard's share per window plus margin.
 */
function bucketConfig(limit: number, windowMs: number, shards = 1, burst = 1, lead = 0): RateLimitConfig {
  const period = windowMs + safetyMarginMs(windowMs) + lead;
  const rate = limit - shards * (burst - 1);
  return {
    kind: "token bucket",
    rate,
    period,
    capacity: shards * burst,
    maxReserved: Math.max(1, Math.floor((RESERVE_AHEAD_MS * rate) / period)),
    shards,
  };
}

/** A route not described yet: two requests at a time, nothing reserved ahead. */
const PROBE_CONFIG: RateLimitConfig = { kind: "token bucket", rate: 1, period: PROBE_MS, capacity: 2, maxReserved: 0.5 };

const GLOBAL_CONFIG = bucketConfig(GLOBAL_LIMIT.limit, GLOBAL_LIMIT.windowMs, GLOBAL_SHARDS, GLOBAL_BURST, GLOBAL_LEAD_MS);

async function routeLimitRow(ctx: MutationCtx, route: string) {
  return await ctx.db
    .query("discordRouteRateLimits")
    .withIndex("by_route", (q) => q.eq("route", route))
    .unique();
}


/** Rate-limiter name of a route bucket (the names are not shared with other features). */
function routeBucketName(route: string): string {
  return `discord route ${route}`;
}

async function reserveIn(ctx: MutationCtx, name: string, config: RateLimitConfig, now: number): Promise<Reservation> {
  const { ok, retryAfter } = await rateLimiter.limit(ctx, name, { reserve: true, config });
  if (ok) return { ok: true, at: now + Math.ceil(retryAfter ?? 0) };
  // Refused (booked as far ahead as allowed): come back when there is room again, spread over a
  // window so that refused runs do not all return at once.
  const reachMs = ((config.maxReserved ?? 0) * config.period) / config.rate;
  const room = Math.max(0, (retryAfter ?? 0) - reachMs);
  return { ok: false, retryAt: now + Math.ceil(room + Math.random() * config.period) };
}

/**
 * Reserves a send time for a request in the route bucket `route`, epoch ms ≥ `now`. Only the route
 * bucket: the global one is reserved right before the request leaves ({@link reserveGlobal}), since
 * a global slot reserved for a later send would let requests crowd a second of the global limit.
 * @returns `ok` with the time, or refused (the bucket is booked {@link RESERVE_AHEAD_MS} ahead) with
 * when to ask again.
 */
async function reserveRoute(ctx: MutationCtx, route: string, now: number): Promise<Reservation> {
  const learned = await routeLimitRow(ctx, route);
  if (learned === null) return await reserveIn(ctx, routeBucketName(route), PROBE_CONFIG, now);
  if (learned.limit === 0) return { ok: true, at: now };
  return await reserveIn(ctx, routeBucketName(route), bucketConfig(learned.limit, learned.windowMs), now);
}

/** Reserves a send time (epoch ms ≥ `now`) in the global bucket; see {@link reserveRoute}. */
export async function reserveGlobal(ctx: MutationCtx, now: number): Promise<Reservation> {
  return await reserveIn(ctx, GLOBAL_BUCKET, GLOBAL_CONFIG, now);
}

/** A route reservation answered by {@link reserveRequests}. */
export const requestReservationValidator = v.object({
  route: reservationValidator,
  /** A global send time, reserved at once when the route's send time is now. */
  globalAt: v.optional(v.number()),
  /** The route's limit as stored (null: not learned yet, or a global-only request). */
  known: v.union(v.object({ limit: v.number(), windowMs: v.number() }), v.null()),
});


/**
 * Reserves send times for requests in `buckets` (route buckets; null for a request only the global
 * bucket paces), in order; see {@link reserveRoute}. A request that may leave now also gets its
 * global send time.
 * @param now epoch ms.
 */
export async function reserveRequests(
  ctx: MutationCtx,
  buckets: Array<string | null>,
  now: number,
): Promise<Array<Infer<typeof requestReservationValidator>>> {
  const answers: Array<Infer<typeof requestReservationValidator>> = [];
  for (const bucket of buckets) {
    const learned = bucket === null ? null : await routeLimitRow(ctx, bucket);
    // (reserveRoute reads the same row again: one document, already in this transaction's reads.)
    const route: Reservation = bucket === null ? { ok: true, at: now } : await reserveRoute(ctx, bucket, now);
    const global = route.ok && route.at <= now + GLOBAL_LEAD_MS ? await reserveGlobal(ctx, now) : null;
    answers.push({
      route,
      ...(global?.ok ? { globalAt: global.at } : {}),
      known: learned === null ? null : { limit: learned.limit, windowMs: learned.windowMs },
    });
  }
  return answers;
}

/**
 * Stores route limits Discord's headers revealed (`limit` 0: the answer had no rate-limit headers,
 * the route has no limit of its own). Writes only what changed, so the reservations reading them are
 * not disturbed by every answer.
 */
export async function learnRateLimits(ctx: MutationCtx, observations: RouteRateLimit[]): Promise<void> {
  for (const observation of observations) {
    const unlimited = observation.limit === 0 && observation.windowMs === 0;
    if (!unlimited && !(observation.limit >= 1 && observation.windowMs >= 1)) continue;
    const row = await routeLimitRow(ctx, observation.route);
    if (row === null) await ctx.db.insert("discordRouteRateLimits", observation);
    else if (row.limit !== observation.limit || row.windowMs !== observation.windowMs) {
      await ctx.db.patch("discordRouteRateLimits", row._id, { limit: observation.limit, windowMs: observation.windowMs });
    }
  }
}

/**
 * After a 429 of a route bucket (Discord's `retry_after` = `retryAfterMs`): nothing more is reserved
 * in `route` for that long, by reserving that many ms of its tokens. (A global 429 is waited out by
 * the run that got it: the global bucket's shards cannot be blocked together.)
 */
export async function blockRoute(ctx: MutationCtx, route: string, retryAfterMs: number): Promise<void> {
  const learned = await routeLimitRow(ctx, route);
  // A route not learned yet is probed one request at a time anyway; one without a limit has no bucket.
  if (learned === null || learned.limit === 0) return;
  // `maxReserved` bounds how far ahead runs book, not a block.
  const config = { ...bucketConfig(learned.limit, learned.windowMs), maxReserved: undefined };
  // Only the part of the wait not yet booked is reserved, so several 429s of one window block it once.
  const { retryAfter } = await rateLimiter.check(ctx, routeBucketName(route), { reserve: true, config });
  const count = Math.ceil(((retryAfterMs - (retryAfter ?? 0)) * config.rate) / config.period);
  if (count < 1) return;
  await rateLimiter.limit(ctx, routeBucketName(route), { reserve: true, count, config });
}
