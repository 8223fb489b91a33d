import type { Doc } from "../../_generated/dataModel";
import type { QueryCtx } from "../../_generated/server";
import { throwError } from "../errors";

/** Coded sessions (SPEC §4): drawing, normalizing and looking up join codes. */

/** Crockford base32: digits and upper-case letters without I, L, O and U (32 symbols). */
export const JOIN_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** Characters in a join code (32^6 ≈ 1.07 billion codes). */
const JOIN_CODE_LENGTH = 6;
/** How many codes {@link drawUniqueJoinCode} draws before giving up (a collision is already ~1 in a million). */
const MAX_CODE_DRAWS = 20;

/** Fills and returns `length` random bytes. The default uses the platform's cryptographic generator. */
export type RandomBytes = (length: number) => Uint8Array;

/** `crypto.getRandomValues`: the cryptographic random source used outside tests. */
export const cryptoRandomBytes: RandomBytes = (length) => crypto.getRandomValues(new Uint8Array(length));

/**
 * A new join code of {@link JOIN_CODE_LENGTH} characters from {@link JOIN_CODE_ALPHABET}.
 * Each byte picks a symbol by its low 5 bits; 256 is a multiple of 32, so every symbol is equally likely.
 * @param randomBytes the random source (default: `crypto.getRandomValues`); tests pass a fixed one.
 */
export function generateJoinCode(randomBytes: RandomBytes = cryptoRandomBytes): string {
  const bytes = randomBytes(JOIN_CODE_LENGTH);
  let code = "";
  for (let index = 0; index < JOIN_CODE_LENGTH; index += 1) {
    code += JOIN_CODE_ALPHABET[bytes[index] & 31];
  }
  return code;
}

/**
 * The canonical form of a code as typed by a person: upper case, without spaces and dashes, and with
 * Crockford's look-alikes read as the digits they resemble (O → 0, I and L → 1).
 * @returns the canonical code, or null when it is not 6 symbols of the alphabet.
 */
export function normalizeJoinCode(input: string): string | null {
  const code = input
    .toUpperCase()
    .replace(/[\s-]+/g, "")
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
  if (code.length !== JOIN_CODE_LENGTH) return null;
  for (const symbol of code) {
    if (!JOIN_CODE_ALPHABET.includes(symbol)) return null;
  }
  return code;
}

/** The open session holding `code`, if any (through the `by_code_and_status` index). */
export async function findOpenSessionByCode(ctx: QueryCtx, code: string): Promise<Doc<"codedSessions"> | null> {
  return await ctx.db
    .query("codedSessions")
    .withIndex("by_code_and_status", (q) => q.eq("code", code).eq("status", "open"))
    .first();
}

/**
 * Draws join codes until one is not held by an open session.
 * @param randomBytes the random source (default: `crypto.getRandomValues`).
 * @throws ConvexError CONFLICT when {@link MAX_CODE_DRAWS} draws all collide (practically impossible).
 */
export async function drawUniqueJoinCode(ctx: QueryCtx, randomBytes: RandomBytes = cryptoRandomBytes): Promise<string> {
  for (let draw = 0; draw < MAX_CODE_DRAWS; draw += 1) {
    const code = generateJoinCode(randomBytes);
    if ((await findOpenSessionByCode(ctx, code)) === null) return code;
  }
  throwError("CONFLICT", "Could not find a free join code. Please try again.");
}
