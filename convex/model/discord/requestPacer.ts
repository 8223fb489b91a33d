import { internal } from "../../_generated/api";
import type { ActionCtx } from "../../_generated/server";
import { isDiscordRequestError } from "./errors";
import { routeBucketOf, safetyMarginMs, type Reservation, type RouteRateLimit } from "./rateLimits";

/**
 * The action side of the pacing of Discord requests (the database side and the reasons are in
 * `rateLimits.ts`): before a request a run reserves its send time in the route bucket, sleeps until
 * then, reserves the global bucket right before it sends, and learns route limits from Discord's
 * answers. A run that would have to wait longer than the rate limiter books ahead ends with
 * {@link DeferredRequest} and is scheduled again; it holds no reservation meanwhile.
 */

/** A reserved time missed by more than this (ms, a share of the safety margin) is not used: a new one is reserved. */
const LATE_TOLERANCE_MS = Math.floor(safetyMarginMs(1_000) / 2);
/** A run wakes this long (ms) before its route slot to reserve the global one. */
const GLOBAL_LEAD_MS = 15;
/** How often one request is sent again after an unexpected 429 within a run. */
const MAX_RESENDS = 3;
/** Longest wait (ms) for a global slot or after a 429 that a run does itself. */
const MAX_INLINE_WAIT_MS = 5_000;

/** Thrown before a request whose bucket is booked too far ahead: the run ends and comes back at `retryAt` (epoch ms). */
export class DeferredRequest extends Error {
  constructor(readonly retryAt: number) {
    super(`waiting for Discord's rate limits until ${new Date(retryAt).toISOString()}`);
    this.name = "DeferredRequest";
  }

  /** When to run again, in ms from `now`. */
  retryAfterMs(now = Date.now()): number {
    return Math.max(0, this.retryAt - now);
  }
}

/**
 * The send time of one request: its route bucket (null: only the global bucket applies), the route
 * reservation, and a global send time when one was reserved together with it.
 */
export type Ticket = { bucket: string | null; route: Reservation; globalAt?: number };

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/** One run's pacing: reserve with {@link RequestPacer.tickets}, send with {@link RequestPacer.send}. */
export class RequestPacer {
  /** Route limits as stored when this run last reserved (null: not learned yet). */
  private readonly known = new Map<string, { limit: number; windowMs: number } | null>();
  private readonly learned = new Map<string, RouteRateLimit>();

  constructor(private readonly ctx: ActionCtx) {}

  /** Reserves route send times for requests in `buckets` (null = global only), in one database call. */
  async tickets(buckets: Array<string | null>): Promise<Ticket[]> {
    const answers = await this.ctx.runMutation(internal.discordProvisioning.reserveRequests, { buckets });
    return answers.map((answer, index) => {
      const bucket = buckets[index];
      if (bucket !== null) this.known.set(bucket, answer.known);
      return { bucket, route: answer.route, ...(answer.globalAt !== undefined ? { globalAt: answer.globalAt } : {}) };
    });
  }

  /**
   * Runs one Discord call at `ticket`'s send time: waits for the route slot, takes a global slot,
   * sends. A slot missed by more than the tolerance (a busy process) is replaced rather than used
   * late. A 429 blocks its route bucket until `retry_after` and the call is sent again with a new
   * ticket, up to {@link MAX_RESENDS} times.
   * @throws DeferredRequest when a bucket is booked too far ahead, or whatever `call` throws.
   */
  async send<T>(ticket: Ticket, call: () => Promise<T>): Promise<T> {
    let current = ticket;
    for (let resend = 0; ; ) {
      if (!current.route.ok) {
        const wait = current.route.retryAt - Date.now();
        if (wait > MAX_INLINE_WAIT_MS) throw new DeferredRequest(current.route.retryAt);
        await sleep(wait);
        [current] = await this.tickets([current.bucket]);
        continue;
      }
      const routeAt = current.route.at;
      let globalAt = current.globalAt;
      if (globalAt === undefined) {
        await sleep(routeAt - GLOBAL_LEAD_MS - Date.now());
        const global = await this.ctx.runMutation(internal.discordProvisioning.reserveGlobalRequest, {});
        if (!global.ok) {
          if (global.retryAt - Date.now() > MAX_INLINE_WAIT_MS) throw new DeferredRequest(global.retryAt);
          await sleep(global.retryAt - Date.now());
          [current] = await this.tickets([current.bucket]);
          continue;
        }
        globalAt = global.at;
      }
      await sleep(Math.max(routeAt, globalAt) - Date.now());
      if (Date.now() - Math.max(routeAt, globalAt) > LATE_TOLERANCE_MS) {
        // Sending now could crowd Discord's next window: the slots stay unused and new ones are taken.
        [current] = await this.tickets([current.bucket]);
        continue;
      }
      try {
        const result = await call();
        await this.flushIfNew();
        return result;
      } catch (error) {
        if (!isDiscordRequestError(error, "rate_limited")) throw error;
        await this.flushIfNew();
        const { retryAfterMs, global } = error.classification;
        if (!global && current.bucket !== null) {
          await this.ctx.runMutation(internal.discordProvisioning.blockRateLimitedRoute, { route: current.bucket, retryAfterMs });
        }
        resend += 1;
        if (resend > MAX_RESENDS || retryAfterMs > MAX_INLINE_WAIT_MS) throw error;
        if (global) await sleep(retryAfterMs);
        [current] = await this.tickets([current.bucket]);
      }
    }
  }

  /** {@link send} with a ticket of its own. */
  async paced<T>(bucket: string | null, call: () => Promise<T>): Promise<T> {
    const [ticket] = await this.tickets([bucket]);
    return await this.send(ticket, call);
  }

  /** A `fetch` that records the route limits Discord's headers tell; give it to `DiscordClient`. */
  readonly fetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const limit = Number(response.headers.get("x-ratelimit-limit"));
    const remaining = Number(response.headers.get("x-ratelimit-remaining"));
    const resetAfter = Number(response.headers.get("x-ratelimit-reset-after"));
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const route = routeBucketOf(init?.method ?? "GET", url.pathname);
    // The first request of a window tells the whole window's length.
    if (route !== null && limit > 0 && remaining === limit - 1 && resetAfter > 0) {
      this.learned.set(route, { route, limit, windowMs: Math.ceil(resetAfter * 1000) });
    }
    return response;
  };

  /** Stores limits that differ from what the run last read (one mutation, only then). */
  private async flushIfNew(): Promise<void> {
    const changed = [...this.learned.values()].filter((observation) => {
      const known = this.known.get(observation.route);
      return known == null || known.limit !== observation.limit || known.windowMs !== observation.windowMs;
    });
    this.learned.clear();
    if (changed.length === 0) return;
    await this.ctx.runMutation(internal.discordProvisioning.learnRateLimits, { observations: changed });
    for (const observation of changed) this.known.set(observation.route, { limit: observation.limit, windowMs: observation.windowMs });
  }
}
