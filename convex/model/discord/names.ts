import type { Id } from "../../_generated/dataModel";

/**
 * Deterministic Discord names of a coaching session's resources (SPEC §6): the role
 * `Session <key>` and the voice channel `coaching-<key>`, where `key` is 8 lower-case letters or
 * digits stored on the session's space (`discordSpaces.key`). Provisioning adopts an existing resource by this name
 * instead of creating a duplicate; reconciliation treats every resource with such a name that no
 * live session owns as an orphan.
 */

const ROLE_NAME_PATTERN = /^Session ([a-z0-9]{8})$/;
const CHANNEL_NAME_PATTERN = /^coaching-([a-z0-9]{8})$/;

/** The spec's key: the last 8 characters of the session id, lower-cased. */
export function primaryDiscordKey(sessionId: Id<"coachingSessions">): string {
  return sessionId.slice(-8).toLowerCase();
}

/** 32-bit FNV-1a of `text`. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * A different deterministic key for the session id, used when a live session already holds
 * {@link primaryDiscordKey} (ids that share their last 8 characters). `attempt` ≥ 1.
 */
export function fallbackDiscordKey(sessionId: Id<"coachingSessions">, attempt: number): string {
  const high = fnv1a(`${attempt}:${sessionId}`).toString(36).padStart(7, "0");
  const low = fnv1a(`${sessionId}:${attempt}`).toString(36);
  return `${high}${low}`.slice(0, 8);
}

/** `Session <key>`: the session role's name. */
export function sessionRoleName(key: string): string {
  return `Session ${key}`;
}

/** `coaching-<key>`: the session voice channel's name. */
export function sessionChannelName(key: string): string {
  return `coaching-${key}`;
}

/** The key in a `Session <key>` role name, or null when the name is not a session role's. */
export function keyOfRoleName(name: string): string | null {
  return ROLE_NAME_PATTERN.exec(name)?.[1] ?? null;
}

/** The key in a `coaching-<key>` channel name, or null when the name is not a session channel's. */
export function keyOfChannelName(name: string): string | null {
  return CHANNEL_NAME_PATTERN.exec(name)?.[1] ?? null;
}

/** `https://discord.com/channels/<guild>/<channel>`: opens the channel in Discord (app or web). */
export function discordChannelUrl(guildId: string, channelId: string): string {
  return `https://discord.com/channels/${guildId}/${channelId}`;
}

/** Audit-log reason of every Discord change made for a session's space (`startTime` epoch ms). */
export function auditReasonFor(space: { sessionId: Id<"coachingSessions">; startTime: number }, action: string): string {
  return `Sessions Hub coaching session ${space.sessionId} (${new Date(space.startTime).toISOString()}): ${action}`;
}
