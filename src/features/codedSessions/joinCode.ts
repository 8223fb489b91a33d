/**
 * Join codes on screen. The server decides what a code means (`convex/model/codedSessions.ts`
 * normalises case, spaces, dashes and look-alike letters); the client only formats codes for reading
 * and does a light check before sending.
 */

/** Characters of a join code once spaces and dashes are removed. */
const JOIN_CODE_LENGTH = 6;

/** "7K3QX9" → "7K3-QX9" (easier to read aloud and to copy from a projector). */
export function formatJoinCode(code: string): string {
  return code.length === JOIN_CODE_LENGTH ? `${code.slice(0, 3)}-${code.slice(3)}` : code;
}

/** The typed text without spaces and dashes, upper case. */
export function compactJoinCode(input: string): string {
  return input.replace(/[\s-]+/g, "").toUpperCase();
}

/** A message when `input` cannot be a code (wrong length or characters), else null. */
export function joinCodeProblem(input: string): string | null {
  const compact = compactJoinCode(input);
  if (compact.length === 0) return "Enter the code your lecturer shows.";
  if (!/^[0-9A-Z]+$/.test(compact)) return "A join code has only letters and digits.";
  if (compact.length !== JOIN_CODE_LENGTH) return `A join code has ${JOIN_CODE_LENGTH} letters and digits, for example 7K3-QX9.`;
  return null;
}
