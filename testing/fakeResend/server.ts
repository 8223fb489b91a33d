/**
 * A fake Resend API for tests: a real HTTP server (node:http) on 127.0.0.1 that the app reaches
 * through its real sending code (the `resend` SDK with `RESEND_BASE_URL` pointing here).
 *
 * API (as Resend documents it): `POST /emails` with `Authorization: Bearer <key>` and an optional
 * `Idempotency-Key` (1–256 characters). Answers `200 {"id"}`; errors are Resend's JSON
 * `{ statusCode, name, message }`: 401 `missing_api_key`, 403 `invalid_api_key`, 422
 * `validation_error`, 400 `invalid_idempotency_key`, 409 `invalid_idempotent_request` (same key,
 * other payload), 409 `concurrent_idempotent_requests` (same key still in progress), 429
 * `rate_limit_exceeded` with `retry-after` / `ratelimit-*` headers. A repeated key with the same
 * payload replays the first answer and sends nothing.
 *
 * Control API under `/__control` (see `controlClient.ts`): isolated accounts (one per test), fault
 * injection (5xx, 429, delays, "accepted but answered with an error"), received emails and the
 * request log. Node-only; start it with {@link startFakeResend}.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type {
  CreateFakeAccountRequest,
  FakeAccountInfo,
  FakeReceivedAttachment,
  FakeReceivedEmail,
  FakeRequestLogEntry,
  FaultRequest,
} from "./types";

interface StoredAnswer {
  status: number;
  body: unknown;
}

interface IdempotencyEntry {
  payload: string;
  answer: StoredAnswer | null;
}

interface ActiveFault {
  request: FaultRequest;
  remaining: number;
}

class Account {
  readonly emails: FakeReceivedEmail[] = [];
  readonly log: FakeRequestLogEntry[] = [];
  readonly faults: ActiveFault[] = [];
  readonly idempotency = new Map<string, IdempotencyEntry>();
  windowStart = 0;
  windowCount = 0;

  constructor(
    readonly info: FakeAccountInfo,
    readonly requestsPerSecond: number | null,
  ) {}

  nextFault(): FaultRequest | null {
    const fault = this.faults.find((candidate) => candidate.remaining > 0);
    if (!fault) return null;
    fault.remaining -= 1;
    return fault.request;
  }

  /** True when this request exceeds the account's per-second limit. */
  overRateLimit(now: number): boolean {
    if (this.requestsPerSecond === null) return false;
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.windowCount = 0;
    }
    this.windowCount += 1;
    return this.windowCount > this.requestsPerSecond;
  }
}

/** A running fake. */
export interface FakeResendServer {
  /** Base URL, e.g. `http://127.0.0.1:PORT`. */
  url: string;
  /** Creates an isolated account in-process (the same as `POST /__control/accounts`). */
  createAccount(request?: CreateFakeAccountRequest): FakeAccountInfo;
  close(): Promise<void>;
}

function resendError(status: number, name: string, message: string): StoredAnswer {
  return { status, body: { statusCode: status, name, message } };
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  response.writeHead(status, { "Content-Type": "application/json", ...headers });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function decodeAttachments(raw: unknown): FakeReceivedAttachment[] | string {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return "`attachments` must be an array";
  const out: FakeReceivedAttachment[] = [];
  for (const item of raw as Record<string, unknown>[]) {
    if (typeof item?.content !== "string") return "every attachment needs base64 `content`";
    out.push({
      filename: typeof item.filename === "string" ? item.filename : null,
      contentType: typeof item.content_type === "string" ? item.content_type : null,
      content: Buffer.from(item.content, "base64").toString("utf8"),
    });
  }
  return out;
}

/** Validates a `POST /emails` body; returns the email or an error message. */
function parseEmail(body: Record<string, unknown>, idempotencyKey: string | null): FakeReceivedEmail | string {
  const to = typeof body.to === "string" ? [body.to] : Array.isArray(body.to) ? body.to : null;
  if (typeof body.from !== "string" || body.from.trim() === "") return "Missing `from` field.";
  if (to === null || to.length === 0 || to.length > 50 || !to.every((address) => typeof address === "string" && address.includes("@"))) {
    return "`to` must be 1 to 50 email addresses.";
  }
  if (typeof body.subject !== "string" || body.subject === "") return "Missing `subject` field.";
  if (typeof body.html !== "string" && typeof body.text !== "string") return "Either `html` or `text` is required.";
  const attachments = decodeAttachments(body.attachments);
  if (typeof attachments === "string") return attachments;
  return {
    id: randomUUID(),
    idempotencyKey,
    from: body.from,
    to: to as string[],
    subject: body.subject,
    text: typeof body.text === "string" ? body.text : null,
    html: typeof body.html === "string" ? body.html : null,
    attachments,
    receivedAt: Date.now(),
  };
}

/** Starts the fake on a free port of 127.0.0.1. */
export async function startFakeResend(): Promise<FakeResendServer> {
  const accounts = new Map<string, Account>();
  const accountsByKey = new Map<string, Account>();
  let url = "";

  function createAccount(request: CreateFakeAccountRequest = {}): FakeAccountInfo {
    const accountId = `acct_${randomBytes(6).toString("hex")}`;
    const info: FakeAccountInfo = { accountId, apiKey: `re_test_${randomBytes(12).toString("hex")}`, baseUrl: url };
    const perSecond = request.requestsPerSecond && request.requestsPerSecond > 0 ? request.requestsPerSecond : null;
    const account = new Account(info, perSecond);
    accounts.set(accountId, account);
    accountsByKey.set(info.apiKey, account);
    return info;
  }

  async function handleSend(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const rawBody = await readBody(request);
    const auth = request.headers.authorization ?? "";
    const key = auth.startsWith("Bearer ") ? auth.slice("Bearer ".length).trim() : "";
    if (!key) {
      const answer = resendError(401, "missing_api_key", "Missing API key in the authorization header.");
      return send(response, answer.status, answer.body);
    }
    const account = accountsByKey.get(key);
    if (!account) {
      const answer = resendError(403, "invalid_api_key", "API key is invalid.");
      return send(response, answer.status, answer.body);
    }
    const idempotencyHeader = request.headers["idempotency-key"];
    const idempotencyKey = typeof idempotencyHeader === "string" ? idempotencyHeader : null;
    const log = (status: number, outcome: FakeRequestLogEntry["outcome"]) =>
      account.log.push({ method: "POST", path: "/emails", idempotencyKey, status, outcome, receivedAt });

    if (account.overRateLimit(receivedAt)) {
      log(429, "rate_limited");
      const answer = resendError(429, "rate_limit_exceeded", "Too many requests. You can only make 2 requests per second.");
      return send(response, 429, answer.body, rateLimitHeaders(account.requestsPerSecond ?? 2, 1));
    }

    const fault = account.nextFault();
    if (fault && !fault.accepted) {
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.status !== undefined) {
        log(fault.status, "fault");
        return sendFault(response, fault);
      }
    }

    if (idempotencyKey !== null && (idempotencyKey.length === 0 || idempotencyKey.length > 256)) {
      log(400, "rejected");
      const answer = resendError(400, "invalid_idempotency_key", "The key must be between 1-256 chars.");
      return send(response, answer.status, answer.body);
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(rawBody) as Record<string, unknown>;
    } catch {
      log(422, "rejected");
      const answer = resendError(422, "validation_error", "Invalid JSON body.");
      return send(response, answer.status, answer.body);
    }

    if (idempotencyKey !== null) {
      const previous = account.idempotency.get(idempotencyKey);
      if (previous) {
        if (previous.payload !== rawBody) {
          log(409, "rejected");
          const answer = resendError(409, "invalid_idempotent_request", "Same idempotency key used with a different request payload.");
          return send(response, answer.status, answer.body);
        }
        if (previous.answer === null) {
          log(409, "rejected");
          const answer = resendError(409, "concurrent_idempotent_requests", "Same idempotency key used while original request is still in progress.");
          return send(response, answer.status, answer.body);
        }
        if (fault && fault.status !== undefined) {
          log(fault.status, "fault");
          return sendFault(response, fault);
        }
        log(previous.answer.status, "replayed");
        return send(response, previous.answer.status, previous.answer.body);
      }
    }

    const email = parseEmail(body, idempotencyKey);
    if (typeof email === "string") {
      log(422, "rejected");
      const answer = resendError(422, "validation_error", email);
      return send(response, answer.status, answer.body);
    }
    account.emails.push(email);
    const answer: StoredAnswer = { status: 200, body: { id: email.id } };
    const entry: IdempotencyEntry = { payload: rawBody, answer: null };
    if (idempotencyKey !== null) account.idempotency.set(idempotencyKey, entry);
    // An accepted request held back: the key stays "in progress" until the answer goes out.
    if (fault?.accepted && fault.delayMs) await sleep(fault.delayMs);
    entry.answer = answer;
    if (fault && fault.status !== undefined) {
      log(fault.status, "fault");
      return sendFault(response, fault);
    }
    log(200, "accepted");
    return send(response, answer.status, answer.body);
  }

  async function handleControl(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    const method = request.method ?? "GET";
    const raw = await readBody(request);
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    if (method === "POST" && path === "/accounts") return send(response, 201, createAccount(body as CreateFakeAccountRequest));
    const match = /^\/accounts\/([^/]+)\/(emails|requests|faults)$/.exec(path);
    const account = match ? accounts.get(match[1]) : undefined;
    if (!match || !account) return send(response, 404, { error: `no control route ${method} ${path}` });
    const resource = match[2];
    if (method === "GET" && resource === "emails") return send(response, 200, account.emails);
    if (method === "GET" && resource === "requests") return send(response, 200, account.log);
    if (method === "POST" && resource === "faults") {
      const fault = body as FaultRequest;
      account.faults.push({ request: fault, remaining: fault.count ?? 1 });
      return send(response, 201, { pending: account.faults.reduce((sum, f) => sum + f.remaining, 0) });
    }
    if (method === "DELETE" && resource === "faults") {
      account.faults.length = 0;
      return send(response, 200, { pending: 0 });
    }
    return send(response, 405, { error: `${method} not allowed on ${path}` });
  }

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://fake").pathname;
    const handled =
      path.startsWith("/__control/")
        ? handleControl(request, response, path.slice("/__control".length))
        : request.method === "POST" && path === "/emails"
          ? handleSend(request, response)
          : Promise.resolve(send(response, 404, resendError(404, "not_found", `The fake does not implement ${request.method} ${path}.`).body));
    handled.catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { error: String(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    createAccount,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function rateLimitHeaders(limit: number, retryAfterSeconds: number): Record<string, string> {
  return {
    "retry-after": String(retryAfterSeconds),
    "ratelimit-limit": String(limit),
    "ratelimit-remaining": "0",
    "ratelimit-reset": String(retryAfterSeconds),
  };
}

function sendFault(response: ServerResponse, fault: FaultRequest): void {
  const status = fault.status ?? 500;
  if (status === 429) {
    const seconds = fault.retryAfterSeconds ?? 1;
    const answer = resendError(429, "rate_limit_exceeded", "Too many requests. You can only make 2 requests per second.");
    return send(response, 429, answer.body, rateLimitHeaders(2, seconds));
  }
  const answer =
    status >= 500
      ? resendError(status, "internal_server_error", "An unexpected error occurred.")
      : resendError(status, "application_error", "Injected fault.");
  return send(response, status, answer.body);
}
