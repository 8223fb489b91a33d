/**
 * Permission bits of a coaching session's Discord space (SPEC §6), computed from discord-api-types'
 * `PermissionFlagsBits` (BigInts) and sent to Discord as decimal strings. No magic numbers.
 */
import { OverwriteType, PermissionFlagsBits, type RESTAPIChannelPatchOverwrite } from "discord-api-types/v10";

/** Guild-level permissions of a session role: none (`"0"`); the role only unlocks its channel. */
export const SESSION_ROLE_PERMISSIONS = 0n;

/** Denied to @everyone on a session channel: VIEW_CHANNEL, so the channel is private. */
const EVERYONE_SESSION_CHANNEL_DENY = PermissionFlagsBits.ViewChannel;

/** Allowed to the session role on its channel: VIEW_CHANNEL | CONNECT | SPEAK. */
export const SESSION_ROLE_CHANNEL_ALLOW =
  PermissionFlagsBits.ViewChannel | PermissionFlagsBits.Connect | PermissionFlagsBits.Speak;

/**
 * Allowed to the bot's own member on a session channel: VIEW_CHANNEL | CONNECT | MANAGE_CHANNELS.
 * Without it the @everyone deny hides the channel from the bot too, and it could not delete it later.
 */
export const BOT_SESSION_CHANNEL_ALLOW =
  PermissionFlagsBits.ViewChannel | PermissionFlagsBits.Connect | PermissionFlagsBits.ManageChannels;

/** A permission bitfield as Discord's wire format wants it: a string of decimal digits. */
export function permissionBitsToString(bits: bigint): string {
  if (bits < 0n) throw new RangeError("permission bits cannot be negative");
  return bits.toString(10);
}

/**
 * The three permission overwrites of a private session voice channel, in the order Discord applies
 * them: @everyone (the role whose id is the guild id) denied VIEW_CHANNEL; the session role allowed
 * {@link SESSION_ROLE_CHANNEL_ALLOW}; the bot's member allowed {@link BOT_SESSION_CHANNEL_ALLOW}.
 * All ids are Discord snowflakes.
 */
export function sessionChannelPermissionOverwrites(input: {
  guildId: string;
  roleId: string;
  botUserId: string;
}): RESTAPIChannelPatchOverwrite[] {
  return [
    {
      id: input.guildId,
      type: OverwriteType.Role,
      allow: permissionBitsToString(0n),
      deny: permissionBitsToString(EVERYONE_SESSION_CHANNEL_DENY),
    },
    {
      id: input.roleId,
      type: OverwriteType.Role,
      allow: permissionBitsToString(SESSION_ROLE_CHANNEL_ALLOW),
      deny: permissionBitsToString(0n),
    },
    {
      id: input.botUserId,
      type: OverwriteType.Member,
      allow: permissionBitsToString(BOT_SESSION_CHANNEL_ALLOW),
      deny: permissionBitsToString(0n),
    },
  ];
}
