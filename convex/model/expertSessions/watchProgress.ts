import type { Infer } from "convex/values";
import type { watchedIntervalValidator } from "../../tables/expertSessions";

/**
 * Watching progress of expert sessions (SPEC §5): watched intervals (seconds from the start of the
 * video), merged on the server from the player's heartbeats, how much a heartbeat may claim, and
 * when a watch counts as completed. Pure functions.
 */

/** Share of the duration a student must have watched for the session to count as completed. */
export const COMPLETION_RATIO = 0.9;
/** Fastest playback the player offers; a heartbeat may claim at most this much video per second of wall time. */
const MAX_PLAYBACK_RATE = 2;
/** Watched seconds the first heartbeat of a student may claim (the player sends one within 15 s of playing). */
const FIRST_HEARTBEAT_ALLOWANCE_SECONDS = 40;
/** Extra seconds every later heartbeat may claim on top of the wall time since the previous one. */
const HEARTBEAT_SLACK_SECONDS = 5;

/** A stretch of video, in seconds (`start` <= `end`). */
export type Interval = Infer<typeof watchedIntervalValidator>;

/**
 * Clamps every interval to `[0, durationSeconds]`, drops empty ones, sorts them and merges those that
 * overlap or touch.
 */
export function normalizeIntervals(intervals: readonly Interval[], durationSeconds: number): Interval[] {
  const clamped = intervals
    .map((interval) => ({
      start: Math.min(Math.max(interval.start, 0), durationSeconds),
      end: Math.min(Math.max(interval.end, 0), durationSeconds),
    }))
    .filter((interval) => interval.end > interval.start)
    .sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of clamped) {
    const last = merged[merged.length - 1];
    if (last !== undefined && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}

/** Total seconds covered by normalized (sorted, non-overlapping) intervals. */
function totalSeconds(intervals: readonly Interval[]): number {
  return intervals.reduce((sum, interval) => sum + (interval.end - interval.start), 0);
}

/** The parts of `intervals` not covered by `covered` (both normalized); the result is normalized. */
export function subtractIntervals(intervals: readonly Interval[], covered: readonly Interval[]): Interval[] {
  const result: Interval[] = [];
  for (const interval of intervals) {
    let start = interval.start;
    for (const block of covered) {
      if (block.end <= start) continue;
      if (block.start >= interval.end) break;
      if (block.start > start) result.push({ start, end: block.start });
      start = Math.max(start, block.end);
      if (start >= interval.end) break;
    }
    if (start < interval.end) result.push({ start, end: interval.end });
  }
  return result;
}

/** The first `maxSeconds` of normalized intervals, in playback order (the last one cut short if needed). */
function firstSecondsOf(intervals: readonly Interval[], maxSeconds: number): Interval[] {
  const result: Interval[] = [];
  let left = Math.max(0, maxSeconds);
  for (const interval of intervals) {
    if (left <= 0) break;
    const length = interval.end - interval.start;
    if (length <= left) {
      result.push({ ...interval });
      left -= length;
    } else {
      result.push({ start: interval.start, end: interval.start + left });
      left = 0;
    }
  }
  return result;
}

/**
 * Merges newly reported watched ranges into the stored ones. Ranges are clamped to the duration;
 * of the parts not yet stored, at most `allowanceSeconds` are accepted (earliest first), so a client
 * cannot claim more watching than the wall time since its previous heartbeat allows.
 * @returns the merged intervals and their total length in seconds.
 */
export function mergeWatchedIntervals(
  stored: readonly Interval[],
  reported: readonly Interval[],
  durationSeconds: number,
  allowanceSeconds: number,
): { intervals: Interval[]; secondsWatched: number } {
  const known = normalizeIntervals(stored, durationSeconds);
  const fresh = subtractIntervals(normalizeIntervals(reported, durationSeconds), known);
  const intervals = normalizeIntervals([...known, ...firstSecondsOf(fresh, allowanceSeconds)], durationSeconds);
  return { intervals, secondsWatched: totalSeconds(intervals) };
}

/**
 * Seconds of new watching a heartbeat at `now` may add: {@link FIRST_HEARTBEAT_ALLOWANCE_SECONDS} for
 * the first one, otherwise the wall time since the previous one at {@link MAX_PLAYBACK_RATE} plus
 * {@link HEARTBEAT_SLACK_SECONDS}.
 * @param lastHeartbeatAt epoch ms of the previous heartbeat, if any; `now` in epoch ms.
 */
export function heartbeatAllowanceSeconds(lastHeartbeatAt: number | undefined, now: number): number {
  if (lastHeartbeatAt === undefined) return FIRST_HEARTBEAT_ALLOWANCE_SECONDS;
  return (Math.max(0, now - lastHeartbeatAt) / 1000) * MAX_PLAYBACK_RATE + HEARTBEAT_SLACK_SECONDS;
}

/** True when `secondsWatched` reaches {@link COMPLETION_RATIO} of the duration. */
export function isCompletedWatch(secondsWatched: number, durationSeconds: number): boolean {
  return durationSeconds > 0 && secondsWatched + 1e-9 >= COMPLETION_RATIO * durationSeconds;
}
