import {
  canonicalLanguageTag,
  CAPTIONS_CONTENT_TYPE,
  DEFAULT_CAPTIONS_LANGUAGE,
  isWebVttContentType,
  MAX_CAPTIONS_BYTES,
  startsWithWebVttSignature,
  WEBVTT_SIGNATURE_BYTES,
} from "../../../convex/model/expertSessionFiles";

/**
 * WebVTT captions files in the browser: the same rules as the server
 * (`convex/model/expertSessions.ts`, captions section): a `.vtt` / `text/vtt` file of at most 2 MB
 * whose first line is "WEBVTT", and a BCP 47 language tag. Checking here only spares a useless
 * upload; the server checks everything again.
 */

export { canonicalLanguageTag, DEFAULT_CAPTIONS_LANGUAGE };

/** What the file picker offers. */
export const CAPTIONS_ACCEPT = ".vtt,text/vtt";

/** True when the file is named `*.vtt` or the browser typed it `text/vtt`. */
function looksLikeVttFile(file: Pick<File, "name" | "type">): boolean {
  return isWebVttContentType(file.type) || (file.type === "" && file.name.toLowerCase().endsWith(".vtt"));
}

/**
 * A sentence explaining why `file` cannot be used as captions (type, emptiness, size), or null.
 * Browsers that do not know `.vtt` give it no type; the name decides then.
 */
export function captionsFileProblem(file: Pick<File, "name" | "type" | "size">): string | null {
  if (!looksLikeVttFile(file)) return "This file is not a WebVTT captions file. Choose a .vtt file.";
  if (file.size === 0) return "This file is empty.";
  if (file.size > MAX_CAPTIONS_BYTES) return "This captions file is larger than 2 MB. Please choose a smaller file.";
  return null;
}

/**
 * Reads the first bytes of `file` and explains why it is not WebVTT (e.g. an SRT file renamed to
 * `.vtt`), or returns null when its first line is "WEBVTT".
 */
export async function captionsContentProblem(file: Blob): Promise<string | null> {
  const start = new Uint8Array(await file.slice(0, WEBVTT_SIGNATURE_BYTES).arrayBuffer());
  return startsWithWebVttSignature(start)
    ? null
    : 'This file is not WebVTT: its first line must be "WEBVTT". Convert SRT or other captions to WebVTT first.';
}

/** `file` typed `text/vtt` for the upload (the stored content type comes from the upload request). */
export function asWebVttUpload(file: File): File {
  return isWebVttContentType(file.type) ? file : new File([file], file.name, { type: CAPTIONS_CONTENT_TYPE });
}

/**
 * The language's name in English, the app's language ("English", "Spanish", "British English"), for
 * the player's captions menu and the form; the tag itself when the browser does not know it.
 */
export function languageName(tag: string): string {
  try {
    return new Intl.DisplayNames(["en"], { type: "language", fallback: "code" }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** The form's hint under the language field: the language's name, or how to write a tag. */
export function captionsLanguageHint(tag: string): string {
  const canonical = canonicalLanguageTag(tag);
  if (canonical === null) return 'A BCP 47 language tag such as "en", "en-GB" or "pt-BR".';
  const name = languageName(canonical);
  return name === canonical ? `Shown to students as "${canonical}".` : `Shown to students as "${name}".`;
}

/** The message under the language field when the tag is not valid BCP 47. */
export const CAPTIONS_LANGUAGE_PROBLEM = 'Use a BCP 47 language tag such as "en", "en-GB" or "pt-BR".';
