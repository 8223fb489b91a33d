import { vi } from "vitest";

/** A file the page handed to the browser to save: its name and contents. */
export type SavedFile = { filename: string; blob: Blob };

/**
 * Captures the files the page offers for download (jsdom has no object URLs and cannot save): each
 * click on a download link records its file name and the Blob behind its object URL, in order, and
 * goes nowhere. Undone after each test (`vi.restoreAllMocks()` in `src/test/setup.ts`).
 */
export function captureDownloads(): SavedFile[] {
  const files: SavedFile[] = [];
  const blobs = new Map<string, Blob>();
  vi.spyOn(URL, "createObjectURL").mockImplementation((blob) => {
    const url = `blob:test/${blobs.size}`;
    blobs.set(url, blob as Blob);
    return url;
  });
  vi.spyOn(URL, "revokeObjectURL").mockImplementation(() => undefined);
  vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
    files.push({ blob: blobs.get(this.href)!, filename: this.download });
  });
  return files;
}
