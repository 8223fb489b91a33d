import { ConvexError, type Value } from "convex/values";

/**
 * Stable error codes of every user-facing failure (SPEC §8). Clients switch on `code`; `message` is a
 * sentence a person can act on.
 */
export type ErrorCode =
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "INVALID_ARGUMENT"
  | "CONFLICT"
  | "RATE_LIMITED"
  | "FAILED_PRECONDITION";

/** The data carried by every ConvexError this app throws. */
export type AppErrorData = {
  code: ErrorCode;
  message: string;
  /** Extra machine-readable details, e.g. `{ retryAfterSeconds }` or the list of clashing sessions. */
  details?: Record<string, Value>;
};

/**
 * Builds the ConvexError for a user-facing failure.
 *
 * @param code one of the stable codes above.
 * @param message a sentence a person can act on.
 * @param details optional JSON-serialisable details (Convex values only).
 */
export function appError(code: ErrorCode, message: string, details?: Record<string, Value>) {
  return new ConvexError<AppErrorData>(details === undefined ? { code, message } : { code, message, details });
}

/** Throws `appError(code, message, details)`. Typed `never` so TypeScript narrows after it. */
export function throwError(code: ErrorCode, message: string, details?: Record<string, Value>): never {
  throw appError(code, message, details);
}

