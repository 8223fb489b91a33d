import { calculateRateLimit, RateLimiter, type RateLimitConfig } from "@convex-dev/rate-limiter";
import { v, type Infer } from "convex/values";
import { components } from "../../_generated/api";
import type { MutationCtx } from "../../_generated/server";

/**
 * Database side of the pacing of Discord requests (SPEC §6: rate limits are respected, 429s are the
 * exception), in the shared rate limiter (`@convex-dev/rate-limiter`). Every provisioning, cleanup
 * and reconciliation run is its own action, so no run alone knows how busy a bucket is: before each
 * request a run reserves a send time here, in one bucket per Discord rate-limit bucket.
 *
 * - Route buckets (`POST /guilds/:id/roles`, …; see {@link BUCKETS}) are sized from what Discord's
 *   `X-RateLimit-Limit` / `X-RateLimit-Reset-After` headers said ({@link learnRateLimits}, stored in
 *   `discordRouteRateLimits`). A route Discord has not described yet gets at most two requests at a
 *   time (a booking's two role grants; {@link PROBE_MS} apart, nothing reserved ahead) until an
 *   answer tells its limit, so nothing is planned with a guessed limit; the runs it turns away come
 *   back one after the other ({@link PROBE_WAITERS_SPACING_MS}), not all at once. An answer without
 *   rate-limit headers means the route has none (stored as limit 0) and only the global bucket paces
 *   it.
 * - The global bucket is Discord's documented 50 requests per second per bot.
 *
 * Both are fixed windows, as Discord's are: a Discord window of W ms opens at the first request it
 * counts and lets L requests through. Ours ({@link windowPeriodMs}) hand out their L send times at
 * the window's start, so the requests of a window leave together as one batch, and a window with
 * nothing sent or reserved starts afresh at the next request, as Discord's does
 * ({@link reserveInWindows}).
 * - A request counts in the Discord window its batch opened if it leaves within W − m
 *   ({@link safetyMarginMs}) of its window's start: that is the `until` of its reservation. A run
 *   that misses its `until` reserves again, and a window hands out no send times in its last part.
 *   So a request may leave almost a whole window late (a busy process, the global bucket); evenly
 *   spaced send times tolerated only m of lateness, and a busy process wasted many of them.
 * - A batch that leaves late opens its Discord window late, and the next batch must not leave inside
 *   it. So right before it leaves, each batch of a route waits for the end of the previous batch's
 *   Discord window, as Discord's `X-RateLimit-Reset` told it (`discordRouteRateLimits.lastBatch`,
 *   {@link reserveSend}). Our windows are planned only a little longer than Discord's: the batches
 *   follow Discord's real windows, not a margin guessed for the worst lateness.
 * The global bucket is one document, not sharded: a window must be seen whole to know whether it is
 * idle, and it takes one write per Discord request, at most 50 a second.
 * A 429 blocks its route bucket until `retry_after` by reserving the windows of that time
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
/**
 * A run reserves its global send time this long (ms) before its route send time, so that the
 * reservation's own round trip does not make it late; a global send time is handed out only while
 * the request still leaves in time after this lead.
 */
export const GLOBAL_LEAD_MS = 150;
/** A route not described yet lets one request through per this many ms (its answer usually comes first). */
const PROBE_MS = 250;
/** How late (ms) a request of a route not described yet may leave after its send time. */
const PROBE_LATE_TOLERANCE_MS = PROBE_MS;
/** Spacing of the runs waiting for a route's first answer (its limit is not known yet), in ms. */
const PROBE_WAITERS_SPACING_MS = 5;
/**
 * When the previous batch of a route is still unanswered by the time the next one leaves, its Discord
 * window is taken to end this long (ms) after a window from when it was to leave (it may have left late).
 */
const UNANSWERED_BATCH_MARGIN_MS = 250;
/** How much later (ms) each later batch asks again than the one before it (see {@link reserveSend}). */
const BATCH_ORDER_SPACING_MS = 30;
/** Name of the global bucket in the rate limiter. */
const GLOBAL_BUCKET = "discord global";

/**
 * How much of the end of a window of `windowMs` a batch's stragglers keep clear, in ms: a request
 * that leaves up to W minus this after its batch's window start still arrives in its batch's Discord
 * window.
 */
function safetyMarginMs(windowMs: number): number {
  return Math.max(60, Math.round(windowMs * 0.05));
}

/**
 * Length of our windows for a Discord window of `windowMs`, in ms: a little longer, so that a batch
 * that leaves on time never reaches into the previous batch's Discord window; a batch that leaves
 * late is held back by what Discord's answers said ({@link reserveSend}).
 */
function windowPeriodMs(windowMs: number): number {
  return windowMs + 20;
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

/**
 * What Discord's headers said about a route bucket: `limit` requests per `windowMs`; with `opened`,
 * the answer was the first of a Discord window, opened by a request of the batch of our window
 * `window` (its `until`) and ending at `endsAt` (epoch ms).
 */
export const routeRateLimitValidator = v.object({
  route: v.string(),
  limit: v.number(),
  windowMs: v.number(),
  opened: v.optional(v.object({ window: v.number(), endsAt: v.number() })),
});
export type RouteRateLimit = Infer<typeof routeRateLimitValidator>;

/**
 * A reservation: `ok` with the send time `at` and the time `until` which the request may still leave
 * (epoch ms; none: no limit on lateness), or refused with when to ask again.
 */
const reservationValidator = v.union(
  v.object({ ok: v.literal(true), at: v.number(), until: v.optional(v.number()) }),
  v.object({ ok: v.literal(false), retryAt: v.number() }),
);
export type Reservation = Infer<typeof reservationValidator>;

const rateLimiter = new RateLimiter(components.rateLimiter);

type WindowConfig = Extract<RateLimitConfig, { kind: "fixed window" }>;

/**
 * The fixed windows of a bucket of `limit` requests per `windowMs`: `limit` send times at the start
 * of every window of `windowMs` plus margin, reserved at most {@link RESERVE_AHEAD_MS} ahead.
 */
function windowConfig(limit: number, windowMs: number): WindowConfig {
  const period = windowPeriodMs(windowMs);
  return {
    kind: "fixed window",
    rate: limit,
    period,
    capacity: limit,
    maxReserved: limit * Math.max(1, Math.floor(RESERVE_AHEAD_MS / period)),
  };
}

/** A route not described yet: two requests at a time, nothing reserved ahead. */
const PROBE_CONFIG: RateLimitConfig = { kind: "token bucket", rate: 1, period: PROBE_MS, capacity: 2, maxReserved: 0.5 };

async function routeLimitRow(ctx: MutationCtx, route: string) {
  return await ctx.db
    .query("discordRouteRateLimits")
    .withIndex("by_route", (q) => q.eq("route", route))
    .unique();
}
type RouteLimitRow = Awaited<ReturnType<typeof routeLimitRow>>;

/** Rate-limiter name of a route bucket (the names are not shared with other features). */
function routeBucketName(route: string): string {
  return `discord route ${route}`;
}

/**
 * Where a refused run comes back: when the bucket has room again, in turn with the other refused
 * runs, one every `spacingMs` (a queue of waiters in the rate limiter), so that a crowd of refused
 * runs does not ask again all at once: each asking is a transaction, and a few hundred at once
 * starve the very requests they wait for.
 * @param roomInMs ms from `now` until the bucket has room (epoch ms `now`).
 */
async function comeBackAt(ctx: MutationCtx, name: string, roomInMs: number, spacingMs: number, now: number): Promise<Reservation> {
  const turn = await rateLimiter.limit(ctx, `${name} waiters`, {
    reserve: true,
    config: { kind: "token bucket", rate: 1, period: Math.max(1, spacingMs), capacity: 1 },
  });
  return { ok: false, retryAt: now + Math.ceil(Math.max(0, roomInMs) + (turn.retryAfter ?? 0)) };
}

/**
 * Reserves one send time in the fixed windows `name` of `limit` per `windowMs` (see the module
 * comment), for a request that leaves `lead` ms after asking at the earliest:
 * - a window with nothing sent or reserved starts afresh at `now`;
 * - a window past W − m − `lead` hands out no more send times: its remaining tokens are burnt and
 *   the request gets the next window's start;
 * - otherwise the next free token: now, or the start of a later window.
 * @returns `ok` with `at` and `until` (epoch ms), or refused (booked {@link RESERVE_AHEAD_MS} ahead)
 * with when to ask again.
 */
async function reserveInWindows(
  ctx: MutationCtx,
  name: string,
  limit: number,
  windowMs: number,
  now: number,
  lead = 0,
): Promise<Reservation> {
  let config = windowConfig(limit, windowMs);
  const usableMs = windowMs - safetyMarginMs(windowMs);
  const stored = await rateLimiter.getValue(ctx, name, { config });
  const current = calculateRateLimit({ value: stored.value, ts: stored.ts }, config, now, 0);
  let windowStart = current.ts;
  let count = 1;
  if (current.value >= limit) {
    // Idle: nothing sent in this window and nothing reserved.
    await rateLimiter.reset(ctx, name);
    config = { ...config, start: now };
    windowStart = now;
  } else if (current.value > 0 && now + lead - windowStart > usableMs) {
    count = Math.ceil(current.value) + 1;
  }
  const { ok, retryAfter } = await rateLimiter.limit(ctx, name, { reserve: true, config, count });
  if (ok) {
    if (retryAfter === undefined) return { ok: true, at: now, until: windowStart + usableMs };
    // The start of a later window, on the grid exactly (the rate limiter measured from its own clock).
    const at = windowStart + config.period * Math.round((now + retryAfter - windowStart) / config.period);
    return { ok: true, at, until: at + usableMs };
  }
  const reachMs = (config.maxReserved! / limit) * config.period;
  return await comeBackAt(ctx, name, (retryAfter ?? 0) - reachMs, config.period / limit, now);
}

/** Reserves a send time for a route not described yet ({@link PROBE_CONFIG}). */
async function reserveProbe(ctx: MutationCtx, route: string, now: number): Promise<Reservation> {
  const name = routeBucketName(route);
  const { ok, retryAfter } = await rateLimiter.limit(ctx, name, { reserve: true, config: PROBE_CONFIG });
  if (ok) {
    const at = now + Math.ceil(retryAfter ?? 0);
    return { ok: true, at, until: at + PROBE_LATE_TOLERANCE_MS };
  }
  return await comeBackAt(ctx, name, (retryAfter ?? 0) - PROBE_MS / 2, PROBE_WAITERS_SPACING_MS, now);
}

/**
 * Reserves a send time for a request in the route bucket `route` (whose stored limit is `learned`,
 * null: not learned yet), epoch ms ≥ `now`. Only the route
 * bucket: the global one is reserved right before the request leaves ({@link reserveGlobal}), since
 * a global send time must be in the window the request really leaves in.
 * @returns `ok` with the time, or refused (the bucket is booked {@link RESERVE_AHEAD_MS} ahead) with
 * when to ask again.
 */
async function reserveRoute(ctx: MutationCtx, route: string, learned: RouteLimitRow, now: number): Promise<Reservation> {
  if (learned === null) return await reserveProbe(ctx, route, now);
  if (learned.limit === 0) return { ok: true, at: now };
  return await reserveInWindows(ctx, routeBucketName(route), learned.limit, learned.windowMs, now);
}

/**
 * What a request about to leave needs: its global send time, and `notBefore` (epoch ms): our windows
 * are planned a margin longer than Discord's, but a batch that left late opened its Discord window
 * late too, and the next batch must not leave inside it. So the first request of a batch to ask
 * records the batch (`discordRouteRateLimits.lastBatch`) and waits for the end of the previous
 * batch's Discord window as Discord's answer told it (a request asking before that answer is told to
 * ask again when it is due; with no answer by then, the previous batch's planned departure plus a
 * window and {@link UNANSWERED_BATCH_MARGIN_MS}); the batch's other requests leave with it. No global send
 * time is reserved for a request held back longer than {@link GLOBAL_LEAD_MS}: it asks again then.
 */
export const sendReservationValidator = v.object({
  global: v.optional(reservationValidator),
  notBefore: v.optional(v.number()),
  /** The request's window is older than the route's latest batch: it must take a new send time. */
  superseded: v.optional(v.literal(true)),
});
type SendReservation = Infer<typeof sendReservationValidator>;

/**
 * Tells a request of route bucket `request.bucket` (null: global only) whose route send time is
 * `routeAt` (in our window `routeUntil`) when its batch leaves, and reserves its global send time
 * when that is within {@link GLOBAL_LEAD_MS} (see {@link sendReservationValidator}). Epoch ms.
 */
export async function reserveSend(
  ctx: MutationCtx,
  request: { bucket: string | null; routeAt: number; routeUntil?: number },
  now: number,
): Promise<SendReservation> {
  return await reserveSendWith(ctx, request.bucket === null ? null : await routeLimitRow(ctx, request.bucket), request, now);
}

/** {@link reserveSend} with the route's stored limit `row` already read (null: none, or global only). */
async function reserveSendWith(
  ctx: MutationCtx,
  row: RouteLimitRow,
  request: { routeAt: number; routeUntil?: number },
  now: number,
): Promise<SendReservation> {
  const withGlobal = async (notBefore: number | undefined): Promise<SendReservation> => {
    if (notBefore !== undefined && notBefore > now + GLOBAL_LEAD_MS) return { notBefore };
    const global = await reserveInWindows(ctx, GLOBAL_BUCKET, GLOBAL_LIMIT.limit, GLOBAL_LIMIT.windowMs, now, GLOBAL_LEAD_MS);
    return { global, ...(notBefore !== undefined && notBefore > now ? { notBefore } : {}) };
  };
  const window = request.routeUntil;
  if (row === null || row.limit === 0 || window === undefined) return await withGlobal(undefined);
  const last = row.lastBatch;
  // This request's batch has asked already: leave with it.
  if (last?.window === window) return await withGlobal(last.leavesAt);
  // A straggler of an older window: a later batch is already on its way.
  if (last !== undefined && last.window > window) return { superseded: true };
  if (last !== undefined && last.endsAt === undefined && now < last.leavesAt + row.windowMs - GLOBAL_LEAD_MS) {
    // The previous batch has not been answered yet (it may not even have left): ask again shortly
    // before its Discord window could end, when its answer is known; batches of later windows a
    // little later each, so that they ask in their order.
    const period = windowPeriodMs(row.windowMs);
    const behind = Math.max(0, Math.round((window - last.window) / period) - 1);
    return { notBefore: last.leavesAt + row.windowMs + behind * BATCH_ORDER_SPACING_MS };
  }
  const previousEnd = last === undefined ? undefined : (last.endsAt ?? last.leavesAt + row.windowMs + UNANSWERED_BATCH_MARGIN_MS);
  const leavesAt = Math.max(now, request.routeAt, previousEnd ?? now);
  await ctx.db.patch("discordRouteRateLimits", row._id, { lastBatch: { window, leavesAt } });
  return await withGlobal(leavesAt);
}

/** A route reservation answered by {@link reserveRequests}. */
export const requestReservationValidator = v.object({
  route: reservationValidator,
  /** What the request needs to leave, reserved at once when the route's send time is now. */
  send: v.optional(sendReservationValidator),
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
    const route: Reservation = bucket === null ? { ok: true, at: now } : await reserveRoute(ctx, bucket, learned, now);
    const send =
      route.ok && route.at <= now + GLOBAL_LEAD_MS
        ? await reserveSendWith(ctx, learned, { routeAt: route.at, ...(route.until !== undefined ? { routeUntil: route.until } : {}) }, now)
        : null;
    answers.push({
      route,
      ...(send?.global?.ok ? { send } : {}),
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
    const { opened, ...limit } = observation;
    if (row === null) {
      // The first answer of a route (a probe): the next batch must wait for the end of its window too.
      const lastBatch = opened && { window: opened.window, leavesAt: opened.endsAt - limit.windowMs, endsAt: opened.endsAt };
      await ctx.db.insert("discordRouteRateLimits", { ...limit, ...(lastBatch ? { lastBatch } : {}) });
      continue;
    }
    // The end of the latest batch's Discord window (an answer to an older batch no longer matters).
    const ends = opened !== undefined && row.lastBatch?.window === opened.window && row.lastBatch.endsAt === undefined;
    if (row.limit !== limit.limit || row.windowMs !== limit.windowMs || ends) {
      await ctx.db.patch("discordRouteRateLimits", row._id, {
        ...limit,
        ...(ends ? { lastBatch: { ...row.lastBatch!, endsAt: opened.endsAt } } : {}),
      });
    }
  }
}

/**
 * After a 429 of a route bucket (Discord's `retry_after` = `retryAfterMs`): nothing more is reserved
 * in `route` for that long, by reserving the windows of that time. (A global 429 is waited out by
 * the run that got it.)
 */
export async function blockRoute(ctx: MutationCtx, route: string, retryAfterMs: number): Promise<void> {
  const learned = await routeLimitRow(ctx, route);
  // A route not learned yet is probed one request at a time anyway; one without a limit has no bucket.
  if (learned === null || learned.limit === 0) return;
  // `maxReserved` bounds how far ahead runs book, not a block.
  const config = { ...windowConfig(learned.limit, learned.windowMs), maxReserved: undefined };
  // Only the part of the wait not yet booked is reserved (whole windows), so several 429s of one
  // window block it once.
  const { retryAfter } = await rateLimiter.check(ctx, routeBucketName(route), { reserve: true, config });
  const windows = Math.ceil((retryAfterMs - (retryAfter ?? 0)) / config.period);
  if (windows < 1) return;
  await rateLimiter.limit(ctx, routeBucketName(route), { reserve: true, count: windows * config.rate, config });
}
