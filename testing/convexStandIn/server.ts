/**
 * A local stand-in for a Convex deployment, for the real-browser suite (test code only; see
 * DEVELOPERS.md, "Real-browser suite"). It speaks the WebSocket sync protocol of the `convex`
 * client (`convex/src/browser/sync/protocol.ts`) and serves storage and HTTP actions over OUR
 * functions run by convex-test, so the unmodified app (`ConvexReactClient`) works against it.
 *
 * - `ws://HOST/api/<version>/sync`: Connect, Authenticate (User tokens verified against the JWKS the
 *   deployment would trust, with the issuer and audience of the demo sign-in), ModifyQuerySet,
 *   Mutation and Action; answers Transition, MutationResponse, ActionResponse, AuthError and Ping.
 *   Only public functions can be called. After every mutation and action, and once a second for the
 *   writes of scheduled functions (which convex-test runs on real timers), every subscribed query
 *   is run again and each connection gets a Transition with the values that changed.
 * - `POST /api/storage/upload?token=…` stores the body (content type from the request) and answers
 *   `{ storageId }`; `GET /api/storage/<sha256>` serves it, with byte ranges for video.
 * - The site origin (`siteUrl`, a second port) routes every request to `convex/http.ts`; a
 *   `Authorization: Bearer <token>` header is verified like the WebSocket's.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import { convexToJson, jsonToConvex, type JSONValue, type Value } from "convex/values";
import type { UserIdentity } from "convex/server";
import { WebSocketServer, type WebSocket } from "ws";
import type { Id } from "../../convex/_generated/dataModel";
import { DEV_AUTH_APPLICATION_ID, DEV_AUTH_ISSUER } from "../../convex/model/users/personas";
import batchWorkerTest from "@convex-dev/batch-worker/test";
import rateLimiterTest from "@convex-dev/rate-limiter/test";
import { modules } from "../../convex/test.setup";
import { newTest, storeUpload, type TestBackend } from "../convex";

/** The origin convex-test writes into storage URLs; replaced by the stand-in's own. */
const CONVEX_TEST_ORIGIN = "https://some-deployment.convex.cloud";
/** How often the writes of scheduled functions are looked for (ms). */
const SCHEDULED_WRITES_POLL_MS = 1000;
/** A sync-protocol Ping keeps the client's 60 s inactivity timer from reconnecting (ms). */
const PING_INTERVAL_MS = 15_000;

export type ConvexStandInOptions = {
  /** Public keys accepted for `Authenticate` (the JWKS `scripts/devAuth` derives from DEV_AUTH_PRIVATE_KEY). */
  jwks: JSONWebKeySet;
  /** Deployment environment variables the functions read (Discord, Resend, SITE_URL, …). */
  env?: Record<string, string>;
  /** Host to listen on; default 127.0.0.1. Ports are chosen by the system. */
  host?: string;
};

export type ConvexStandIn = {
  /** The deployment URL for `VITE_CONVEX_URL`, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Where HTTP actions are served (`CONVEX_SITE_URL`). */
  siteUrl: string;
  backend: TestBackend;
  close: () => Promise<void>;
};

type FunctionPath = { udfPath: string; componentPath: string };
type Args = Record<string, Value>;
/**
 * The calls of a convex-test accessor by function path (`"module:export"`), as the protocol names
 * functions. convex-test has them at run time (its own syscalls use them) but does not type them.
 */
type Accessor = {
  queryFromPath: (path: FunctionPath, args: Args) => Promise<unknown>;
  mutationFromPath: (path: FunctionPath, args: Args) => Promise<unknown>;
  actionFromPath: (path: FunctionPath, args: Args) => Promise<unknown>;
  fetch: (path: string, init?: RequestInit) => Promise<Response>;
};
const byPath = (accessor: TestBackend | ReturnType<TestBackend["withIdentity"]>) => accessor as unknown as Accessor;
type Subscription = { udfPath: string; args: Record<string, Value>; lastSent: string | null };
type StateVersion = { querySet: number; ts: string; identity: number };

type Connection = {
  socket: WebSocket;
  querySet: number;
  identity: number;
  ts: bigint;
  accessor: Accessor;
  queries: Map<number, Subscription>;
  /** Messages are handled and Transitions sent one after another, so versions always chain. */
  queue: Promise<void>;
};

/** Encodes a timestamp as the protocol's little-endian u64 in base64. */
function encodeTs(ts: bigint): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(ts);
  return bytes.toString("base64");
}

/** The error text and data the client turns into an `Error` or a `ConvexError`. */
function describeError(error: unknown): { message: string; errorData?: JSONValue } {
  const data = (error as { data?: Value } | null)?.data;
  if (error instanceof Error && data !== undefined) {
    return { message: `Uncaught ConvexError: ${error.message}`, errorData: convexToJson(data) };
  }
  return { message: `Uncaught ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}` };
}

/** Splits "folder/module:export" (no export means `default`). */
function splitUdfPath(udfPath: string): { modulePath: string; exportName: string } {
  const [modulePath, exportName] = udfPath.replace(/\.js(?=:|$)/, "").split(":");
  return { modulePath, exportName: exportName ?? "default" };
}

/** True when `udfPath` names a public function of ours (internal ones are not callable by clients). */
async function isPublicFunction(udfPath: string): Promise<boolean> {
  const { modulePath, exportName } = splitUdfPath(udfPath);
  const loader = modules[`./${modulePath}.ts`] ?? modules[`./${modulePath}.js`];
  if (loader === undefined) return false;
  const exported = ((await loader()) as Record<string, { isPublic?: boolean } | undefined>)[exportName];
  return exported?.isPublic === true;
}

/** Longest delay Node's `setTimeout` takes (about 24.8 days); longer ones would fire at once. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * convex-test runs each scheduled function on a `setTimeout` of its delay. Node fires delays beyond
 * {@link MAX_TIMER_DELAY_MS} after 1 ms, so reminders weeks ahead would run now: wait in steps instead.
 */
function allowLongTimers() {
  const original = globalThis.setTimeout;
  if ((original as { allowsLongDelays?: boolean }).allowsLongDelays) return;
  const patched = ((callback: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) => {
    if (typeof delay === "number" && delay > MAX_TIMER_DELAY_MS) {
      const dueAt = Date.now() + delay;
      const step = () => {
        const remaining = dueAt - Date.now();
        if (remaining > MAX_TIMER_DELAY_MS) original(step, MAX_TIMER_DELAY_MS).unref();
        else original(() => callback(...args), Math.max(0, remaining)).unref();
      };
      return original(step, MAX_TIMER_DELAY_MS).unref();
    }
    return original(callback, delay, ...args);
  }) as typeof setTimeout;
  Object.assign(patched, original, { allowsLongDelays: true });
  globalThis.setTimeout = patched;
}

/**
 * Loads every function module (ours and the components') up front. Loaded lazily, a module would be
 * fetched by Vite's module runner from inside a transaction, where convex-test forbids the timers
 * the runner uses.
 */
async function preloadModules() {
  // Files with two dots (tests) are not Convex modules: convex-test never loads them either.
  const loaders = [modules, rateLimiterTest.modules, batchWorkerTest.modules]
    .flatMap((map) => Object.entries(map))
    .filter(([file]) => !/\.[^/.]+\.[jt]s$/.test(file))
    .map(([, load]) => load);
  await Promise.all(loaders.map((load) => (load as () => Promise<unknown>)()));
}

/** Starts the stand-in; see the file comment. */
export async function startConvexStandIn(options: ConvexStandInOptions): Promise<ConvexStandIn> {
  const host = options.host ?? "127.0.0.1";
  allowLongTimers();
  await preloadModules();
  const backend = newTest();
  const keys = createLocalJWKSet(options.jwks);
  const connections = new Set<Connection>();
  let lastTs = 0n;
  /** A commit timestamp (ns) after every one handed out so far. */
  const nextTs = () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    lastTs = now > lastTs ? now : lastTs + 1n;
    return lastTs;
  };

  const cloud = createServer((request, response) => {
    handleCloudRequest(request, response).catch((error) => sendText(response, 500, String(error)));
  });
  const site = createServer((request, response) => {
    handleSiteRequest(request, response).catch((error) => sendText(response, 500, String(error)));
  });
  const listen = (server: Server) =>
    new Promise<string>((resolve) => server.listen(0, host, () => resolve(`http://${host}:${(server.address() as AddressInfo).port}`)));
  const url = await listen(cloud);
  const siteUrl = await listen(site);

  /** Storage URLs in results point at this server instead of convex-test's placeholder. */
  const rewriteUrls = (json: JSONValue): JSONValue => JSON.parse(JSON.stringify(json).replaceAll(CONVEX_TEST_ORIGIN, url));

  Object.assign(process.env, options.env ?? {}, { CONVEX_CLOUD_URL: url, CONVEX_SITE_URL: siteUrl });

  /** The identity a real deployment derives from a verified demo token (standard claims only). */
  async function identityFromToken(token: string): Promise<Partial<UserIdentity>> {
    const { payload } = await jwtVerify(token, keys, {
      issuer: DEV_AUTH_ISSUER,
      audience: DEV_AUTH_APPLICATION_ID,
      algorithms: ["RS256"],
    });
    if (typeof payload.sub !== "string") throw new Error("Token has no subject");
    return {
      issuer: DEV_AUTH_ISSUER,
      subject: payload.sub,
      tokenIdentifier: `${DEV_AUTH_ISSUER}|${payload.sub}`,
      ...(typeof payload.name === "string" ? { name: payload.name } : {}),
      ...(typeof payload.email === "string" ? { email: payload.email } : {}),
      ...(typeof payload.email_verified === "boolean" ? { emailVerified: payload.email_verified } : {}),
    };
  }

  function send(connection: Connection, message: Record<string, unknown>) {
    if (connection.socket.readyState === connection.socket.OPEN) connection.socket.send(JSON.stringify(message));
  }

  function enqueue(connection: Connection, work: () => Promise<void>) {
    connection.queue = connection.queue.then(work).catch((error) => {
      console.error("[convex stand-in]", error);
    });
  }

  /** Runs one subscribed query; the modification to send, or null when its value did not change. */
  async function runSubscription(connection: Connection, queryId: number, subscription: Subscription, force: boolean) {
    let modification: Record<string, unknown>;
    try {
      const value = await connection.accessor.queryFromPath({ udfPath: subscription.udfPath, componentPath: "" }, subscription.args);
      modification = { type: "QueryUpdated", queryId, value: rewriteUrls(convexToJson(value as Value)), logLines: [], journal: null };
    } catch (error) {
      const { message, errorData } = describeError(error);
      modification = { type: "QueryFailed", queryId, errorMessage: message, logLines: [], journal: null, ...(errorData !== undefined ? { errorData } : {}) };
    }
    const serialized = JSON.stringify(modification);
    if (!force && serialized === subscription.lastSent) return null;
    subscription.lastSent = serialized;
    return modification;
  }

  /**
   * Sends one Transition to `connection`: from its current version to the given query set and
   * identity versions at timestamp `ts`, with `modifications` first and then every query whose
   * value changed (all of them when `force`). Without any change and without a version change,
   * nothing is sent unless `always` (a mutation's client waits for a Transition at its timestamp).
   */
  async function transition(
    connection: Connection,
    change: { querySet?: number; identity?: number; ts: bigint; modifications?: Record<string, unknown>[]; force?: boolean; always?: boolean; only?: number[] },
  ) {
    const modifications = [...(change.modifications ?? [])];
    for (const [queryId, subscription] of connection.queries) {
      if (change.only !== undefined && !change.only.includes(queryId)) continue;
      const modification = await runSubscription(connection, queryId, subscription, change.force ?? false);
      if (modification !== null) modifications.push(modification);
    }
    const startVersion: StateVersion = { querySet: connection.querySet, ts: encodeTs(connection.ts), identity: connection.identity };
    const endTs = change.ts > connection.ts ? change.ts : connection.ts;
    const endVersion: StateVersion = {
      querySet: change.querySet ?? connection.querySet,
      ts: encodeTs(endTs),
      identity: change.identity ?? connection.identity,
    };
    const versionChanged = endVersion.querySet !== startVersion.querySet || endVersion.identity !== startVersion.identity;
    if (modifications.length === 0 && !versionChanged && !change.always) return;
    connection.querySet = endVersion.querySet;
    connection.identity = endVersion.identity;
    connection.ts = endTs;
    send(connection, { type: "Transition", startVersion, endVersion, modifications, serverTs: Number(endTs / 1_000_000n) });
  }

  /** Re-runs every subscription of every connection after a write committed at `ts`. */
  function refreshAll(ts: bigint, always: boolean) {
    for (const connection of connections) enqueue(connection, () => transition(connection, { ts, always }));
  }

  async function handleMessage(connection: Connection, message: Record<string, unknown>) {
    switch (message.type) {
      case "Connect":
      case "Event":
        return;
      case "Authenticate": {
        const baseVersion = message.baseVersion as number;
        enqueue(connection, async () => {
          if (message.tokenType === "User") {
            try {
              const identity = await identityFromToken(message.value as string);
              connection.accessor = byPath(backend.withIdentity(identity));
            } catch (error) {
              send(connection, { type: "AuthError", error: `Could not verify OIDC token claim. ${String(error)}`, baseVersion, authUpdateAttempted: true });
              return;
            }
          } else if (message.tokenType === "None") {
            connection.accessor = byPath(backend);
          } else {
            send(connection, { type: "AuthError", error: "Admin keys are not accepted by the stand-in.", baseVersion, authUpdateAttempted: true });
            return;
          }
          await transition(connection, { identity: baseVersion + 1, ts: nextTs(), force: true });
        });
        return;
      }
      case "ModifyQuerySet": {
        enqueue(connection, async () => {
          const added: number[] = [];
          const modifications: Record<string, unknown>[] = [];
          for (const modification of message.modifications as { type: string; queryId: number; udfPath?: string; args?: JSONValue[] }[]) {
            if (modification.type === "Add") {
              const udfPath = modification.udfPath!;
              if (!(await isPublicFunction(udfPath))) {
                modifications.push({ type: "QueryFailed", queryId: modification.queryId, errorMessage: `Could not find public function for '${udfPath}'`, logLines: [], journal: null });
                continue;
              }
              const args = jsonToConvex(modification.args?.[0] ?? {}) as Record<string, Value>;
              connection.queries.set(modification.queryId, { udfPath, args, lastSent: null });
              added.push(modification.queryId);
            } else if (modification.type === "Remove") {
              connection.queries.delete(modification.queryId);
              modifications.push({ type: "QueryRemoved", queryId: modification.queryId });
            }
          }
          await transition(connection, { querySet: message.newVersion as number, ts: nextTs(), modifications, only: added, force: true });
        });
        return;
      }
      case "Mutation":
      case "Action": {
        const kind = message.type;
        const requestId = message.requestId as number;
        const udfPath = message.udfPath as string;
        const args = jsonToConvex((message.args as JSONValue[])[0] ?? {}) as Record<string, Value>;
        // Runs as whoever the messages before it signed in as (an Authenticate may still be verifying).
        await connection.queue;
        const accessor = connection.accessor;
        const responseType = kind === "Mutation" ? "MutationResponse" : "ActionResponse";
        try {
          if (!(await isPublicFunction(udfPath))) throw new Error(`Could not find public function for '${udfPath}'`);
          const path = { udfPath, componentPath: "" };
          const result = kind === "Mutation" ? await accessor.mutationFromPath(path, args) : await accessor.actionFromPath(path, args);
          const ts = nextTs();
          send(connection, { type: responseType, requestId, success: true, result: rewriteUrls(convexToJson(result as Value)), logLines: [], ...(kind === "Mutation" ? { ts: encodeTs(ts) } : {}) });
          refreshAll(ts, true);
        } catch (error) {
          const { message: errorMessage, errorData } = describeError(error);
          send(connection, { type: responseType, requestId, success: false, result: errorMessage, logLines: [], ...(errorData !== undefined ? { errorData } : {}) });
          // A failed action may still have written through the mutations it ran.
          if (kind === "Action") refreshAll(nextTs(), false);
        }
        return;
      }
      default:
        send(connection, { type: "FatalError", error: `Unknown message type ${String(message.type)}` });
    }
  }

  const sockets = new WebSocketServer({ noServer: true });
  cloud.on("upgrade", (request, socket, head) => {
    if (!/^\/api\/[^/]+\/sync$/.test(new URL(request.url ?? "/", url).pathname)) {
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      const connection: Connection = { socket: ws, querySet: 0, identity: 0, ts: 0n, accessor: byPath(backend), queries: new Map(), queue: Promise.resolve() };
      connections.add(connection);
      ws.on("message", (data) => {
        let message: Record<string, unknown>;
        try {
          message = JSON.parse(String(data)) as Record<string, unknown>;
        } catch {
          send(connection, { type: "FatalError", error: "Messages must be JSON." });
          return;
        }
        handleMessage(connection, message).catch((error) => console.error("[convex stand-in]", error));
      });
      ws.on("close", () => connections.delete(connection));
    });
  });

  const pollTimer = setInterval(() => refreshAll(nextTs(), false), SCHEDULED_WRITES_POLL_MS);
  const pingTimer = setInterval(() => {
    for (const connection of connections) send(connection, { type: "Ping" });
  }, PING_INTERVAL_MS);

  async function handleCloudRequest(request: IncomingMessage, response: ServerResponse) {
    setCorsHeaders(request, response);
    if (request.method === "OPTIONS") return sendText(response, 204, "");
    const requestUrl = new URL(request.url ?? "/", url);
    if (requestUrl.pathname === "/api/storage/upload" && request.method === "POST") {
      const contents = await readBody(request);
      const storageId = await storeUpload(backend, {
        contentType: request.headers["content-type"] ?? "application/octet-stream",
        contents,
      });
      response.setHeader("content-type", "application/json");
      return sendText(response, 200, JSON.stringify({ storageId }));
    }
    const storageMatch = /^\/api\/storage\/(?!upload$)(.+)$/.exec(requestUrl.pathname);
    if (storageMatch && (request.method === "GET" || request.method === "HEAD")) {
      return serveStoredFile(request, response, decodeURIComponent(storageMatch[1]));
    }
    return sendText(response, 404, `No route ${requestUrl.pathname} on the Convex stand-in.`);
  }

  async function serveStoredFile(request: IncomingMessage, response: ServerResponse, sha256: string) {
    const file = await backend.run(async (ctx) => {
      // Test code over a handful of files: a scan of `_storage` is fine here.
      for (const metadata of await ctx.db.system.query("_storage").collect()) {
        if (metadata.sha256 === sha256) {
          const blob = await ctx.storage.get(metadata._id as Id<"_storage">);
          if (blob === null) return null;
          return { bytes: Buffer.from(await blob.arrayBuffer()).toString("base64"), contentType: metadata.contentType ?? "application/octet-stream" };
        }
      }
      return null;
    });
    if (file === null) return sendText(response, 404, "No such file.");
    const bytes = Buffer.from(file.bytes, "base64");
    response.setHeader("content-type", file.contentType);
    response.setHeader("accept-ranges", "bytes");
    const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.range ?? "");
    if (range && (range[1] !== "" || range[2] !== "")) {
      const start = range[1] === "" ? Math.max(0, bytes.length - Number(range[2])) : Number(range[1]);
      const end = range[1] !== "" && range[2] !== "" ? Math.min(Number(range[2]), bytes.length - 1) : bytes.length - 1;
      if (start >= bytes.length || start > end) {
        response.setHeader("content-range", `bytes */${bytes.length}`);
        return sendText(response, 416, "");
      }
      response.statusCode = 206;
      response.setHeader("content-range", `bytes ${start}-${end}/${bytes.length}`);
      response.setHeader("content-length", String(end - start + 1));
      response.end(request.method === "HEAD" ? undefined : bytes.subarray(start, end + 1));
      return;
    }
    response.statusCode = 200;
    response.setHeader("content-length", String(bytes.length));
    response.end(request.method === "HEAD" ? undefined : bytes);
  }

  async function handleSiteRequest(request: IncomingMessage, response: ServerResponse) {
    const requestUrl = new URL(request.url ?? "/", siteUrl);
    const authorization = request.headers.authorization ?? "";
    let accessor = byPath(backend);
    if (authorization.startsWith("Bearer ")) {
      try {
        accessor = byPath(backend.withIdentity(await identityFromToken(authorization.slice("Bearer ".length))));
      } catch {
        accessor = byPath(backend);
      }
    }
    const body = request.method === "GET" || request.method === "HEAD" ? undefined : await readBody(request);
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === "string") headers.set(name, value);
    }
    const answer = await accessor.fetch(`${requestUrl.pathname}${requestUrl.search}`, { method: request.method, headers, body: body === undefined ? undefined : new Blob([body]) });
    refreshAll(nextTs(), false);
    response.statusCode = answer.status;
    answer.headers.forEach((value, name) => response.setHeader(name, value));
    response.end(Buffer.from(await answer.arrayBuffer()));
  }

  return {
    url,
    siteUrl,
    backend,
    close: async () => {
      clearInterval(pollTimer);
      clearInterval(pingTimer);
      for (const connection of connections) connection.socket.terminate();
      sockets.close();
      await Promise.all([cloud, site].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}

function setCorsHeaders(request: IncomingMessage, response: ServerResponse) {
  response.setHeader("access-control-allow-origin", request.headers.origin ?? "*");
  response.setHeader("access-control-allow-methods", "GET, HEAD, POST, OPTIONS");
  response.setHeader("access-control-allow-headers", request.headers["access-control-request-headers"] ?? "content-type");
  response.setHeader("vary", "origin");
}

function sendText(response: ServerResponse, status: number, text: string) {
  if (response.headersSent) return;
  response.statusCode = status;
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  const bytes = Buffer.concat(chunks);
  return new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
}
