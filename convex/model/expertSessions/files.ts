/**
 * The file rules of expert sessions (SPEC §5) that the upload form and the server share: size limits,
 * the captions content type and language tags, and the WebVTT signature. Pure: no database, so the
 * client bundle can import it.
 */

/** Largest video accepted, in bytes (2 GiB); the upload form checks it too. */
export const MAX_VIDEO_BYTES = 2 * 1024 * 1024 * 1024;
/** Largest captions file accepted, in bytes (2 MiB; an hour of dense captions is about 100 KB). */
export const MAX_CAPTIONS_BYTES = 2 * 1024 * 1024;
/** Content type a captions upload must have (media type parameters such as `; charset=utf-8` are allowed). */
export const CAPTIONS_CONTENT_TYPE = "text/vtt";
/** Language the form proposes for new captions. */
export const DEFAULT_CAPTIONS_LANGUAGE = "en";
/** Longest language tag accepted, in characters. */
export const MAX_LANGUAGE_TAG_LENGTH = 35;

/** Subtags of a BCP 47 tag this app accepts: language[-script][-region][-variant...]. */
const LANGUAGE_TAG_PATTERN = /^([a-z]{2,3})(?:-([a-z]{4}))?(?:-([a-z]{2}|[0-9]{3}))?((?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*)$/i;

/**
 * The canonical form of a BCP 47 language tag ("EN-us" → "en-US", "zh-hant-tw" → "zh-Hant-TW",
 * "es-419"), or null when `tag` is not one. Accepted: a 2–3 letter ISO 639 language, then optionally
 * a 4-letter script, a 2-letter or 3-digit region and variants; extensions, private-use and
 * grandfathered tags are refused (browsers' `srclang` does not need them).
 */
export function canonicalLanguageTag(tag: string): string | null {
  const trimmed = tag.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_LANGUAGE_TAG_LENGTH) return null;
  const match = LANGUAGE_TAG_PATTERN.exec(trimmed);
  if (match === null) return null;
  const [, language, script, region, variants] = match;
  return [
    language.toLowerCase(),
    ...(script !== undefined ? [script[0].toUpperCase() + script.slice(1).toLowerCase()] : []),
    ...(region !== undefined ? [region.toUpperCase()] : []),
    ...variants.split("-").filter((variant) => variant !== "").map((variant) => variant.toLowerCase()),
  ].join("-");
}


/** True when `contentType` is `text/vtt`, with or without parameters (`text/vtt; charset=utf-8`). */
export function isWebVttContentType(contentType: string | undefined): boolean {
  return contentType?.split(";")[0].trim().toLowerCase() === CAPTIONS_CONTENT_TYPE;
}

/** Bytes of a file's start that {@link startsWithWebVttSignature} needs: UTF-8 BOM, "WEBVTT" and one more. */
export const WEBVTT_SIGNATURE_BYTES = 10;
const UTF8_BOM = [0xef, 0xbb, 0xbf];
const WEBVTT = [0x57, 0x45, 0x42, 0x56, 0x54, 0x54];
/** Space, tab, line feed, carriage return: what may follow "WEBVTT" on the first line. */
const AFTER_WEBVTT = [0x20, 0x09, 0x0a, 0x0d];

/**
 * True when `bytes` (the start of a file, at least {@link WEBVTT_SIGNATURE_BYTES} when the file is that
 * long) open a WebVTT file as the W3C WebVTT spec requires: an optional UTF-8 byte order mark, then
 * "WEBVTT", then the end of the file, a space, a tab or a line break. An SRT file renamed to `.vtt`
 * fails this.
 */
export function startsWithWebVttSignature(bytes: Uint8Array): boolean {
  const start = UTF8_BOM.every((byte, index) => bytes[index] === byte) ? UTF8_BOM.length : 0;
  if (!WEBVTT.every((byte, index) => bytes[start + index] === byte)) return false;
  const next = bytes[start + WEBVTT.length];
  return next === undefined || AFTER_WEBVTT.includes(next);
}
