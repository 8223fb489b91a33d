/**
 * A short, real WebM video for the expert-session journey, made by the browser under test: a canvas
 * animation recorded with `MediaRecorder` (VP8). Chromium writes the recording's Duration when the
 * recorder stops, so the upload form can read the video's length as it does for any file.
 */
import type { Page } from "@playwright/test";

/**
 * Records `seconds` of a moving canvas in `page` and returns the WebM file.
 * @param page any page of the app (a secure context, where MediaRecorder works).
 */
export async function recordTestVideo(page: Page, seconds: number): Promise<Buffer> {
  const base64 = await page.evaluate(async (durationMs) => {
    const canvas = document.createElement("canvas");
    canvas.width = 160;
    canvas.height = 90;
    const context = canvas.getContext("2d")!;
    const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: "video/webm;codecs=vp8" });
    const chunks: Blob[] = [];
    recorder.ondataavailable = (event) => chunks.push(event.data);
    const stopped = new Promise((resolve) => (recorder.onstop = resolve));
    const started = performance.now();
    recorder.start();
    await new Promise<void>((resolve) => {
      const draw = () => {
        const elapsed = performance.now() - started;
        context.fillStyle = `hsl(${(elapsed / 10) % 360} 70% 50%)`;
        context.fillRect(0, 0, canvas.width, canvas.height);
        context.fillStyle = "#fff";
        context.fillRect((elapsed / durationMs) * canvas.width, 30, 20, 30);
        if (elapsed < durationMs) setTimeout(draw, 40);
        else resolve();
      };
      draw();
    });
    recorder.stop();
    await stopped;
    const bytes = new Uint8Array(await new Blob(chunks, { type: "video/webm" }).arrayBuffer());
    let binary = "";
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  }, seconds * 1000);
  return Buffer.from(base64, "base64");
}
