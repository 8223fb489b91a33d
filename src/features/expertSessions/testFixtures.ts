import type { Id } from "../../../convex/_generated/dataModel";
import { storeUpload, type TestBackend } from "../../../testing/convex";

/**
 * Test-only fixtures for the expert session UI tests (jsdom): files stored in the convex-test
 * backend as Convex's upload URL would store them. Not imported by app code.
 */

/** A small WebVTT captions file. */
export const WEBVTT_TEXT = "WEBVTT\n\n00:00.000 --> 00:04.000\nWelcome to the session.\n";

/** Stores `contents` as an upload with `contentType` (see `storeUpload` in testing/convex.ts). */
export async function storeTestUpload(t: TestBackend, contents: string | Uint8Array, contentType: string): Promise<Id<"_storage">> {
  return await storeUpload(t, { contentType, contents });
}
