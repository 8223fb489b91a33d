import { useEffect, useRef, type RefObject } from "react";

/** How often a playing video reports progress, in milliseconds. */
const HEARTBEAT_INTERVAL_MS = 15_000;
/** Most ranges sent in one heartbeat (the server accepts up to 200). */
const MAX_RANGES = 200;

/** One progress report: where the player is and what it actually played, in seconds. */
export type ProgressReport = { positionSeconds: number; watchedRanges: { start: number; end: number }[] };

/**
 * The ranges a media element actually played (`HTMLMediaElement.played`): seeking adds nothing, so
 * jumping to the end does not count as watching it. Keeps the latest {@link MAX_RANGES}.
 */
function playedRanges(played: TimeRanges): { start: number; end: number }[] {
  const ranges: { start: number; end: number }[] = [];
  for (let index = 0; index < played.length; index += 1) {
    ranges.push({ start: played.start(index), end: played.end(index) });
  }
  return ranges.slice(-MAX_RANGES);
}

/**
 * Sends progress heartbeats for the video in `videoRef`: every {@link HEARTBEAT_INTERVAL_MS} while it
 * plays, when it starts playing, on pause, when it ends, when the tab is hidden, and when the page is
 * left. The server merges the ranges and decides completion.
 * @param send the heartbeat call (e.g. the `expertSessions.heartbeat` mutation bound to a session);
 *   its failures are passed to `onError`.
 */
export function useProgressHeartbeat(
  videoRef: RefObject<HTMLVideoElement | null>,
  send: (report: ProgressReport) => Promise<unknown>,
  onError: (error: unknown) => void,
): void {
  const latest = useRef({ send, onError });
  useEffect(() => {
    latest.current = { send, onError };
  });

  useEffect(() => {
    const video = videoRef.current;
    if (video === null) return;
    const beat = () => {
      if (video.played.length === 0 && video.currentTime === 0) return;
      const report = { positionSeconds: video.currentTime, watchedRanges: playedRanges(video.played) };
      latest.current.send(report).catch((error: unknown) => latest.current.onError(error));
    };
    const timer = setInterval(() => {
      if (!video.paused && !video.ended) beat();
    }, HEARTBEAT_INTERVAL_MS);
    const onVisibilityChange = () => {
      if (document.visibilityState === "hidden") beat();
    };
    video.addEventListener("play", beat);
    video.addEventListener("pause", beat);
    video.addEventListener("ended", beat);
    document.addEventListener("visibilitychange", onVisibilityChange);
    return () => {
      clearInterval(timer);
      video.removeEventListener("play", beat);
      video.removeEventListener("pause", beat);
      video.removeEventListener("ended", beat);
      document.removeEventListener("visibilitychange", onVisibilityChange);
      beat();
    };
  }, [videoRef]);
}
