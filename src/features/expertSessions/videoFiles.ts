import type { Id } from "../../../convex/_generated/dataModel";
import { MAX_VIDEO_BYTES } from "../../../convex/model/expertSessionFiles";

/**
 * Video files in the browser: the same type and size rules as the server
 * (`convex/model/expertSessions.ts#requireUploadedVideo`), reading a file's length, and uploading it
 * to a Convex file-storage upload URL with progress.
 */

/** A sentence explaining why `file` cannot be uploaded, or null when it can. */
export function videoFileProblem(file: Pick<File, "type" | "size">): string | null {
  if (!file.type.startsWith("video/")) return "This file is not a video. Choose an MP4, WebM or other video file.";
  if (file.size === 0) return "This file is empty.";
  if (file.size > MAX_VIDEO_BYTES) return "This video is larger than 2 GB. Please choose a smaller file.";
  return null;
}

/** "1.4 GB", "350 MB", "12 KB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${Math.round(bytes / 1024 ** 2)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** "1:02:03" or "4:05" for a number of seconds. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = String(seconds % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
}

/**
 * The length of a video file in seconds, read by the browser from the file's metadata.
 * @throws Error when the browser cannot read it (not a playable video).
 */
export function readVideoDuration(file: File): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(file);
    const video = document.createElement("video");
    video.preload = "metadata";
    const finish = () => {
      URL.revokeObjectURL(url);
      video.removeAttribute("src");
    };
    video.onloadedmetadata = () => {
      const duration = video.duration;
      finish();
      if (Number.isFinite(duration) && duration > 0) resolve(duration);
      else reject(new Error("The video's length could not be read."));
    };
    video.onerror = () => {
      finish();
      reject(new Error("This browser cannot read this video file."));
    };
    video.src = url;
  });
}

/**
 * POSTs `file` to a Convex upload URL (from `expertSessions.generateUploadUrl`), reporting progress.
 * Uses XMLHttpRequest because `fetch` cannot report upload progress.
 * @param onProgress called with the uploaded fraction, 0–1.
 * @param signal aborts the upload.
 * @returns the storage id from the upload response.
 */
export function uploadFile(
  uploadUrl: string,
  file: File,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<Id<"_storage">> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", uploadUrl);
    request.setRequestHeader("Content-Type", file.type);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      if (request.status < 200 || request.status >= 300) {
        reject(new Error(`The upload failed (HTTP ${request.status}). Please try again.`));
        return;
      }
      try {
        const { storageId } = JSON.parse(request.responseText) as { storageId?: string };
        if (typeof storageId !== "string") throw new Error("no storage id");
        onProgress(1);
        resolve(storageId as Id<"_storage">);
      } catch {
        reject(new Error("The upload finished but its answer could not be read. Please try again."));
      }
    };
    request.onerror = () => reject(new Error("The upload failed: check your connection and try again."));
    request.onabort = () => reject(new DOMException("The upload was cancelled.", "AbortError"));
    signal?.addEventListener("abort", () => request.abort(), { once: true });
    request.send(file);
  });
}
