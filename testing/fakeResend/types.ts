/**
 * Shapes of the fake Resend server's control API (`/__control/...`), shared by the server
 * (`server.ts`) and the fetch-only client (`controlClient.ts`).
 */

/** `POST /__control/accounts` body. */
export interface CreateFakeAccountRequest {
  /** Enforce a per-second request limit like Resend's (default: no limit). */
  requestsPerSecond?: number;
}

/** An isolated Resend account: its own API key, emails, faults and request log. */
export interface FakeAccountInfo {
  accountId: string;
  apiKey: string;
  /** Value for `RESEND_BASE_URL` (the SDK calls `${baseUrl}/emails`). */
  baseUrl: string;
}

/**
 * A fault injected into the next `count` requests to `POST /emails` (`POST /__control/accounts/:id/faults`).
 * - `status` 500/502/503 → a 5xx error body; 429 → Resend's rate-limit answer with `retry-after`.
 * - `accepted: true` → the email is accepted and recorded (and its idempotency key remembered)
 *   before the error is returned: the "it was sent but the answer got lost" case.
 * - `delayMs` → the answer is held back that long (a client with a shorter timeout gives up).
 */
export interface FaultRequest {
  /** HTTP status to answer with; omit with `delayMs` to answer normally after the delay. */
  status?: number;
  /** How many requests the fault applies to (default 1). */
  count?: number;
  /** `retry-after` / `ratelimit-reset` seconds of a 429 (default 1). */
  retryAfterSeconds?: number;
  accepted?: boolean;
  delayMs?: number;
}

/** An attachment as received, with its content decoded from base64 to text. */
export interface FakeReceivedAttachment {
  filename: string | null;
  contentType: string | null;
  content: string;
}

/** One email the fake accepted. */
export interface FakeReceivedEmail {
  id: string;
  idempotencyKey: string | null;
  from: string;
  to: string[];
  subject: string;
  text: string | null;
  html: string | null;
  attachments: FakeReceivedAttachment[];
  /** Epoch ms (real clock of the server). */
  receivedAt: number;
}

/** One request to the API, with the answer given. */
export interface FakeRequestLogEntry {
  method: string;
  path: string;
  idempotencyKey: string | null;
  status: number;
  /** What the fake did: `accepted`, `replayed` (same idempotency key), `fault`, `rate_limited`, `rejected`. */
  outcome: "accepted" | "replayed" | "fault" | "rate_limited" | "rejected";
  receivedAt: number;
}
