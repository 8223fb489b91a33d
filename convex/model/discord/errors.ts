/**
 * Failures of Discord REST calls, normalised into one typed classification the caller can act on:
 *
 * | kind           | when                                                        | what the caller does            |
 * | -------------- | ----------------------------------------------------------- | ------------------------------- |
 * | `rate_limited` | 429 (or a bucket still exhausted) longer than the client waits | reschedule after `retryAfterMs` |
 * | `transient`    | 5xx, network error, timeout                                  | retry with backoff, then fail   |
 * | `permission`   | 401, 403, 50013 Missing Permissions, 50001 Missing Access, role hierarchy | fail; show `hint` to admins |
 * | `limit`        | 30005 max roles, 30013 max channels, category full (50035)   | wait for capacity               |
 * | `not_found`    | 404 (10003 Unknown Channel, 10011 Unknown Role, 10007 Unknown Member, …) | depends on the step  |
 * | `invalid`      | any other 4xx (bad body, invalid OAuth2 token, …)            | fail; it will not get better    |
 */
import { DiscordAPIError, HTTPError, RateLimitError } from "@discordjs/rest";
import { RESTJSONErrorCodes } from "discord-api-types/v10";

/** Which Discord limit was reached. */
export type DiscordLimit = "roles" | "channels" | "channels_per_category";

/** What went wrong with a Discord request, by what the caller should do about it. */
export type DiscordErrorClassification =
  | {
      kind: "rate_limited";
      /** Milliseconds to wait before trying again (Discord's `retry_after` plus a small margin). */
      retryAfterMs: number;
      /** True for the bot-wide (global) limit, false for a per-route bucket. */
      global: boolean;
    }
  | {
      kind: "transient";
      /** HTTP status for 5xx answers; null when no answer came (network error or timeout). */
      status: number | null;
      reason: "server_error" | "network" | "timeout";
      message: string;
    }
  | {
      kind: "permission";
      /** Discord's JSON error code (50013, 50001, …), or 0 for a bare 401/403. */
      code: number;
      /** Discord's message, e.g. "Missing Permissions". */
      message: string;
      /** What an admin must change in Discord or in the configuration, in plain words. */
      hint: string;
    }
  | { kind: "limit"; code: number; limit: DiscordLimit; message: string }
  | { kind: "not_found"; code: number; message: string }
  | {
      kind: "invalid";
      /** HTTP status, or null when the request never reached Discord (e.g. a bad argument). */
      status: number | null;
      code: number | null;
      message: string;
    };

/** The Discord call that failed, for messages and hints. */
export interface DiscordOperation {
  /** e.g. "create role". */
  name: string;
  /** e.g. "POST /guilds/{guild.id}/roles". */
  route: string;
  /** The bot permission the route needs, in Discord's UI wording, e.g. "Manage Roles". */
  requiredPermission: string | null;
}

/** A failed Discord call. `classification.kind` says what to do; the message is safe to show admins. */
export class DiscordRequestError extends Error {
  readonly classification: DiscordErrorClassification;
  readonly operation: DiscordOperation;

  constructor(classification: DiscordErrorClassification, operation: DiscordOperation, options?: { cause?: unknown }) {
    super(describe(classification, operation), options);
    this.name = "DiscordRequestError";
    this.classification = classification;
    this.operation = operation;
  }

  /** Shorthand for `classification.kind`. */
  get kind(): DiscordErrorClassification["kind"] {
    return this.classification.kind;
  }
}

/** Whether `error` is a {@link DiscordRequestError} (optionally of one kind). */
export function isDiscordRequestError<K extends DiscordErrorClassification["kind"]>(
  error: unknown,
  kind?: K,
): error is DiscordRequestError & { classification: Extract<DiscordErrorClassification, { kind: K }> } {
  return error instanceof DiscordRequestError && (kind === undefined || error.classification.kind === kind);
}

function describe(classification: DiscordErrorClassification, operation: DiscordOperation): string {
  const prefix = `Discord ${operation.name} (${operation.route})`;
  switch (classification.kind) {
    case "rate_limited":
      return `${prefix}: rate limited${classification.global ? " (global)" : ""}, retry after ${classification.retryAfterMs} ms`;
    case "transient":
      return `${prefix}: ${classification.message}`;
    case "permission":
      return `${prefix}: ${classification.message} (code ${classification.code}). ${classification.hint}`;
    case "limit":
      return `${prefix}: ${classification.message} (code ${classification.code})`;
    case "not_found":
      return `${prefix}: ${classification.message} (code ${classification.code})`;
    case "invalid":
      return `${prefix}: ${classification.message}${classification.code !== null ? ` (code ${classification.code})` : ""}`;
  }
}

/** Thrown by the client's fetch wrapper when no HTTP answer arrived. */
export class DiscordNetworkError extends Error {
  constructor(
    readonly timedOut: boolean,
    cause: unknown,
  ) {
    super(timedOut ? "request timed out" : `network error: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = "DiscordNetworkError";
  }
}

function containsErrorCode(errors: unknown, code: string): boolean {
  if (Array.isArray(errors)) return errors.some((item) => containsErrorCode(item, code));
  if (typeof errors !== "object" || errors === null) return false;
  if ((errors as { code?: unknown }).code === code) return true;
  return Object.values(errors).some((value) => containsErrorCode(value, code));
}

function permissionHint(code: number, status: number, operation: DiscordOperation): string {
  if (status === 401) {
    return "Discord rejected the bot token: check DISCORD_BOT_TOKEN (it may have been reset in the Developer Portal).";
  }
  if (code === RESTJSONErrorCodes.MissingAccess) {
    return "The bot cannot see this guild or channel: check that the bot is in the guild DISCORD_GUILD_ID and that the channel grants the bot View Channel.";
  }
  const permission = operation.requiredPermission ?? "the required permission";
  const hierarchy = /role/i.test(operation.name)
    ? " and that the bot's role sits above the session roles in Server Settings → Roles (role hierarchy)"
    : "";
  return `Check that the bot's role has the ${permission} permission${hierarchy}.`;
}

/** Maps anything a Discord call threw to a {@link DiscordErrorClassification}. */
export function classifyDiscordError(error: unknown, operation: DiscordOperation): DiscordErrorClassification {
  if (error instanceof RateLimitError) {
    return {
      kind: "rate_limited",
      retryAfterMs: Math.max(0, Math.ceil(Math.max(error.retryAfter, error.timeToReset))),
      global: error.global,
    };
  }
  if (error instanceof HTTPError) {
    return {
      kind: "transient",
      status: error.status,
      reason: "server_error",
      message: `Discord answered ${error.status}${error.message ? ` ${error.message}` : ""}`,
    };
  }
  if (error instanceof DiscordNetworkError) {
    return { kind: "transient", status: null, reason: error.timedOut ? "timeout" : "network", message: error.message };
  }
  if (error instanceof DiscordAPIError) {
    const status = error.status;
    const code = typeof error.code === "number" ? error.code : 0;
    const message = error.message.split("\n")[0] || `HTTP ${status}`;
    if (status >= 500) return { kind: "transient", status, reason: "server_error", message };
    if (status === 429) {
      const retryAfter = (error.rawError as { retry_after?: unknown }).retry_after;
      return {
        kind: "rate_limited",
        retryAfterMs: typeof retryAfter === "number" ? Math.ceil(retryAfter * 1000) : 1000,
        global: (error.rawError as { global?: unknown }).global === true,
      };
    }
    if (code === RESTJSONErrorCodes.MaximumNumberOfGuildRolesReached) {
      return { kind: "limit", code, limit: "roles", message };
    }
    if (code === RESTJSONErrorCodes.MaximumNumberOfGuildChannelsReached) {
      return { kind: "limit", code, limit: "channels", message };
    }
    if (
      code === RESTJSONErrorCodes.InvalidFormBodyOrContentType &&
      containsErrorCode((error.rawError as { errors?: unknown }).errors, "CHANNEL_PARENT_MAX_CHANNELS")
    ) {
      return { kind: "limit", code, limit: "channels_per_category", message: error.message.replace(/\n/g, "; ") };
    }
    if (code === RESTJSONErrorCodes.InvalidOAuth2AccessToken) {
      return { kind: "invalid", status, code, message };
    }
    if (
      status === 401 ||
      status === 403 ||
      code === RESTJSONErrorCodes.MissingPermissions ||
      code === RESTJSONErrorCodes.MissingAccess
    ) {
      return { kind: "permission", code, message, hint: permissionHint(code, status, operation) };
    }
    if (status === 404) return { kind: "not_found", code, message };
    return { kind: "invalid", status, code, message: error.message.replace(/\n/g, "; ") };
  }
  if (typeof error === "object" && error !== null && (error as { name?: unknown }).name === "AbortError") {
    return { kind: "transient", status: null, reason: "timeout", message: "request timed out" };
  }
  return {
    kind: "invalid",
    status: null,
    code: null,
    message: error instanceof Error ? error.message : String(error),
  };
}
