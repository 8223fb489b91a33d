import { ConvexError, type Value } from "convex/values";
import type { AppErrorData, ErrorCode } from "../../convex/model/errors";

/**
 * Turning a failed Convex call into text a person can act on. Server functions throw
 * `ConvexError<{ code, message, details? }>` (convex/model/errors.ts); its `message` is written for
 * people and is shown as is. Anything else (network trouble, a bug) gets a generic sentence: never
 * a stack trace or an internal error string.
 */

/** What to say when an error carries a code but no usable message. */
const FALLBACK_BY_CODE: Record<ErrorCode, string> = {
  UNAUTHENTICATED: "Your session has ended. Please sign in again.",
  FORBIDDEN: "Your account is not allowed to do this. Ask an administrator if you need access.",
  NOT_FOUND: "This item does not exist any more. It may have been removed.",
  INVALID_ARGUMENT: "Some of the information entered is not valid. Please check the form.",
  CONFLICT: "This clashes with something that already exists. Please check and try again.",
  RATE_LIMITED: "Too many attempts. Please wait a moment and try again.",
  FAILED_PRECONDITION: "This cannot be done right now. Please refresh and try again.",
};

/** Shown for errors that are not ours (network failures, server bugs). */
export const GENERIC_ERROR_MESSAGE = "Something went wrong. Please try again; if it keeps happening, contact support.";

/**
 * True for a ConvexError, also one created by another copy of the `convex` package (the class
 * marks its instances with `Symbol.for("ConvexError")`).
 */
export function isConvexError(error: unknown): error is ConvexError<Value> {
  return (
    error instanceof ConvexError ||
    (typeof error === "object" && error !== null && Symbol.for("ConvexError") in error && "data" in error)
  );
}

/** The structured data of one of our ConvexErrors, or null for any other error. */
export function appErrorData(error: unknown): AppErrorData | null {
  if (!isConvexError(error)) return null;
  const data: unknown = error.data;
  if (typeof data !== "object" || data === null) return null;
  const code = (data as { code?: unknown }).code;
  if (typeof code !== "string") return null;
  const message = (data as { message?: unknown }).message;
  const details = (data as { details?: unknown }).details;
  return {
    code: code as ErrorCode,
    message: typeof message === "string" ? message : "",
    ...(typeof details === "object" && details !== null ? { details: details as AppErrorData["details"] } : {}),
  };
}

/** The stable error code (`"FORBIDDEN"`, …) of a failed call, or null when it is not one of ours. */
export function errorCode(error: unknown): ErrorCode | null {
  return appErrorData(error)?.code ?? null;
}

/**
 * A sentence for people describing `error`:
 * - our ConvexError → its `message` (or a fallback for its `code` when the message is empty);
 * - a ConvexError with a plain string payload → that string;
 * - anything else → {@link GENERIC_ERROR_MESSAGE}.
 */
export function errorMessage(error: unknown): string {
  const data = appErrorData(error);
  if (data !== null) {
    if (data.message.trim() !== "") return data.message;
    return FALLBACK_BY_CODE[data.code] ?? GENERIC_ERROR_MESSAGE;
  }
  if (isConvexError(error) && typeof error.data === "string" && error.data.trim() !== "") return error.data;
  return GENERIC_ERROR_MESSAGE;
}

/**
 * The form field a validation error names (`details.field`, e.g. "Title"), so a form can put the
 * message under that field; null otherwise.
 */
export function errorField(error: unknown): string | null {
  const field = appErrorData(error)?.details?.field;
  return typeof field === "string" ? field : null;
}
