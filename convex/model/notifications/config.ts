import { env } from "../../_generated/server";

/**
 * Deployment settings of notifications and calendars, read from environment variables (set them in
 * the Convex dashboard or with `npx convex env set`):
 *
 * | variable | meaning |
 * | --- | --- |
 * | `RESEND_API_KEY` | Resend API key. Unset → emails are recorded with status `not_sent`. |
 * | `EMAIL_FROM` | Sender, e.g. `Sessions Hub <sessions@example.com>` (a domain verified in Resend). Required to send. |
 * | `RESEND_WEBHOOK_SECRET` | Signing secret (`whsec_…`) of the Resend webhook pointing at `/resend-webhook`. |
 * | `RESEND_BASE_URL` | Optional API base (default `https://api.resend.com`); tests point it at the fake. |
 * | `RESEND_REQUESTS_PER_SECOND` | Optional request rate towards Resend (default 2, Resend's default limit). |
 * | `RESEND_TIMEOUT_MS` | Optional time limit of one request in ms (default 15 000). |
 * | `SITE_URL` | Public URL of the web app (`https://hub.example.com`), for links in emails (shared with Discord linking). |
 * | `CONVEX_SITE_URL` | Set by Convex itself: base URL of HTTP actions, used for calendar feed URLs. |
 */

/** Everything the sender needs; null fields never occur (see {@link emailConfigFromEnv}). */
export interface EmailConfig {
  apiKey: string;
  /** `EMAIL_FROM`, e.g. `Sessions Hub <sessions@example.com>`. */
  from: string;
  /** `RESEND_BASE_URL` without trailing slash, or null for Resend's own. */
  baseUrl: string | null;
  /** Requests per second towards Resend (positive). */
  requestsPerSecond: number;
  /** Time limit of one request, in milliseconds. */
  requestTimeoutMs: number;
}

/** Resend's default rate limit (requests per second per team). */
const DEFAULT_REQUESTS_PER_SECOND = 2;
/** Default time limit of one Resend request (ms). Shorter than the claim of an attempt. */
const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

function positiveNumber(raw: string | undefined, fallback: number): number {
  const parsed = raw === undefined || raw.trim() === "" ? Number.NaN : Number(raw);
  return Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
}

/**
 * The email configuration, or `{ missing }` naming the variable that keeps emails from being sent
 * (`RESEND_API_KEY` or `EMAIL_FROM`). Such emails are recorded with status `not_sent`.
 */
export function emailConfigFromEnv(): EmailConfig | { missing: "RESEND_API_KEY" | "EMAIL_FROM" } {
  const apiKey = env.RESEND_API_KEY?.trim();
  if (!apiKey) return { missing: "RESEND_API_KEY" };
  const from = env.EMAIL_FROM?.trim();
  if (!from) return { missing: "EMAIL_FROM" };
  const baseUrl = env.RESEND_BASE_URL?.trim().replace(/\/+$/, "");
  return {
    apiKey,
    from,
    baseUrl: baseUrl ? baseUrl : null,
    requestsPerSecond: positiveNumber(env.RESEND_REQUESTS_PER_SECOND, DEFAULT_REQUESTS_PER_SECOND),
    requestTimeoutMs: positiveNumber(env.RESEND_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS),
  };
}

/**
 * Whether this deployment sends email, for the admin outbox (`notifications.manage`): `sending`
 * false with `missing` naming the variable to set (`RESEND_API_KEY` or `EMAIL_FROM`; null when
 * sending); `webhookConfigured` tells whether delivery states come back (`RESEND_WEBHOOK_SECRET` set).
 */
export function sendingConfiguration(): {
  sending: boolean;
  missing: "RESEND_API_KEY" | "EMAIL_FROM" | null;
  webhookConfigured: boolean;
} {
  const config = emailConfigFromEnv();
  return {
    sending: !("missing" in config),
    missing: "missing" in config ? config.missing : null,
    webhookConfigured: Boolean(env.RESEND_WEBHOOK_SECRET?.trim()),
  };
}

/** Minimum spacing between two requests to Resend, in ms (from `RESEND_REQUESTS_PER_SECOND`). */
export function sendSpacingMs(): number {
  return Math.ceil(1000 / positiveNumber(env.RESEND_REQUESTS_PER_SECOND, DEFAULT_REQUESTS_PER_SECOND));
}

/**
 * The address part of `EMAIL_FROM` (`sessions@example.com` from `Sessions Hub <sessions@example.com>`),
 * used as ORGANIZER of calendar invites; a placeholder when unset.
 */
export function senderAddress(): string {
  const from = env.EMAIL_FROM?.trim() ?? "";
  const match = /<([^<>\s]+@[^<>\s]+)>/.exec(from) ?? /^([^<>\s]+@[^<>\s]+)$/.exec(from);
  return match ? match[1] : "no-reply@sessions-hub.invalid";
}

/**
 * An absolute link into the web app: `SITE_URL` + `path` (e.g. `/sessions`), or null when `SITE_URL`
 * is not set or not an http(s) URL (emails then leave the link out).
 */
export function appLink(path: string): string | null {
  const base = env.SITE_URL?.trim().replace(/\/+$/, "");
  if (!base || !/^https?:\/\//i.test(base)) return null;
  return `${base}${path.startsWith("/") ? path : `/${path}`}`;
}

/**
 * The public URL of the private calendar feed with `token`:
 * `${CONVEX_SITE_URL}/calendar/<token>.ics`, or null when `CONVEX_SITE_URL` is unknown.
 */
export function calendarFeedUrl(token: string): string | null {
  const base = env.CONVEX_SITE_URL?.trim().replace(/\/+$/, "");
  if (!base) return null;
  return `${base}/calendar/${token}.ics`;
}
