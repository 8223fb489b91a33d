/**
 * Checks of a request before it takes effect: path ids are snowflakes, the `X-Audit-Log-Reason`
 * header (1–512 characters, URL-encoded UTF-8), and the JSON body against Discord's OpenAPI spec
 * (`specValidator.ts`). Failures are Discord's 50035 "Invalid Form Body" (or 50109 invalid JSON).
 */
import type { IncomingMessage } from "node:http";
import { RESTJSONErrorCodes } from "discord-api-types/v10";
import { DiscordHttpError, formError } from "./guild";
import type { ApiRoute } from "./routes";
import { isSnowflake } from "./snowflake";
import type { SpecValidator } from "./specValidator";

/** Longest accepted `X-Audit-Log-Reason`, in characters after URL-decoding. */
export const MAX_AUDIT_LOG_REASON_LENGTH = 512;

/** The decoded audit-log reason (for the request log) and the error it deserves, if any. */
export function readAuditLogReason(request: IncomingMessage): { reason: string | null; error: DiscordHttpError | null } {
  const raw = request.headers["x-audit-log-reason"];
  if (typeof raw !== "string") return { reason: null, error: null };
  try {
    const reason = decodeURIComponent(raw);
    const error =
      reason.length > MAX_AUDIT_LOG_REASON_LENGTH || reason.length === 0
        ? formError("X-Audit-Log-Reason", "BASE_TYPE_BAD_LENGTH", `Must be between 1 and ${MAX_AUDIT_LOG_REASON_LENGTH} in length.`)
        : null;
    return { reason, error };
  } catch {
    return { reason: raw, error: formError("X-Audit-Log-Reason", "BASE_TYPE_INVALID", "Must be URL-encoded UTF-8.") };
  }
}

/** The request body parsed as JSON (undefined when empty), or `failed` when it is not JSON. */
export function parseJsonBody(rawBody: string): { body: unknown; failed: boolean } {
  if (rawBody.length === 0) return { body: undefined, failed: false };
  try {
    return { body: JSON.parse(rawBody), failed: false };
  } catch {
    return { body: rawBody, failed: true };
  }
}

/** Throws 50035 when a path id is not a snowflake. */
export function requireSnowflakeParams(apiRoute: ApiRoute, params: Record<string, string>): void {
  for (const name of apiRoute.paramNames) {
    if (!isSnowflake(params[name])) throw formError(name, "NUMBER_TYPE_COERCE", `Value "${params[name]}" is not snowflake.`);
  }
}

/**
 * Validates the body of a route that has one in the spec; throws 50109 for invalid JSON and 50035
 * with Discord's nested errors for a body the spec rejects (after calling `onInvalid` with readable
 * messages for the request log).
 */
export function validateBody(
  validator: SpecValidator,
  apiRoute: ApiRoute,
  parsed: { body: unknown; failed: boolean },
  onInvalid: (messages: string[]) => void,
): void {
  if (!validator.hasRequestBody(apiRoute.method, apiRoute.template)) return;
  if (parsed.failed) {
    throw new DiscordHttpError(400, RESTJSONErrorCodes.RequestBodyContainsInvalidJSON, "The request body contains invalid JSON.");
  }
  const validation = validator.validate(apiRoute.method, apiRoute.template, parsed.body ?? {});
  if (!validation.valid) {
    onInvalid(validation.messages);
    throw new DiscordHttpError(400, RESTJSONErrorCodes.InvalidFormBodyOrContentType, "Invalid Form Body", validation.errors);
  }
}
