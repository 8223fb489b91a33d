/**
 * Discord's permission arithmetic for the fake server: bitfield parsing and the documented
 * algorithm that turns roles and channel overwrites into a member's permissions in a channel
 * (https://discord.com/developers/docs/topics/permissions#permission-overwrites).
 */
import { PermissionFlagsBits } from "discord-api-types/v10";

/** Every permission bit discord-api-types knows. */
export const ALL_PERMISSIONS: bigint = Object.values(PermissionFlagsBits).reduce(
  (all, bit) => all | bit,
  0n,
);

/** What the fake's bot role holds unless a test says otherwise: what the coaching feature needs. */
export const DEFAULT_BOT_PERMISSIONS: bigint =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.Connect |
  PermissionFlagsBits.Speak |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.ManageChannels |
  PermissionFlagsBits.ManageRoles |
  PermissionFlagsBits.CreateInstantInvite;

/** What @everyone holds in a new fake guild (a typical community server). */
export const DEFAULT_EVERYONE_PERMISSIONS: bigint =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.Connect |
  PermissionFlagsBits.Speak |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.ReadMessageHistory;

/** Overwrite target kinds, as Discord numbers them. */
export const OVERWRITE_ROLE = 0;
export const OVERWRITE_MEMBER = 1;

export interface Overwrite {
  id: string;
  type: 0 | 1;
  allow: bigint;
  deny: bigint;
}

/**
 * Parses a permission bitfield from the wire: a JSON integer or a string of decimal digits.
 * Returns null for anything else. `null`/`undefined` parse as 0.
 */
export function parsePermissionBits(value: unknown): bigint | null {
  if (value === null || value === undefined) return 0n;
  if (typeof value === "number") {
    return Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : null;
  }
  if (typeof value === "string" && /^[0-9]{1,40}$/.test(value)) return BigInt(value);
  return null;
}

/** Inputs of {@link computeChannelPermissions}. */
export interface PermissionContext {
  guildId: string;
  /** True when the user owns the guild. */
  isOwner: boolean;
  /** Permissions of the @everyone role. */
  everyonePermissions: bigint;
  /** The member's roles other than @everyone. */
  memberRoles: Array<{ id: string; permissions: bigint }>;
  userId: string;
  /** The channel's overwrites; omit for guild-level permissions. */
  overwrites?: Overwrite[];
}

/** Guild-level permissions: owner gets everything, ADMINISTRATOR gets everything, else the union of roles. */
export function computeBasePermissions(context: PermissionContext): bigint {
  if (context.isOwner) return ALL_PERMISSIONS;
  let permissions = context.everyonePermissions;
  for (const role of context.memberRoles) permissions |= role.permissions;
  if ((permissions & PermissionFlagsBits.Administrator) !== 0n) return ALL_PERMISSIONS;
  return permissions;
}

/**
 * A member's permissions in a channel, in Discord's order: base permissions; then the @everyone
 * overwrite (id = guild id); then the union of the member's role overwrites (denies, then allows);
 * then the member's own overwrite. Owners and ADMINISTRATOR bypass overwrites. A channel the member
 * cannot view grants nothing else.
 */
export function computeChannelPermissions(context: PermissionContext): bigint {
  const base = computeBasePermissions(context);
  if (context.isOwner || (base & PermissionFlagsBits.Administrator) !== 0n) return ALL_PERMISSIONS;
  const overwrites = context.overwrites ?? [];
  let permissions = base;
  const everyone = overwrites.find((o) => o.type === OVERWRITE_ROLE && o.id === context.guildId);
  if (everyone) {
    permissions &= ~everyone.deny;
    permissions |= everyone.allow;
  }
  const roleIds = new Set(context.memberRoles.map((role) => role.id));
  let roleAllow = 0n;
  let roleDeny = 0n;
  for (const overwrite of overwrites) {
    if (overwrite.type === OVERWRITE_ROLE && overwrite.id !== context.guildId && roleIds.has(overwrite.id)) {
      roleAllow |= overwrite.allow;
      roleDeny |= overwrite.deny;
    }
  }
  permissions &= ~roleDeny;
  permissions |= roleAllow;
  const member = overwrites.find((o) => o.type === OVERWRITE_MEMBER && o.id === context.userId);
  if (member) {
    permissions &= ~member.deny;
    permissions |= member.allow;
  }
  if ((permissions & PermissionFlagsBits.ViewChannel) === 0n) return 0n;
  return permissions;
}
