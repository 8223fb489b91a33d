import { asObjectValidator, v, type GenericValidator, type PropertyValidators, type Validator } from "convex/values";
import { throwError } from "./errors";
import { isValidTimeZone } from "./time/zones";

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
const EARLIEST_INSTANT = Date.UTC(2000, 0, 1);
/** Latest instant the app accepts (2100-01-01T00:00:00Z, epoch ms), far inside JavaScript's date range. */
const LATEST_INSTANT = Date.UTC(2100, 0, 1);

/*
 * Argument bounds declared on validators.
 *
 * Convex validators check shapes only: `v.number()` takes NaN, ±Infinity and 9e15; `v.string()` a
 * 600 KB string; `v.array()` ten thousand elements. Public functions therefore declare their
 * arguments with the helpers below (`instantArg`, `wholeNumberArg`, `textArg`, `urlArg`,
 * `listArg`, …), which are ordinary Convex validators carrying their bounds. The builders of
 * `functions.ts` run {@link checkArguments} on every call before anything else (before the caller's
 * identity is read, as Convex's own shape validation does), so a value outside its bounds gets
 * INVALID_ARGUMENT and nothing is written. Arguments declared with plain validators still get the
 * defaults: finite numbers, strings of at most {@link DEFAULT_MAX_TEXT_LENGTH} characters, arrays of
 * at most {@link DEFAULT_MAX_LIST_LENGTH} elements. Model functions keep their semantic checks
 * (`requireText` trims and rejects empty titles, `requireHttpUrl` checks the scheme, …).
 */

/** Bounds of one argument, attached to its validator. */
type ArgumentBounds =
  | { kind: "number"; label: string; min: number; max: number; wholeNumber: boolean; instant: boolean }
  | { kind: "text"; label: string; maxLength: number }
  | { kind: "list"; label: string; maxItems: number };

const boundsOfValidator = new WeakMap<object, ArgumentBounds>();

function withBounds<V extends object>(validator: V, bounds: ArgumentBounds): V {
  boundsOfValidator.set(validator, bounds);
  return validator;
}

/** Longest string a plain `v.string()` argument accepts (characters). */
const DEFAULT_MAX_TEXT_LENGTH = 2_000;
/** Most elements a plain `v.array()` argument accepts. */
export const DEFAULT_MAX_LIST_LENGTH = 1_000;
/** Longest link the app stores (characters), as browsers and mail clients handle it. */
const MAX_URL_LENGTH = 2_000;

/**
 * An instant argument: epoch milliseconds between {@link EARLIEST_INSTANT} (2000-01-01 UTC) and
 * {@link LATEST_INSTANT} (2100-01-01 UTC).
 * @param label the field's label as the user sees it ("Start").
 */
export function instantArg(label: string) {
  return withBounds(v.number(), { kind: "number", label, min: EARLIEST_INSTANT, max: LATEST_INSTANT, wholeNumber: false, instant: true });
}

/**
 * A whole-number argument (a limit, a count, minutes, cents) from `min` to `max` inclusive.
 * @param label the field's label as the user sees it ("Duration (minutes)").
 */
export function wholeNumberArg(label: string, min: number, max: number) {
  return withBounds(v.number(), { kind: "number", label, min, max, wholeNumber: true, instant: false });
}

/** A finite number argument (may have a fraction, e.g. seconds of video) from `min` to `max` inclusive. */
export function numberArg(label: string, min: number, max: number) {
  return withBounds(v.number(), { kind: "number", label, min, max, wholeNumber: false, instant: false });
}

/**
 * A string argument of at most `maxLength` characters as sent (before trimming). Titles use 200,
 * descriptions and notes 5,000.
 */
export function textArg(label: string, maxLength: number) {
  return withBounds(v.string(), { kind: "text", label, maxLength });
}

/** A link argument: a string of at most {@link MAX_URL_LENGTH} characters (the model checks its scheme). */
export function urlArg(label: string) {
  return textArg(label, MAX_URL_LENGTH);
}

/** An array argument of at most `maxItems` elements, each checked by `item` (and its own bounds). */
export function listArg<Item extends Validator<unknown, "required", string>>(label: string, item: Item, maxItems: number) {
  return withBounds(v.array(item), { kind: "list", label, maxItems });
}

/**
 * `v.optional(validator)` that keeps the bounds declared on `validator` (a plain `v.optional`
 * builds a new validator, which would fall back to the defaults).
 */
export function optionalArg<T, FieldPaths extends string>(validator: Validator<T, "required", FieldPaths>) {
  const optional = v.optional(validator);
  const bounds = boundsOfValidator.get(validator);
  return bounds === undefined ? optional : withBounds(optional, bounds);
}

/** Convex's `paginationOptsValidator` with bounds: pages of 1–200 rows, cursors of bounded length. */
export const paginationArg = v.object({
  numItems: wholeNumberArg("Page size", 1, 200),
  cursor: v.union(textArg("Cursor", 20_000), v.null()),
  endCursor: v.optional(v.union(textArg("Cursor", 20_000), v.null())),
  id: optionalArg(wholeNumberArg("Page id", 0, 2 ** 31)),
  maximumRowsRead: optionalArg(wholeNumberArg("Rows to read", 1, 100_000)),
  maximumBytesRead: optionalArg(wholeNumberArg("Bytes to read", 1, 16_000_000)),
});

function argumentError(label: string, message: string): never {
  throwError("INVALID_ARGUMENT", `${label} ${message}`, { field: label });
}

function checkValue(validator: GenericValidator, value: unknown, path: string): void {
  if (value === undefined) return;
  const bounds = boundsOfValidator.get(validator);
  const label = bounds?.label ?? path;
  switch (validator.kind) {
    case "float64": {
      if (typeof value !== "number") return;
      if (!Number.isFinite(value)) argumentError(label, "must be a finite number.");
      if (bounds?.kind !== "number") return;
      if (bounds.instant) {
        if (value < bounds.min || value > bounds.max) argumentError(label, "must be a date between 2000 and 2100.");
        return;
      }
      if (bounds.wholeNumber && !Number.isInteger(value)) argumentError(label, "must be a whole number.");
      if (value < bounds.min) argumentError(label, `must be at least ${bounds.min}.`);
      if (value > bounds.max) argumentError(label, `must be at most ${bounds.max}.`);
      return;
    }
    case "string": {
      if (typeof value !== "string") return;
      const maxLength = bounds?.kind === "text" ? bounds.maxLength : DEFAULT_MAX_TEXT_LENGTH;
      if (value.length > maxLength) argumentError(label, `must be at most ${maxLength} characters.`);
      return;
    }
    case "array": {
      if (!Array.isArray(value)) return;
      const maxItems = bounds?.kind === "list" ? bounds.maxItems : DEFAULT_MAX_LIST_LENGTH;
      if (value.length > maxItems) argumentError(label, `may list at most ${maxItems} items.`);
      for (const [index, item] of value.entries()) checkValue(validator.element, item, `${path}[${index}]`);
      return;
    }
    case "object": {
      if (typeof value !== "object" || value === null) return;
      for (const [name, field] of Object.entries(validator.fields)) {
        checkValue(field as GenericValidator, (value as Record<string, unknown>)[name], path === "" ? name : `${path}.${name}`);
      }
      return;
    }
    case "record": {
      if (typeof value !== "object" || value === null) return;
      const entries = Object.entries(value);
      if (entries.length > DEFAULT_MAX_LIST_LENGTH) argumentError(label, `may list at most ${DEFAULT_MAX_LIST_LENGTH} items.`);
      for (const [key, item] of entries) checkValue(validator.value, item, `${path}.${key}`);
      return;
    }
    case "union": {
      // Check the value against each member of its own kind (a number against the number members…).
      for (const member of validator.members) {
        if (memberMatches(member as GenericValidator, value)) checkValue(member as GenericValidator, value, path);
      }
      return;
    }
    case "any": {
      checkAnyValue(value, path);
      return;
    }
    default:
      return;
  }
}

function memberMatches(member: GenericValidator, value: unknown): boolean {
  switch (member.kind) {
    case "float64":
      return typeof value === "number";
    case "string":
      return typeof value === "string";
    case "array":
      return Array.isArray(value);
    case "object":
      return (
        typeof value === "object" &&
        value !== null &&
        !Array.isArray(value) &&
        Object.keys(value).every((key) => key in member.fields)
      );
    case "record":
    case "any":
    case "union":
      return true;
    default:
      return false;
  }
}

/** Defaults for values of a `v.any()` argument: finite numbers, bounded strings and arrays, at any depth. */
function checkAnyValue(value: unknown, path: string): void {
  if (typeof value === "number" && !Number.isFinite(value)) argumentError(path, "must be a finite number.");
  if (typeof value === "string" && value.length > DEFAULT_MAX_TEXT_LENGTH) {
    argumentError(path, `must be at most ${DEFAULT_MAX_TEXT_LENGTH} characters.`);
  }
  if (Array.isArray(value)) {
    if (value.length > DEFAULT_MAX_LIST_LENGTH) argumentError(path, `may list at most ${DEFAULT_MAX_LIST_LENGTH} items.`);
    value.forEach((item, index) => checkAnyValue(item, `${path}[${index}]`));
  } else if (typeof value === "object" && value !== null && !(value instanceof ArrayBuffer)) {
    for (const [key, item] of Object.entries(value)) checkAnyValue(item, `${path}.${key}`);
  }
}

/**
 * Checks a public function's arguments against the bounds declared on their validators (see the
 * note above {@link ArgumentBounds}). Called by the builders of `functions.ts` before the handler.
 * @param validators the function's `args` (an object of validators or a `v.object`).
 * @param args the arguments as received (already shape-checked by Convex).
 * @throws ConvexError INVALID_ARGUMENT naming the first field out of bounds.
 */
export function checkArguments(validators: PropertyValidators | GenericValidator | undefined, args: Record<string, unknown>): void {
  if (validators === undefined) return;
  checkValue(asObjectValidator(validators) as GenericValidator, args, "");
}

/** Longest video (and so position or watched range) the app accepts: 24 hours, in seconds. */
export const MAX_VIDEO_SECONDS = 24 * 60 * 60;
