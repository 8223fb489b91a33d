import { v, type Infer } from "convex/values";
import { internal } from "../../_generated/api";
import type { ActionCtx, MutationCtx } from "../../_generated/server";
import { isDiscordRequestError } from "./errors";

/**
 * Shared pacing of Discord requests across actions (SPEC §6: rate limits are respected, 429s are
 * the exception). Every provisioning and cleanup run is its own action with its own HTTP client, so
 * no client alone knows how busy a bucket is. Before each request a run reserves a send time in the
 * database for the request's rate-limit buckets: the bot's global bucket and, for routes whose bucket
 * is the guild's, the route's bucket. A reservation is the earliest time at which no window of the
 * bucket's length holds more than its limit of sends (plus a small margin for network jitter), so a
 * burst uses each bucket's full allowance and then exactly its refill rate.
 *
 * A run sleeps until its reservation when that is at most {@link MAX_INLINE_WAIT_MS} away; otherwise it
 * ends, keeps the reservation (stored on the session as a held slot) and is rescheduled shortly before
 * that time, so no action sleeps long and no reserved capacity is lost. A run that reaches a send
 * time already past (the process was busy) gives it back and takes a new one instead of crowding the
 * next window.
 *
 * Limits are learned from Discord's `X-RateLimit-Limit` / `X-RateLimit-Reset-After` headers; until a
 * route's first answer the defaults below apply, with a wide margin and for a short horizon only. A
 * 429 blocks the bucket until its `retry_after`. The global bucket is planned at 80% of Discord's
 * documented 50 requests per second.
 *
 * Measured against the fake Discord (`convex/coachingDiscord.bench.ts`): a burst of 200 bookings
 * finishes within ~1.2× of the rate limits' floor with a handful of 429s (during the first seconds,
 * before the limits are learned), cleanup of 200 sessions within ~1.1× with none.
 */

/** Longest wait a run does itself before a request, in ms. */
export const MAX_INLINE_WAIT_MS = 3_000;
/**
 * A deferred run is scheduled this much before its reserved send time, so that starting it (claim,
 * reading the session) does not make it miss the slot; it sleeps the rest.
 */
export const WAKE_EARLY_MS = 2_000;
/** The bot-wide bucket: Discord documents 50 requests per second. */
export const GLOBAL_BUCKET = "global";
export const GLOBAL_LIMIT = { limit: 50, windowMs: 1_000 };
/** Share of the global limit the pacing plans with (other traffic of the bot, and arrival jitter). */
const GLOBAL_SHARE = 0.8;
/**
 * Assumed for a route until Discord's headers tell its real limit. Only a couple of seconds are
 * planned with it (see {@link reserveSendTime}); if Discord's limit is lower, the first answers teach
 * it (and a few early 429s are waited out).
 */
export const DEFAULT_ROUTE_LIMIT = { limit: 10, windowMs: 1_000 };
/**
 * Extra spacing between windows: requests leave a little after their reserved time and take
 * different times to arrive, and Discord counts arrivals. A share of the window, at least 50 ms.
 */
export function windowMargin(windowMs: number): number {
  return Math.max(50, Math.round(windowMs * 0.04));
}
/** A reserved send time missed by more than this (ms) is given back and replaced. */
const LATE_TOLERANCE_MS = 25;
/** Margin (share of the window) while a route's limit is still assumed. */
const GUESS_MARGIN_SHARE = 0.5;
/** How often one request is re-reserved and resent after an unexpected 429 within a run. */
const MAX_RESENDS = 3;

/** A reserved send time of a route bucket (and, with it, the global bucket). */
export const heldSlotValidator = v.object({ bucket: v.string(), at: v.number() });
export type HeldSlot = Infer<typeof heldSlotValidator>;

/** What Discord's headers said about a bucket (limit per window). */
export const rateLimitObservationValidator = v.object({ bucket: v.string(), limit: v.number(), windowMs: v.number() });
export type RateLimitObservation = Infer<typeof rateLimitObservationValidator>;

/**
 * The route bucket of a Discord request, named by route (ids left out), or null when the route's
 * bucket is per resource (`DELETE /channels/{id}`: its major parameter is the channel) and only the
 * global bucket applies. `path` is below the API version, e.g. `/guilds/1/roles`.
 */
export function routeBucketOf(method: string, path: string): string | null {
  const route = path
    .replace(/^\/api(\/v\d+)?/, "")
    .replace(/\?.*$/, "")
    .replace(/\/\d{5,}/g, "/:id");
  if (route.startsWith("/channels/")) return null;
  return `${method.toUpperCase()} ${route}`;
}

/** Route buckets of the calls provisioning, cleanup and reconciliation make. */
export const BUCKETS = {
  createRole: "POST /guilds/:id/roles",
  deleteRole: "DELETE /guilds/:id/roles/:id",
  listRoles: "GET /guilds/:id/roles",
  createChannel: "POST /guilds/:id/channels",
  listChannels: "GET /guilds/:id/channels",
  addMemberRole: "PUT /guilds/:id/members/:id/roles/:id",
  /** `DELETE /channels/{id}`: per-channel bucket, only the global one is shared. */
  deleteChannel: null,
} as const;

async function bucketRow(ctx: MutationCtx, bucket: string) {
  return await ctx.db
    .query("discordRateLimits")
    .withIndex("by_bucket", (q) => q.eq("bucket", bucket))
    .first();
}

type BucketState = { limit: number; windowMs: number; sends: number[]; blockedUntil: number; span: number };

/** First index of `sorted` whose value is ≥ `value`. */
function lowerBound(sorted: number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** True when a send at `t` would put `limit + 1` sends into some window of `span` ms containing `t`. */
function overfull(state: BucketState, span: number, t: number): boolean {
  const { sends, limit } = state;
  // The fullest window containing t starts at t or at one of the sends in (t − span, t].
  const starts = [t];
  for (let index = lowerBound(sends, t - span + 1); index < sends.length && sends[index] <= t; index += 1) starts.push(sends[index]);
  for (const start of starts) {
    if (lowerBound(sends, start + span) - lowerBound(sends, start) >= limit) return true;
  }
  return false;
}

/** Earliest send time ≥ `from` that overfills none of `states`. */
function earliestSendTime(states: BucketState[], from: number): number {
  let t = Math.max(from, ...states.map((state) => state.blockedUntil));
  for (let guard = 0; guard < 100_000; guard += 1) {
    const blocking = states.filter((state) => overfull(state, state.span, t));
    if (blocking.length === 0) return t;
    // Move to the next moment a send leaves a window of a blocking bucket.
    let next = Infinity;
    for (const state of blocking) {
      const span = state.span;
      const index = lowerBound(state.sends, t - span + 1);
      if (index < state.sends.length) next = Math.min(next, state.sends[index] + span);
    }
    t = Number.isFinite(next) && next > t ? next : t + 1;
  }
  return t;
}

async function loadState(ctx: MutationCtx, bucket: string, fallback: { limit: number; windowMs: number }, now: number) {
  const row = await bucketRow(ctx, bucket);
  const windowMs = row?.windowMs ?? fallback.windowMs;
  // A route whose limit is only assumed gets a wide margin: its first windows are also when the
  // most runs start at once and requests leave late.
  const guessing = bucket !== GLOBAL_BUCKET && !(row?.learned ?? false);
  const span = windowMs + (guessing ? Math.round(windowMs * GUESS_MARGIN_SHARE) : windowMargin(windowMs));
  const state: BucketState = {
    span,
    limit: row?.limit ?? fallback.limit,
    windowMs,
    // Sends older than a window no longer matter.
    sends: (row?.sends ?? []).filter((at) => at > now - span),
    blockedUntil: row?.blockedUntil ?? 0,
  };
  return { row, state };
}

/**
 * Reserves the earliest send time (epoch ms, ≥ `now`) for a request in `bucket` (a route bucket, or
 * null for requests that only count against the global bucket), and records it. While a route's limit
 * is still the assumed default, nothing is reserved further than {@link MAX_INLINE_WAIT_MS} ahead
 * (`reserved: false`, `at` = when to ask again): reservations made with a wrong limit would stay.
 */
export async function reserveSendTime(
  ctx: MutationCtx,
  bucket: string | null,
  now: number,
): Promise<{ at: number; reserved: boolean }> {
  const loaded = [await loadState(ctx, GLOBAL_BUCKET, GLOBAL_LIMIT, now)];
  loaded[0].state.limit = Math.floor(GLOBAL_LIMIT.limit * GLOBAL_SHARE);
  if (bucket !== null) loaded.push(await loadState(ctx, bucket, DEFAULT_ROUTE_LIMIT, now));
  const at = earliestSendTime(
    loaded.map((entry) => entry.state),
    now,
  );
  const guessing = bucket !== null && !(loaded[1].row?.learned ?? false);
  if (guessing && at > now + MAX_INLINE_WAIT_MS) {
    // Spread the runs that come back over a few windows, so they do not all return at once.
    const windowMs = loaded[1].state.windowMs;
    return { at: now + windowMs + Math.floor(Math.random() * 3 * windowMs), reserved: false };
  }
  for (const [index, { row, state }] of loaded.entries()) {
    const sends = [...state.sends];
    sends.splice(lowerBound(sends, at + 1), 0, at);
    const name = index === 0 ? GLOBAL_BUCKET : bucket!;
    if (row === null) {
      const fallback = index === 0 ? GLOBAL_LIMIT : DEFAULT_ROUTE_LIMIT;
      await ctx.db.insert("discordRateLimits", { bucket: name, limit: fallback.limit, windowMs: state.windowMs, learned: false, sends });
    } else {
      await ctx.db.patch("discordRateLimits", row._id, { sends });
    }
  }
  return { at, reserved: true };
}

/** A request of {@link reserveSendTimes}: a bucket, and the held send time the run already has, if any. */
export const sendTimeRequestValidator = v.object({
  bucket: v.union(v.string(), v.null()),
  heldAt: v.optional(v.number()),
  /** A reserved time the run could not keep (it is too late for it): it is given back first. */
  replaceAt: v.optional(v.number()),
});

/**
 * {@link reserveSendTime} for several requests at once, in order. A request with `heldAt` keeps that
 * time (it is already in the buckets' logs) unless a 429 blocked one of its buckets past it since.
 */
export async function reserveSendTimes(
  ctx: MutationCtx,
  requests: Array<Infer<typeof sendTimeRequestValidator>>,
  now: number,
): Promise<Array<{ at: number; reserved: boolean }>> {
  const answers: Array<{ at: number; reserved: boolean }> = [];
  for (const request of requests) {
    if (request.replaceAt !== undefined) {
      for (const name of request.bucket === null ? [GLOBAL_BUCKET] : [GLOBAL_BUCKET, request.bucket]) {
        const row = await bucketRow(ctx, name);
        const index = row?.sends.indexOf(request.replaceAt) ?? -1;
        if (row !== null && index >= 0) await ctx.db.patch("discordRateLimits", row._id, { sends: row.sends.toSpliced(index, 1) });
      }
    }
    if (request.heldAt !== undefined) {
      const global = await bucketRow(ctx, GLOBAL_BUCKET);
      const route = request.bucket === null ? null : await bucketRow(ctx, request.bucket);
      const blockedUntil = Math.max(global?.blockedUntil ?? 0, route?.blockedUntil ?? 0);
      if (request.heldAt >= blockedUntil) {
        answers.push({ at: request.heldAt, reserved: true });
        continue;
      }
    }
    answers.push(await reserveSendTime(ctx, request.bucket, now));
  }
  return answers;
}

/** Stores limits Discord's headers revealed (only changes are written). */
export async function learnRateLimits(ctx: MutationCtx, observations: RateLimitObservation[]): Promise<void> {
  for (const observation of observations) {
    if (observation.bucket === GLOBAL_BUCKET || observation.limit < 1 || observation.windowMs < 1) continue;
    const row = await bucketRow(ctx, observation.bucket);
    if (row === null) {
      await ctx.db.insert("discordRateLimits", { ...observation, learned: true, sends: [] });
    } else if (row.limit !== observation.limit || row.windowMs !== observation.windowMs || !row.learned) {
      await ctx.db.patch("discordRateLimits", row._id, { limit: observation.limit, windowMs: observation.windowMs, learned: true });
    }
  }
}

/** After a 429: nothing more is sent in `bucket` (or globally) before `until` (epoch ms). */
export async function blockBucket(ctx: MutationCtx, bucket: string, until: number): Promise<void> {
  const row = await bucketRow(ctx, bucket);
  const fallback = bucket === GLOBAL_BUCKET ? GLOBAL_LIMIT : DEFAULT_ROUTE_LIMIT;
  if (row === null) await ctx.db.insert("discordRateLimits", { bucket, ...fallback, learned: false, sends: [], blockedUntil: until });
  else if ((row.blockedUntil ?? 0) < until) await ctx.db.patch("discordRateLimits", row._id, { blockedUntil: until });
}

/** Thrown before a request whose reserved send time is too far away: the run is rescheduled for then. */
export class DeferredRequest extends Error {
  /**
   * @param slot when to come back (and, when `held`, the reservation to use then).
   * @param held false when nothing was reserved (the run just asks again at `slot.at`).
   */
  constructor(
    readonly slot: HeldSlot,
    readonly held = true,
  ) {
    super(`waiting for a Discord rate-limit slot at ${new Date(slot.at).toISOString()}`);
    this.name = "DeferredRequest";
  }

  /** When to run again (ms from now): a little before the slot. */
  retryAfterMs(now = Date.now()): number {
    return Math.max(0, this.slot.at - (this.held ? WAKE_EARLY_MS : 0) - now);
  }

  /** The slots to hand on to the next run. */
  get heldSlots(): HeldSlot[] {
    return this.held ? [this.slot] : [];
  }
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/**
 * The action side: reserves (or reuses held) send times before requests, learns limits from
 * responses through {@link Pacer.fetch} (pass it to the Discord client), and reports what it learned.
 */
export class Pacer {
  private held: HeldSlot[];
  private readonly observations = new Map<string, RateLimitObservation>();

  constructor(
    private readonly ctx: ActionCtx,
    held: HeldSlot[] = [],
  ) {
    const now = Date.now();
    // A held slot long past is stale: the run came back late, so the slot's capacity is gone.
    this.held = held.filter((slot) => slot.at > now - 1_000);
  }

  /**
   * Send times for requests in `buckets` (null = global only), in one database call: held slots of
   * this run where it has them (still valid unless a 429 blocked the bucket since), else new
   * reservations.
   */
  async tickets(buckets: Array<string | null>, replaceAt?: number): Promise<Ticket[]> {
    const requests = buckets.map((bucket) => {
      if (replaceAt !== undefined) return { bucket, replaceAt };
      const key = bucket ?? GLOBAL_BUCKET;
      const index = this.held.findIndex((slot) => slot.bucket === key);
      if (index < 0) return { bucket };
      const [slot] = this.held.splice(index, 1);
      return { bucket, heldAt: slot.at };
    });
    // Held slots were checked against 429 blocks when the run was claimed: no database call for them.
    if (requests.every((request) => "heldAt" in request)) {
      return requests.map((request) => ({ bucket: request.bucket, at: request.heldAt!, reserved: true }));
    }
    const answers = await this.ctx.runMutation(internal.discordProvisioning.reserveSendTimes, { requests });
    return answers.map((answer, index) => ({ bucket: buckets[index], ...answer }));
  }

  /**
   * Runs one Discord call at `ticket`'s send time (sleeping when it is at most
   * {@link MAX_INLINE_WAIT_MS} away). A 429 from Discord blocks the bucket (or, for a global one,
   * every request) in the shared pacing until its `retry_after`; short ones are waited out with a
   * new reservation, up to 3 times.
   * @throws DeferredRequest when the send time is further away (the slot stays held), or whatever
   * `call` throws.
   */
  async send<T>(ticket: Ticket, call: () => Promise<T>): Promise<T> {
    const key = ticket.bucket ?? GLOBAL_BUCKET;
    let current = ticket;
    let renewed = false;
    for (let resend = 0; ; resend += 1) {
      // A send time already passed (the process was busy): sending now would crowd the next
      // window, so the time is given back and a new one taken (once).
      if (!renewed && current.reserved && Date.now() - current.at > LATE_TOLERANCE_MS) {
        [current] = await this.tickets([ticket.bucket], current.at);
        renewed = true;
      }
      const wait = current.at - Date.now();
      if (wait > MAX_INLINE_WAIT_MS || !current.reserved) throw new DeferredRequest({ bucket: key, at: current.at }, current.reserved);
      await sleep(wait);
      try {
        return await call();
      } catch (error) {
        if (!isDiscordRequestError(error, "rate_limited")) throw error;
        const { retryAfterMs, global } = error.classification;
        await this.ctx.runMutation(internal.discordProvisioning.blockRateLimitBucket, {
          bucket: global || ticket.bucket === null ? GLOBAL_BUCKET : ticket.bucket,
          until: Date.now() + retryAfterMs,
        });
        if (resend >= MAX_RESENDS || retryAfterMs > MAX_INLINE_WAIT_MS) throw error;
        [current] = await this.tickets([ticket.bucket]);
      }
    }
  }

  /** {@link send} with a ticket of its own. */
  async paced<T>(bucket: string | null, call: () => Promise<T>): Promise<T> {
    const [ticket] = await this.tickets([bucket]);
    return await this.send(ticket, call);
  }

  /** Held slots this run did not use (to keep for the next run). */
  unusedSlots(): HeldSlot[] {
    return [...this.held];
  }

  /** A `fetch` that records Discord's rate-limit headers; give it to `DiscordClient`. */
  readonly fetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    try {
      const limit = Number(response.headers.get("x-ratelimit-limit"));
      const remaining = Number(response.headers.get("x-ratelimit-remaining"));
      const resetAfter = Number(response.headers.get("x-ratelimit-reset-after"));
      const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
      const bucket = routeBucketOf(init?.method ?? "GET", url.pathname);
      // The first request of a window tells the whole window's length.
      if (bucket !== null && limit > 0 && remaining === limit - 1 && resetAfter > 0) {
        this.observations.set(bucket, { bucket, limit, windowMs: Math.ceil(resetAfter * 1000) });
      }
    } catch {
      // Headers are a hint only.
    }
    return response;
  };

  /** Stores the limits learned during this run (one mutation, only when something was learned). */
  async flush(): Promise<void> {
    if (this.observations.size === 0) return;
    await this.ctx.runMutation(internal.discordProvisioning.learnRateLimits, { observations: [...this.observations.values()] });
    this.observations.clear();
  }
}

/** A send time for one request: `reserved` false means none was reserved (ask again at `at`). */
export type Ticket = { bucket: string | null; at: number; reserved: boolean };

/**
 * The held slots that are still usable: not long past, and not inside a 429 block of their buckets
 * (a run is claimed with these; the others are dropped and reserved again when needed).
 */
export async function usableHeldSlots(ctx: MutationCtx, slots: HeldSlot[], now: number): Promise<HeldSlot[]> {
  if (slots.length === 0) return slots;
  const global = await bucketRow(ctx, GLOBAL_BUCKET);
  const usable: HeldSlot[] = [];
  for (const slot of slots) {
    if (slot.at <= now - 1_000) continue;
    const route = slot.bucket === GLOBAL_BUCKET ? null : await bucketRow(ctx, slot.bucket);
    if (slot.at >= Math.max(global?.blockedUntil ?? 0, route?.blockedUntil ?? 0)) usable.push(slot);
  }
  return usable;
}
