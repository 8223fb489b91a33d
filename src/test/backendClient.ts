import { act } from "@testing-library/react";
import type { ConvexReactClient, Watch } from "convex/react";
import { getFunctionName, type FunctionReference, type UserIdentity } from "convex/server";
import { convexToJson, type Value } from "convex/values";
import { isConvexError } from "../lib/errors";
import type { TestBackend } from "../../testing/convex";

/**
 * A stand-in for `ConvexReactClient` that runs the REAL Convex functions in-process through
 * convex-test, so components using `useQuery`, `usePaginatedQuery`, `useMutation` and `useAction`
 * talk to our actual backend code (schema, access rules, validators) in jsdom.
 *
 * Semantics, matching the real client where a UI can notice:
 * - a watched query is run when its first subscriber arrives; until then `useQuery` returns
 *   `undefined` (the loading state);
 * - a query error is thrown from `useQuery` during render (ConvexErrors as they are, with `data`);
 * - `mutation` / `action` run the function, then re-run EVERY live query and publish all new
 *   results together (one "transition"), and only then resolve, as the real client resolves a
 *   mutation once its writes are reflected in subscriptions;
 * - a failed mutation rejects with the server's error (ConvexError with `data.code` / `message`)
 *   and, like the server, writes nothing;
 * - optimistic updates are ignored (the real result arrives right after).
 *
 * Writes made behind the client's back (`t.run(...)`, `t.mutation(...)` in the test itself,
 * scheduled functions finished with `t.finishInProgressScheduledFunctions()`) are picked up with
 * `await client.refresh()`.
 *
 * Use it through `renderWithBackend` (src/test/renderWithBackend.tsx), not directly.
 */

type Backend = Pick<TestBackend, "query" | "mutation" | "action">;
type AnyQuery = FunctionReference<"query">;

type Result = { value: unknown } | { error: unknown };

type Entry = {
  key: string;
  query: AnyQuery;
  args: Record<string, Value>;
  listeners: Set<() => void>;
  result: Result | undefined;
  /** Incremented for every run; a run only publishes when it is still the newest. */
  runs: number;
};

const CONNECTED = {
  hasInflightRequests: false,
  isWebSocketConnected: true,
  timeOfOldestInflightRequest: null,
  hasEverConnected: true,
  connectionCount: 1,
  connectionRetries: 0,
  inflightMutations: 0,
  inflightActions: 0,
};

const quietLogger = {
  logVerbose: () => {},
  log: () => {},
  warn: (...args: unknown[]) => console.warn(...args),
  error: (...args: unknown[]) => console.error(...args),
};

function queryKey(name: string, args: Record<string, Value>): string {
  return `${name}:${JSON.stringify(convexToJson(args))}`;
}

/**
 * Wraps an error that is not one of ours the way the real client reports server failures
 * ("Server Error"), keeping the original text for test failure output.
 */
function asClientError(name: string, error: unknown): unknown {
  if (isConvexError(error)) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new Error(`[CONVEX Q(${name})] Server Error: ${detail}`, { cause: error });
}

/** Publishes React state updates inside `act` when RTL has the act environment on. */
function publish(callbacks: Iterable<() => void>) {
  const run = () => {
    for (const callback of callbacks) callback();
  };
  const environment = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
  if (environment.IS_REACT_ACT_ENVIRONMENT) act(run);
  else run();
}

export class BackendTestClient {
  /** The convex-test accessor every call goes through (already bound to the signed-in identity). */
  readonly backend: Backend;
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Set<Promise<unknown>>();
  private closed = false;

  /**
   * @param t the convex-test backend (`newTest()` from testing/convex.ts).
   * @param identity who is signed in; omit for an anonymous visitor.
   */
  constructor(t: TestBackend, identity?: Partial<UserIdentity>) {
    this.backend = identity === undefined ? t : t.withIdentity(identity);
  }

  /** As `ConvexReactClient`. */
  get url(): string {
    return "https://backend-test-client.invalid";
  }

  /** As `ConvexReactClient.logger`: warnings and errors go to the console. */
  get logger() {
    return quietLogger;
  }

  /** `ConvexReactClient.watchQuery`, used by `useQuery` and `usePaginatedQuery`. */
  watchQuery(query: AnyQuery, args: Record<string, Value> = {}): Watch<unknown> {
    const name = getFunctionName(query);
    const key = queryKey(name, args);
    return {
      onUpdate: (callback) => {
        let entry = this.entries.get(key);
        if (entry === undefined) {
          entry = { key, query, args, listeners: new Set(), result: undefined, runs: 0 };
          this.entries.set(key, entry);
          this.track(this.runAndPublish(entry));
        }
        entry.listeners.add(callback);
        return () => {
          const current = this.entries.get(key);
          if (current === undefined) return;
          current.listeners.delete(callback);
          // Keep the result briefly so a re-subscribe (React re-mounting) does not flash "loading".
          if (current.listeners.size === 0) {
            setTimeout(() => {
              if (current.listeners.size === 0 && this.entries.get(key) === current) this.entries.delete(key);
            }, 0);
          }
        };
      },
      localQueryResult: () => {
        const result = this.entries.get(key)?.result;
        if (result === undefined) return undefined;
        if ("error" in result) throw result.error;
        return result.value;
      },
      journal: () => undefined,
    };
  }

  /** Not used by the stable hooks; `usePaginatedQuery` pages through `watchQuery`. */
  watchPaginatedQuery(): never {
    throw new Error("BackendTestClient: watchPaginatedQuery (experimental pagination) is not supported.");
  }

  /** `ConvexReactClient.query`: a one-off read. */
  async query(query: AnyQuery, args: Record<string, Value> = {}): Promise<unknown> {
    return await this.backend.query(query, args);
  }

  /**
   * `ConvexReactClient.mutation` (what `useMutation` calls): runs the mutation, re-runs every live
   * query, then resolves with the mutation's result. Rejects with the server's error.
   */
  async mutation(mutation: FunctionReference<"mutation">, args: Record<string, Value> = {}): Promise<unknown> {
    return await this.track(this.afterCall(() => this.backend.mutation(mutation, args)));
  }

  /** `ConvexReactClient.action` (what `useAction` calls): as {@link mutation}. */
  async action(action: FunctionReference<"action">, args: Record<string, Value> = {}): Promise<unknown> {
    return await this.track(this.afterCall(() => this.backend.action(action, args)));
  }

  /** Re-runs every live query and publishes the results (for writes the UI did not make). */
  async refresh(): Promise<void> {
    await this.track(this.refreshAll());
  }

  /** Resolves once no query, mutation or refresh started by this client is still running. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Always connected. */
  connectionState() {
    return { ...CONNECTED };
  }

  subscribeToConnectionState(_callback: () => void): () => void {
    return () => {};
  }

  /** Auth is fixed by the identity given to the constructor. */
  setAuth(): void {}
  clearAuth(): void {}
  prewarmQuery(): void {}

  /** Stops publishing results (called on unmount by `renderWithBackend`). */
  async close(): Promise<void> {
    this.closed = true;
    this.entries.clear();
  }

  /** This object typed as the client `ConvexProvider` expects. */
  asConvexReactClient(): ConvexReactClient {
    return this as unknown as ConvexReactClient;
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.pending.add(promise);
    void promise.then(
      () => this.pending.delete(promise),
      () => this.pending.delete(promise),
    );
    return promise;
  }

  private async afterCall<T>(call: () => Promise<T>): Promise<T> {
    let outcome: { value: T } | { error: unknown };
    try {
      outcome = { value: await call() };
    } catch (error) {
      outcome = { error };
    }
    // A failed call wrote nothing, but refreshing keeps behaviour simple and honest.
    await this.refreshAll();
    if ("error" in outcome) throw outcome.error;
    return outcome.value;
  }

  private async run(entry: Entry): Promise<{ run: number; result: Result }> {
    entry.runs += 1;
    const run = entry.runs;
    try {
      return { run, result: { value: await this.backend.query(entry.query, entry.args) } };
    } catch (error) {
      return { run, result: { error: asClientError(getFunctionName(entry.query), error) } };
    }
  }

  private async runAndPublish(entry: Entry): Promise<void> {
    const { run, result } = await this.run(entry);
    if (this.closed || run !== entry.runs || this.entries.get(entry.key) !== entry) return;
    entry.result = result;
    publish([...entry.listeners]);
  }

  private async refreshAll(): Promise<void> {
    const live = [...this.entries.values()].filter((entry) => entry.listeners.size > 0);
    const outcomes = await Promise.all(live.map(async (entry) => ({ entry, ...(await this.run(entry)) })));
    if (this.closed) return;
    const callbacks: (() => void)[] = [];
    for (const { entry, run, result } of outcomes) {
      if (run !== entry.runs || this.entries.get(entry.key) !== entry) continue;
      entry.result = result;
      callbacks.push(...entry.listeners);
    }
    publish(callbacks);
  }
}
