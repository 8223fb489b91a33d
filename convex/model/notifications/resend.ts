import { Resend } from "resend";
import type { EmailAttachment } from "../../tables/notifications";
import type { EmailConfig } from "./config";

/**
 * One call to Resend's `POST /emails` (through the official `resend` SDK, whose `baseUrl` points at
 * `RESEND_BASE_URL` when set) and the classification of its answer. Runs in Convex's default runtime
 * (the SDK uses `fetch` only). Retry policy belongs to the caller (`outbox.ts`); this function never
 * sleeps and never retries.
 */

/** What to send; `idempotencyKey` goes out as the `Idempotency-Key` header. */
interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments?: EmailAttachment[];
  idempotencyKey: string;
}

/** The classified answer of one request. */
type SendOutcome =
  /** Accepted (or already accepted earlier under the same idempotency key). */
  | { kind: "sent"; providerMessageId: string }
  /** 429: try again after `retryAfterMs` (from `retry-after` / `ratelimit-reset`). */
  | { kind: "rate_limited"; retryAfterMs: number; error: string }
  /** 5xx, network failure, timeout, or a concurrent request with the same key: retry with backoff. */
  | { kind: "transient"; error: string }
  /** Any other 4xx (bad address, invalid key, quota…): retrying would not help. */
  | { kind: "rejected"; error: string };

/** Wait used for a 429 without usable headers (ms). */
const DEFAULT_RATE_LIMIT_WAIT_MS = 1_000;

/**
 * Milliseconds to wait after a 429, from the response headers: `retry-after` (seconds, or an HTTP
 * date), else `ratelimit-reset` (seconds), else {@link DEFAULT_RATE_LIMIT_WAIT_MS}.
 *
 * @param headers lower-cased response headers (as the SDK returns them), or null.
 * @param now epoch ms, for HTTP-date values.
 */
function rateLimitWaitMs(headers: Record<string, string> | null, now: number): number {
  const retryAfter = headers?.["retry-after"]?.trim();
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.max(Math.ceil(seconds * 1000), 1);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(date - now, 1);
  }
  const reset = Number(headers?.["ratelimit-reset"]);
  if (Number.isFinite(reset) && reset >= 0) return Math.max(Math.ceil(reset * 1000), 1);
  return DEFAULT_RATE_LIMIT_WAIT_MS;
}

/** UTF-8 bytes of `text` (the SDK base64-encodes byte attachments). */
function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/**
 * Sends one email through Resend: `POST {baseUrl}/emails` with `Authorization: Bearer <apiKey>` and
 * `Idempotency-Key: <email.idempotencyKey>`, bounded by `config.requestTimeoutMs`.
 *
 * @returns the classified outcome; never throws for HTTP or network failures.
 */
export async function sendThroughResend(config: EmailConfig, email: OutgoingEmail, now: number): Promise<SendOutcome> {
  const resend = new Resend(config.apiKey, config.baseUrl ? { baseUrl: config.baseUrl } : undefined);
  let response: Awaited<ReturnType<Resend["emails"]["send"]>>;
  // An AbortController + setTimeout (rather than AbortSignal.timeout) works in every runtime.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), config.requestTimeoutMs);
  try {
    response = await resend.emails.send(
      {
        from: config.from,
        to: [email.to],
        subject: email.subject,
        text: email.text,
        html: email.html,
        ...(email.attachments && email.attachments.length > 0
          ? {
              attachments: email.attachments.map((attachment) => ({
                filename: attachment.filename,
                contentType: attachment.contentType,
                content: utf8(attachment.content),
              })),
            }
          : {}),
      },
      { idempotencyKey: email.idempotencyKey, signal: controller.signal },
    );
  } catch (error) {
    // The SDK turns failures into `{ error }`; an abort can still surface as a throw.
    return { kind: "transient", error: `Request to Resend failed: ${String(error)}` };
  } finally {
    clearTimeout(timer);
  }
  if (response.error === null) {
    const id = response.data?.id;
    if (typeof id === "string" && id.length > 0) return { kind: "sent", providerMessageId: id };
    return { kind: "transient", error: "Resend answered without an email id." };
  }
  const { statusCode, name, message } = response.error;
  const description = `${statusCode ?? "no response"} ${name}: ${message}`;
  if (statusCode === null || statusCode === undefined) {
    return { kind: "transient", error: `Could not reach Resend (network error or timeout): ${message}` };
  }
  if (statusCode === 429) {
    if (name === "monthly_quota_exceeded") return { kind: "rejected", error: description };
    return { kind: "rate_limited", retryAfterMs: rateLimitWaitMs(response.headers, now), error: description };
  }
  if (statusCode === 409 && name === "concurrent_idempotent_requests") return { kind: "transient", error: description };
  if (statusCode >= 500) return { kind: "transient", error: description };
  return { kind: "rejected", error: description };
}
