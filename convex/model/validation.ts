import { throwError } from "./errors";

/**
 * Checks shared by every feature's mutations. Each throws INVALID_ARGUMENT (ConvexError) with a
 * message naming the field, before anything is written.
 */

/**
 * Trims `value` and checks its length.
 * @param field the field's label as the user sees it ("Title").
 * @param maxLength maximum characters after trimming (default 200).
 * @returns the trimmed text.
 * @throws ConvexError INVALID_ARGUMENT when empty or too long.
 */
export function requireText(field: string, value: string, maxLength = 200): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) throwError("INVALID_ARGUMENT", `${field} is required.`, { field });
  if (trimmed.length > maxLength) {
    throwError("INVALID_ARGUMENT", `${field} must be at most ${maxLength} characters.`, { field });
  }
  return trimmed;
}

/**
 * Like {@link requireText} but an empty value is allowed (returns "").
 * @throws ConvexError INVALID_ARGUMENT when too long.
 */
export function optionalText(field: string, value: string | undefined, maxLength = 5000): string {
  const trimmed = (value ?? "").trim();
  if (trimmed.length > maxLength) {
    throwError("INVALID_ARGUMENT", `${field} must be at most ${maxLength} characters.`, { field });
  }
  return trimmed;
}

/** True when `timeZone` is an IANA zone name this runtime knows ("Europe/Berlin", "UTC"). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone }).format(0);
    return true;
  } catch {
    return false;
  }
}

/**
 * @returns `timeZone` when it is a known IANA zone.
 * @throws ConvexError INVALID_ARGUMENT otherwise.
 */
export function requireTimeZone(timeZone: string, field = "Time zone"): string {
  if (!isValidTimeZone(timeZone)) {
    throwError("INVALID_ARGUMENT", `${field} "${timeZone}" is not a known IANA time zone such as "Europe/Berlin".`, { field });
  }
  return timeZone;
}

/**
 * @returns the URL, trimmed, when it is an absolute http(s) URL.
 * @throws ConvexError INVALID_ARGUMENT otherwise.
 */
export function requireHttpUrl(field: string, value: string): string {
  const trimmed = value.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throwError("INVALID_ARGUMENT", `${field} must be a full link starting with https://.`, { field });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throwError("INVALID_ARGUMENT", `${field} must start with https:// or http://.`, { field });
  }
  return trimmed;
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * @returns the email, trimmed and lower-cased.
 * @throws ConvexError INVALID_ARGUMENT when it is not an email address.
 */
export function requireEmail(value: string, field = "Email"): string {
  const normalized = value.trim().toLowerCase();
  if (!EMAIL_PATTERN.test(normalized)) throwError("INVALID_ARGUMENT", `${field} is not a valid email address.`, { field });
  return normalized;
}

/** Earliest instant the app accepts (2000-01-01T00:00:00Z, epoch ms). */
export const EARLIEST_INSTANT = Date.UTC(2000, 0, 1);
/** Latest instant the app accepts (2100-01-01T00:00:00Z, epoch ms), far inside JavaScript's date range. */
export const LATEST_INSTANT = Date.UTC(2100, 0, 1);

/**
 * Checks an instant (epoch milliseconds) sent by a client.
 * @param field the field's label as the user sees it ("Start", "Now").
 * @returns `value` when it is a finite number between 2000-01-01 and 2100-01-01 UTC.
 * @throws ConvexError INVALID_ARGUMENT otherwise (NaN, ±Infinity, 9e15…).
 */
export function requireInstant(field: string, value: number): number {
  if (!Number.isFinite(value) || value < EARLIEST_INSTANT || value > LATEST_INSTANT) {
    throwError("INVALID_ARGUMENT", `${field} must be a date between 2000 and 2100.`, { field });
  }
  return value;
}
