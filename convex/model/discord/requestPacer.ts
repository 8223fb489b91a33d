import { internal } from "../../_generated/api";
import type { Id } from "../../_generated/dataModel";
import type { ActionCtx } from "../../_generated/server";
import { isDiscordRequestError } from "./errors";
import { GLOBAL_LEAD_MS, routeBucketOf, type Reservation, type RouteRateLimit } from "./rateLimits";

/**
 * The action side of the pacing of Discord requests (the database side and the reasons are in
 * `rateLimits.ts`): before a request a run reserves its send time in the route bucket, sleeps until
 * then, reserves the global bucket right before it sends, and learns route limits from Discord's
 * answers. A run that would have to wait longer than the rate limiter books ahead ends with
 * {@link DeferredRequest} and is scheduled again; it holds no reservation meanwhile.
 */

/** How often one request reserves a new global send time after missing one. */
const MAX_GLOBAL_REPLACEMENTS = 3;

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
 * Thrown instead of sending a guarded request (see {@link RequestPacer}) when the run that sends it
 * is no longer wanted (the session was cancelled, finished, moved or taken over).
 */
export class RunNoLongerWanted extends Error {
  constructor() {
    super("The session was cancelled, finished or moved while its Discord space was being set up.");
    this.name = "RunNoLongerWanted";
  }
}

/** A provisioning run's lease: guarded requests are sent only while it still holds the space. */
export type RunGuard = { sessionId: Id<"coachingSessions">; leaseId: string };

/** A reservation that gave a send time. */
type SendTime = Extract<Reservation, { ok: true }>;

/**
 * The send time of one request: its route bucket (null: only the global bucket applies), the route
 * reservation, and a global send time (with when the route's previous Discord window ends) when one
 * was reserved together with it.
 */
export type Ticket = {
  bucket: string | null;
  route: Reservation;
  global?: SendTime;
  notBefore?: number;
  guarded: boolean;
};

/**
 * True when a request can no longer leave in the window its send time belongs to (`rateLimits.ts`),
 * that window opened `heldBackMs` later than planned.
 */
function missed(sendTime: SendTime, heldBackMs = 0): boolean {
  return sendTime.until !== undefined && Date.now() > sendTime.until + heldBackMs;
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/**
 * One run's pacing: reserve with {@link RequestPacer.tickets}, send with {@link RequestPacer.send}.
 * With a `guard`, guarded requests (creations and grants) re-read the space in the reservation that
 * comes right before they leave, and throw {@link RunNoLongerWanted} instead of sending when the run
 * no longer holds it or the session is over: the last database call before such a request is that
 * check, so a cancel stops the run at its next request.
 */
export class RequestPacer {
  /** Route limits as stored when this run last reserved (null: not learned yet). */
  private readonly known = new Map<string, { limit: number; windowMs: number } | null>();
  private readonly learned = new Map<string, RouteRateLimit>();
  /** Route buckets whose Discord window one of this run's requests opened, with when it ends (epoch ms). */
  private readonly windowsOpened = new Map<string, number>();

  constructor(
    private readonly ctx: ActionCtx,
    private readonly guard?: RunGuard,
  ) {}

  /**
   * Reserves route send times for requests in `buckets` (null = global only), in one database call;
   * `guarded` requests check the run's guard first.
   * @throws RunNoLongerWanted (guarded) when the run is no longer wanted.
   */
  async tickets(buckets: Array<string | null>, guarded = false): Promise<Ticket[]> {
    const { stillWanted, reservations } = await this.ctx.runMutation(internal.discordProvisioning.reserveRequests, {
      buckets,
      ...(guarded && this.guard ? { guard: this.guard } : {}),
    });
    if (!stillWanted) throw new RunNoLongerWanted();
    return reservations.map((answer, index) => {
      const bucket = buckets[index];
      if (bucket !== null) this.known.set(bucket, answer.known);
      const send = answer.send;
      return {
        bucket,
        route: answer.route,
        guarded,
        ...(send?.global?.ok ? { global: send.global } : {}),
        ...(send?.notBefore !== undefined ? { notBefore: send.notBefore } : {}),
      };
    });
  }

  /**
   * Runs one Discord call at `ticket`'s send time: waits for the route's send time, takes a global
   * one, sends. A route send time missed (past its `until`: a busy process) is replaced rather than
   * used late (once; then it is sent late); a missed global send time is replaced up to
   * {@link MAX_GLOBAL_REPLACEMENTS} times, keeping the route's. A 429 blocks its route bucket until
   * `retry_after` and the call is sent again with a new ticket, up to {@link MAX_RESENDS} times.
   * @throws DeferredRequest when a bucket is booked too far ahead, or whatever `call` throws.
   */
  async send<T>(ticket: Ticket, call: () => Promise<T>): Promise<T> {
    let current = ticket;
    let replaced = false;
    let globalReplacements = 0;
    for (let resend = 0; ; ) {
      if (!current.route.ok) {
        const wait = current.route.retryAt - Date.now();
        if (wait > MAX_INLINE_WAIT_MS) throw new DeferredRequest(current.route.retryAt);
        await sleep(wait);
        [current] = await this.tickets([current.bucket], current.guarded);
        continue;
      }
      const route = current.route;
      let global = current.global;
      let notBefore = current.notBefore;
      if (global === undefined) {
        await sleep(Math.max(route.at, notBefore ?? 0) - GLOBAL_LEAD_MS - Date.now());
        const answer = await this.ctx.runMutation(internal.discordProvisioning.reserveSendRequest, {
          bucket: current.bucket,
          routeAt: route.at,
          ...(route.until !== undefined ? { routeUntil: route.until } : {}),
          ...(current.guarded && this.guard ? { guard: this.guard } : {}),
        });
        if (!answer.stillWanted) throw new RunNoLongerWanted();
        if (answer.send.superseded) {
          [current] = await this.tickets([current.bucket], current.guarded);
          continue;
        }
        notBefore = Math.max(notBefore ?? 0, answer.send.notBefore ?? 0) || undefined;
        const reservation = answer.send.global;
        if (reservation === undefined) {
          // Held back by the previous batch: ask for the global send time right before leaving.
          await sleep((notBefore ?? 0) - GLOBAL_LEAD_MS - Date.now());
          current = { ...current, ...(notBefore !== undefined ? { notBefore } : {}) };
          continue;
        }
        if (!reservation.ok) {
          if (reservation.retryAt - Date.now() > MAX_INLINE_WAIT_MS) throw new DeferredRequest(reservation.retryAt);
          await sleep(reservation.retryAt - Date.now());
          [current] = await this.tickets([current.bucket], current.guarded);
          continue;
        }
        global = reservation;
      }
      // A batch held back by the previous one (`notBefore`) opens its Discord window that much later.
      const heldBack = Math.max(0, (notBefore ?? 0) - route.at);
      await sleep(Math.max(route.at + heldBack, global.at) - Date.now());
      if (!replaced && missed(route, heldBack)) {
        // Sending now could crowd Discord's next window: the send times stay unused and new ones are
        // taken (once: a process too busy to keep even the new time sends late rather than never).
        replaced = true;
        [current] = await this.tickets([current.bucket], current.guarded);
        continue;
      }
      if (globalReplacements < MAX_GLOBAL_REPLACEMENTS && missed(global)) {
        globalReplacements += 1;
        current = { bucket: current.bucket, route, guarded: current.guarded, ...(notBefore !== undefined ? { notBefore } : {}) };
        continue;
      }
      try {
        const result = await call();
        await this.flushIfNew(current.bucket, route.until);
        return result;
      } catch (error) {
        if (!isDiscordRequestError(error, "rate_limited")) throw error;

        await this.flushIfNew(current.bucket, route.until);
        const { retryAfterMs, global } = error.classification;
        if (!global && current.bucket !== null) {
          await this.ctx.runMutation(internal.discordProvisioning.blockRateLimitedRoute, { route: current.bucket, retryAfterMs });
        }
        resend += 1;
        if (resend > MAX_RESENDS || retryAfterMs > MAX_INLINE_WAIT_MS) throw error;
        if (global) await sleep(retryAfterMs);
        [current] = await this.tickets([current.bucket], current.guarded);
      }
    }
  }

  /** {@link send} with a ticket of its own (`guarded`: see {@link tickets}). */
  async paced<T>(bucket: string | null, call: () => Promise<T>, guarded = false): Promise<T> {
    const [ticket] = await this.tickets([bucket], guarded);
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
      const reset = Number(response.headers.get("x-ratelimit-reset"));
      this.learned.set(route, { route, limit, windowMs: Math.ceil(resetAfter * 1000) });
      this.windowsOpened.set(route, reset > 0 ? reset * 1000 : Date.now() + resetAfter * 1000);
    } else if (route !== null && response.status !== 429 && !response.headers.has("x-ratelimit-limit")) {
      // Discord names a limit on every answer of a limited route: none means the route has none.
      this.learned.set(route, { route, limit: 0, windowMs: 0 });
    }
    return response;
  };

  /**
   * Stores limits that differ from what the run last read, and the Discord window the request of
   * `bucket` of our window `window` (its `until`) opened, if it did (one mutation, only then).
   */
  private async flushIfNew(bucket: string | null, window: number | undefined): Promise<void> {
    const endsAt = bucket === null ? undefined : this.windowsOpened.get(bucket);
    const observation = bucket === null ? undefined : this.learned.get(bucket);
    if (bucket !== null && endsAt !== undefined && observation !== undefined && window !== undefined) {
      this.learned.set(bucket, { ...observation, opened: { window, endsAt } });
    }
    if (bucket !== null) this.windowsOpened.delete(bucket);
    const changed = [...this.learned.values()].filter((observation) => {
      const known = this.known.get(observation.route);
      return known == null || known.limit !== observation.limit || known.windowMs !== observation.windowMs || observation.opened !== undefined;
    });
    this.learned.clear();
    if (changed.length === 0) return;
    await this.ctx.runMutation(internal.discordProvisioning.learnRateLimits, { observations: changed });
    for (const observation of changed) this.known.set(observation.route, { limit: observation.limit, windowMs: observation.windowMs });
  }
}
