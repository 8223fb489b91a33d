/**
 * The stateful part of the fake Discord: one guild with roles (positions, permissions), channels
 * (types, parent categories, permission overwrites) and members (their roles), and the REST
 * operations the coaching feature uses, with Discord's checks, limits and error codes.
 *
 * Every operation runs synchronously on the guild, so concurrent requests see a consistent guild.
 * Operations throw {@link DiscordHttpError}; the server turns it into Discord's JSON error body.
 */
import { PermissionFlagsBits, RESTJSONErrorCodes } from "discord-api-types/v10";
import type {
  FakeChannelState,
  FakeGuildLimits,
  FakeGuildState,
  FakeMemberState,
  FakeOverwriteState,
  FakeRateLimits,
  FakeRoleState,
  ViewerReason,
} from "./controlTypes";
import {
  ALL_PERMISSIONS,
  computeBasePermissions,
  computeChannelPermissions,
  OVERWRITE_MEMBER,
  OVERWRITE_ROLE,
  parsePermissionBits,
  type Overwrite,
} from "./permissions";
import { nextSnowflake } from "./snowflake";
import type { DiscordFormErrors } from "./specValidator";

/** An error answer in Discord's shape: `{ code, message, errors? }` with an HTTP status. */
export class DiscordHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: DiscordFormErrors,
  ) {
    super(message);
  }

  /** The JSON body Discord would send. */
  body(): { code: number; message: string; errors?: DiscordFormErrors } {
    return this.errors
      ? { code: this.code, message: this.message, errors: this.errors }
      : { code: this.code, message: this.message };
  }
}

/** A 400 / 50035 "Invalid Form Body" with one error on `field`. */
export function formError(field: string, code: string, message: string): DiscordHttpError {
  return new DiscordHttpError(400, RESTJSONErrorCodes.InvalidFormBodyOrContentType, "Invalid Form Body", {
    [field]: { _errors: [{ code, message }] },
  });
}

const missingPermissions = () =>
  new DiscordHttpError(403, RESTJSONErrorCodes.MissingPermissions, "Missing Permissions");
const missingAccess = () => new DiscordHttpError(403, RESTJSONErrorCodes.MissingAccess, "Missing Access");
const unknownRole = () => new DiscordHttpError(404, RESTJSONErrorCodes.UnknownRole, "Unknown Role");
const unknownChannel = () => new DiscordHttpError(404, RESTJSONErrorCodes.UnknownChannel, "Unknown Channel");
const unknownMember = () => new DiscordHttpError(404, RESTJSONErrorCodes.UnknownMember, "Unknown Member");

export const DEFAULT_LIMITS: FakeGuildLimits = {
  maxRoles: 250,
  maxChannels: 500,
  maxChannelsPerCategory: 50,
  maxRoleCreationsPerWindow: 250,
  roleCreationWindowMs: 48 * 60 * 60 * 1000,
};

export const DEFAULT_RATE_LIMITS: FakeRateLimits = {
  globalPerSecond: 50,
  routeLimit: 10,
  routeWindowMs: 1000,
  perRoute: {},
};

interface RoleRecord {
  id: string;
  name: string;
  permissions: bigint;
  position: number;
  color: number;
  hoist: boolean;
  mentionable: boolean;
  managed: boolean;
  botId: string | null;
}

interface ChannelRecord {
  id: string;
  type: number;
  name: string;
  parentId: string | null;
  position: number;
  overwrites: Overwrite[];
  topic: string | null;
  bitrate: number;
  userLimit: number;
  nsfw: boolean;
}

interface MemberRecord {
  userId: string;
  username: string;
  bot: boolean;
  roleIds: Set<string>;
  joinedAt: string;
}

/** A Discord user known to the fake (members refer to users). */
export interface UserRecord {
  id: string;
  username: string;
  bot: boolean;
  /** OAuth2 token with `guilds.join`, or null for bots. */
  accessToken: string | null;
  /** Unused OAuth2 authorization codes that exchange for `accessToken` (single use). */
  authorizationCodes: Set<string>;
}

const CATEGORY = 4;
const VOICE_TYPES = new Set([2, 13]);

function overwriteToWire(overwrite: Overwrite): FakeOverwriteState {
  return {
    id: overwrite.id,
    type: overwrite.type,
    allow: overwrite.allow.toString(),
    deny: overwrite.deny.toString(),
  };
}

/** Options for creating a {@link FakeGuild}. */
export interface FakeGuildInit {
  name: string;
  owner: UserRecord;
  bot: UserRecord;
  botPermissions: bigint;
  everyonePermissions: bigint;
  limits: FakeGuildLimits;
  rateLimits: FakeRateLimits;
  latencyMs: number;
}

/** One fake guild and its bot. */
export class FakeGuild {
  readonly id = nextSnowflake();
  readonly name: string;
  readonly ownerId: string;
  readonly botUserId: string;
  readonly botRoleId: string;
  limits: FakeGuildLimits;
  rateLimits: FakeRateLimits;
  latencyMs: number;
  private readonly roles = new Map<string, RoleRecord>();
  private readonly channels = new Map<string, ChannelRecord>();
  private readonly members = new Map<string, MemberRecord>();
  /** Epoch ms of recent role creations through the API (for the role-creation cap). */
  private roleCreations: number[] = [];

  constructor(init: FakeGuildInit) {
    this.name = init.name;
    this.ownerId = init.owner.id;
    this.botUserId = init.bot.id;
    this.limits = init.limits;
    this.rateLimits = init.rateLimits;
    this.latencyMs = init.latencyMs;
    this.roles.set(this.id, {
      id: this.id,
      name: "@everyone",
      permissions: init.everyonePermissions,
      position: 0,
      color: 0,
      hoist: false,
      mentionable: false,
      managed: false,
      botId: null,
    });
    this.botRoleId = nextSnowflake();
    this.roles.set(this.botRoleId, {
      id: this.botRoleId,
      name: init.bot.username,
      permissions: init.botPermissions,
      position: 1,
      color: 0,
      hoist: false,
      mentionable: false,
      managed: true,
      botId: init.bot.id,
    });
    this.addMember(init.owner, []);
    this.addMember(init.bot, [this.botRoleId]);
  }

  // ---------------------------------------------------------------- permissions

  private permissionContext(userId: string, channel?: ChannelRecord) {
    const member = this.members.get(userId);
    const memberRoles = member
      ? [...member.roleIds].flatMap((id) => {
          const role = this.roles.get(id);
          return role ? [{ id: role.id, permissions: role.permissions }] : [];
        })
      : [];
    return {
      guildId: this.id,
      isOwner: userId === this.ownerId,
      everyonePermissions: this.roles.get(this.id)?.permissions ?? 0n,
      memberRoles,
      userId,
      overwrites: channel?.overwrites,
    };
  }

  /** Guild-level permissions of a member (0 for non-members). */
  guildPermissions(userId: string): bigint {
    if (!this.members.has(userId)) return 0n;
    return computeBasePermissions(this.permissionContext(userId));
  }

  /** A member's computed permissions in a channel of this guild (0 for non-members). Throws for unknown channels. */
  effectivePermissions(channelId: string, userId: string): bigint {
    const channel = this.channels.get(channelId);
    if (!channel) throw new Error(`channel ${channelId} is not in guild ${this.id}`);
    if (!this.members.has(userId)) return 0n;
    return computeChannelPermissions(this.permissionContext(userId, channel));
  }

  /** Whether the member holds VIEW_CHANNEL in the channel. */
  canView(channelId: string, userId: string): boolean {
    return (this.effectivePermissions(channelId, userId) & PermissionFlagsBits.ViewChannel) !== 0n;
  }

  /** Every member who can view the channel, and why. */
  viewers(channelId: string): Array<{ userId: string; via: ViewerReason }> {
    const result: Array<{ userId: string; via: ViewerReason }> = [];
    for (const member of this.members.values()) {
      if (!this.canView(channelId, member.userId)) continue;
      const via: ViewerReason =
        member.userId === this.ownerId
          ? "owner"
          : (this.guildPermissions(member.userId) & PermissionFlagsBits.Administrator) !== 0n
            ? "administrator"
            : "permissions";
      result.push({ userId: member.userId, via });
    }
    return result;
  }

  hasChannel(channelId: string): boolean {
    return this.channels.has(channelId);
  }

  /** Position of the bot's highest role; it may only manage roles strictly below. */
  botHighestPosition(): number {
    const bot = this.members.get(this.botUserId);
    let highest = 0;
    for (const roleId of bot?.roleIds ?? []) highest = Math.max(highest, this.roles.get(roleId)?.position ?? 0);
    return highest;
  }

  private requireBotPermission(bit: bigint, channel?: ChannelRecord): void {
    const permissions = channel
      ? computeChannelPermissions(this.permissionContext(this.botUserId, channel))
      : this.guildPermissions(this.botUserId);
    if ((permissions & bit) === 0n) throw missingPermissions();
  }

  private requireBelowBot(role: RoleRecord): void {
    if (role.position >= this.botHighestPosition()) throw missingPermissions();
  }

  /** Overwrites may only allow or deny bits the bot holds; MANAGE_ROLES there needs ADMINISTRATOR. */
  private requireGrantable(bits: bigint): void {
    const botPermissions = this.guildPermissions(this.botUserId);
    if (botPermissions === ALL_PERMISSIONS) return;
    if ((bits & ~botPermissions) !== 0n || (bits & PermissionFlagsBits.ManageRoles) !== 0n) {
      throw missingPermissions();
    }
  }

  // ---------------------------------------------------------------- wire shapes

  roleJson(role: RoleRecord) {
    return {
      id: role.id,
      name: role.name,
      description: null,
      color: role.color,
      colors: { primary_color: role.color, secondary_color: null, tertiary_color: null },
      hoist: role.hoist,
      icon: null,
      unicode_emoji: null,
      position: role.position,
      permissions: role.permissions.toString(),
      managed: role.managed,
      mentionable: role.mentionable,
      flags: 0,
      ...(role.botId ? { tags: { bot_id: role.botId } } : {}),
    };
  }

  channelJson(channel: ChannelRecord) {
    const base = {
      id: channel.id,
      type: channel.type,
      guild_id: this.id,
      name: channel.name,
      position: channel.position,
      parent_id: channel.parentId,
      permission_overwrites: channel.overwrites.map(overwriteToWire),
      flags: 0,
    };
    if (channel.type === CATEGORY) return base;
    if (VOICE_TYPES.has(channel.type)) {
      return {
        ...base,
        nsfw: channel.nsfw,
        bitrate: channel.bitrate,
        user_limit: channel.userLimit,
        rtc_region: null,
        last_message_id: null,
        rate_limit_per_user: 0,
      };
    }
    return { ...base, nsfw: channel.nsfw, topic: channel.topic, last_message_id: null, rate_limit_per_user: 0 };
  }

  memberJson(member: MemberRecord) {
    return {
      user: { id: member.userId, username: member.username, discriminator: "0", global_name: null, avatar: null },
      nick: null,
      avatar: null,
      roles: [...member.roleIds],
      joined_at: member.joinedAt,
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
    };
  }

  /** Snapshot for the control API. */
  state(): FakeGuildState {
    const roles: FakeRoleState[] = [...this.roles.values()]
      .sort((a, b) => a.position - b.position)
      .map((r) => ({
        id: r.id,
        name: r.name,
        permissions: r.permissions.toString(),
        position: r.position,
        hoist: r.hoist,
        mentionable: r.mentionable,
        managed: r.managed,
      }));
    const channels: FakeChannelState[] = [...this.channels.values()].map((c) => ({
      id: c.id,
      type: c.type,
      name: c.name,
      parentId: c.parentId,
      position: c.position,
      overwrites: c.overwrites.map(overwriteToWire),
    }));
    const members: FakeMemberState[] = [...this.members.values()].map((m) => ({
      userId: m.userId,
      username: m.username,
      roleIds: [...m.roleIds],
      bot: m.bot,
    }));
    return {
      id: this.id,
      name: this.name,
      ownerId: this.ownerId,
      botUserId: this.botUserId,
      botRoleId: this.botRoleId,
      botHighestRolePosition: this.botHighestPosition(),
      roles,
      channels,
      members,
      limits: this.limits,
      rateLimits: this.rateLimits,
      latencyMs: this.latencyMs,
    };
  }

  // ---------------------------------------------------------------- direct (control) changes

  /** Adds a member without any check (someone joined the guild). Returns false if already a member. */
  addMember(user: UserRecord, roleIds: string[]): boolean {
    if (this.members.has(user.id)) return false;
    for (const roleId of roleIds) if (!this.roles.has(roleId)) throw new Error(`unknown role ${roleId}`);
    this.members.set(user.id, {
      userId: user.id,
      username: user.username,
      bot: user.bot,
      roleIds: new Set(roleIds),
      joinedAt: new Date().toISOString(),
    });
    return true;
  }

  /** Removes a member without any check (they left). */
  removeMember(userId: string): boolean {
    if (userId === this.botUserId || userId === this.ownerId) throw new Error("cannot remove the bot or the owner");
    return this.members.delete(userId);
  }

  /** Sets the permissions of the bot's role (missing-permission scenarios). */
  setBotPermissions(bits: bigint): void {
    const role = this.roles.get(this.botRoleId);
    if (role) role.permissions = bits;
  }

  setEveryonePermissions(bits: bigint): void {
    const role = this.roles.get(this.id);
    if (role) role.permissions = bits;
  }

  /** Inserts a role at `position`, moving roles at and above it up by one. Skips limits and checks. */
  insertRole(input: { name: string; permissions: bigint; position: number; hoist?: boolean; mentionable?: boolean; color?: number }): RoleRecord {
    const top = Math.max(...[...this.roles.values()].map((r) => r.position)) + 1;
    const position = Math.min(Math.max(1, input.position), top);
    for (const role of this.roles.values()) if (role.id !== this.id && role.position >= position) role.position += 1;
    const role: RoleRecord = {
      id: nextSnowflake(),
      name: input.name,
      permissions: input.permissions,
      position,
      color: input.color ?? 0,
      hoist: input.hoist ?? false,
      mentionable: input.mentionable ?? false,
      managed: false,
      botId: null,
    };
    this.roles.set(role.id, role);
    return role;
  }

  /** Removes a role, its grants and the channel overwrites that name it. Skips checks. */
  removeRole(roleId: string): boolean {
    const role = this.roles.get(roleId);
    if (!role || roleId === this.id) return false;
    this.roles.delete(roleId);
    for (const other of this.roles.values()) if (other.position > role.position) other.position -= 1;
    for (const member of this.members.values()) member.roleIds.delete(roleId);
    for (const channel of this.channels.values()) {
      channel.overwrites = channel.overwrites.filter((o) => !(o.type === OVERWRITE_ROLE && o.id === roleId));
    }
    return true;
  }

  /** Inserts a channel. Skips limits and checks. */
  insertChannel(input: { name: string; type: number; parentId: string | null; overwrites: Overwrite[]; topic?: string | null; bitrate?: number | null; userLimit?: number | null; nsfw?: boolean | null; position?: number | null }): ChannelRecord {
    const siblings = [...this.channels.values()].filter((c) => c.parentId === input.parentId);
    const channel: ChannelRecord = {
      id: nextSnowflake(),
      type: input.type,
      name: input.name,
      parentId: input.parentId,
      position: input.position ?? siblings.reduce((max, c) => Math.max(max, c.position + 1), 0),
      overwrites: input.overwrites,
      topic: input.topic ?? null,
      bitrate: input.bitrate ?? 64000,
      userLimit: input.userLimit ?? 0,
      nsfw: input.nsfw ?? false,
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  /** Removes a channel; children of a removed category lose their parent. Skips checks. */
  removeChannel(channelId: string): ChannelRecord | null {
    const channel = this.channels.get(channelId);
    if (!channel) return null;
    this.channels.delete(channelId);
    for (const child of this.channels.values()) if (child.parentId === channelId) child.parentId = null;
    return channel;
  }

  // ---------------------------------------------------------------- REST operations

  /** GET /guilds/{guild_id}/roles */
  listRoles() {
    return [...this.roles.values()].sort((a, b) => a.position - b.position).map((r) => this.roleJson(r));
  }

  /**
   * POST /guilds/{guild_id}/roles — needs MANAGE_ROLES; the role's permissions must be ones the bot
   * holds. New roles go to position 1. Fails with 30005 at the role limit and with a long 429 (thrown
   * as {@link RoleCreationCapError}) past the role-creation cap.
   */
  createRole(body: Record<string, unknown>, now: number) {
    this.requireBotPermission(PermissionFlagsBits.ManageRoles);
    const permissions = parsePermissionBits(body.permissions) ?? 0n;
    this.requireGrantable(permissions);
    if (this.roles.size >= this.limits.maxRoles) {
      throw new DiscordHttpError(
        400,
        RESTJSONErrorCodes.MaximumNumberOfGuildRolesReached,
        `Maximum number of server roles reached (${this.limits.maxRoles})`,
      );
    }
    if (this.limits.maxRoleCreationsPerWindow > 0) {
      this.roleCreations = this.roleCreations.filter((t) => t > now - this.limits.roleCreationWindowMs);
      if (this.roleCreations.length >= this.limits.maxRoleCreationsPerWindow) {
        throw new RoleCreationCapError(this.roleCreations[0] + this.limits.roleCreationWindowMs - now);
      }
      this.roleCreations.push(now);
    }
    const role = this.insertRole({
      name: typeof body.name === "string" ? body.name : "new role",
      permissions,
      position: 1,
      hoist: body.hoist === true,
      mentionable: body.mentionable === true,
      color: typeof body.color === "number" ? body.color : 0,
    });
    return this.roleJson(role);
  }

  /** DELETE /guilds/{guild_id}/roles/{role_id} — needs MANAGE_ROLES and the role below the bot's highest. */
  deleteRole(roleId: string): void {
    this.requireBotPermission(PermissionFlagsBits.ManageRoles);
    const role = this.roles.get(roleId);
    if (!role) throw unknownRole();
    if (roleId === this.id || role.managed) {
      throw new DiscordHttpError(400, RESTJSONErrorCodes.InvalidRole, "Invalid Role");
    }
    this.requireBelowBot(role);
    this.removeRole(roleId);
  }

  /** GET /guilds/{guild_id}/channels */
  listChannels() {
    return [...this.channels.values()].map((c) => this.channelJson(c));
  }

  /**
   * POST /guilds/{guild_id}/channels — needs MANAGE_CHANNELS; overwrites may only grant or deny bits
   * the bot holds. Without `permission_overwrites` a channel in a category copies the category's.
   * Limits: 30013 at the guild's channel limit; a 50035 `parent_id` error when the category is full.
   */
  createChannel(body: Record<string, unknown>) {
    this.requireBotPermission(PermissionFlagsBits.ManageChannels);
    const type = typeof body.type === "number" ? body.type : 0;
    const parentId = typeof body.parent_id === "string" ? body.parent_id : null;
    let parent: ChannelRecord | undefined;
    if (parentId !== null) {
      parent = this.channels.get(parentId);
      if (!parent || parent.type !== CATEGORY) {
        throw formError("parent_id", "CHANNEL_PARENT_INVALID", "Category does not exist or is not a category.");
      }
      if (type === CATEGORY) throw formError("parent_id", "CHANNEL_PARENT_INVALID_TYPE", "Categories cannot have parents.");
    }
    const rawOverwrites = Array.isArray(body.permission_overwrites) ? body.permission_overwrites : null;
    const overwrites: Overwrite[] = [];
    for (const [index, raw] of (rawOverwrites ?? []).entries()) {
      const entry = raw as { id: string; type?: number | null; allow?: unknown; deny?: unknown };
      const allow = parsePermissionBits(entry.allow) ?? 0n;
      const deny = parsePermissionBits(entry.deny) ?? 0n;
      let kind = entry.type;
      if (kind === null || kind === undefined) kind = this.roles.has(entry.id) ? OVERWRITE_ROLE : OVERWRITE_MEMBER;
      if (kind === OVERWRITE_ROLE && !this.roles.has(entry.id)) throw unknownRole();
      if (kind === OVERWRITE_MEMBER && !this.members.has(entry.id)) {
        throw formError(`permission_overwrites.${index}.id`, "UNKNOWN_MEMBER", "Unknown member for overwrite.");
      }
      this.requireGrantable(allow | deny);
      overwrites.push({ id: entry.id, type: kind as 0 | 1, allow, deny });
    }
    if (this.channels.size >= this.limits.maxChannels) {
      throw new DiscordHttpError(
        400,
        RESTJSONErrorCodes.MaximumNumberOfGuildChannelsReached,
        `Maximum number of server channels reached (${this.limits.maxChannels})`,
      );
    }
    if (parent) {
      const children = [...this.channels.values()].filter((c) => c.parentId === parent.id).length;
      if (children >= this.limits.maxChannelsPerCategory) {
        throw formError(
          "parent_id",
          "CHANNEL_PARENT_MAX_CHANNELS",
          `Maximum number of channels in category reached (${this.limits.maxChannelsPerCategory})`,
        );
      }
    }
    let name = String(body.name);
    if (type === 0 || type === 5) name = name.toLowerCase().replace(/\s+/g, "-");
    const channel = this.insertChannel({
      name,
      type,
      parentId,
      overwrites: rawOverwrites === null && parent ? parent.overwrites.map((o) => ({ ...o })) : overwrites,
      topic: typeof body.topic === "string" ? body.topic : null,
      bitrate: typeof body.bitrate === "number" ? body.bitrate : null,
      userLimit: typeof body.user_limit === "number" ? body.user_limit : null,
      nsfw: typeof body.nsfw === "boolean" ? body.nsfw : null,
      position: typeof body.position === "number" ? body.position : null,
    });
    return this.channelJson(channel);
  }

  /** Checks shared by channel routes: the bot must see the channel (else 50001 Missing Access). */
  private visibleChannel(channelId: string): ChannelRecord {
    const channel = this.channels.get(channelId);
    if (!channel) throw unknownChannel();
    if (!this.canView(channelId, this.botUserId)) throw missingAccess();
    return channel;
  }

  /** GET /channels/{channel_id} */
  getChannel(channelId: string) {
    return this.channelJson(this.visibleChannel(channelId));
  }

  /** DELETE /channels/{channel_id} — the bot must see the channel and hold MANAGE_CHANNELS in it. */
  deleteChannel(channelId: string) {
    const channel = this.visibleChannel(channelId);
    this.requireBotPermission(PermissionFlagsBits.ManageChannels, channel);
    this.removeChannel(channelId);
    return this.channelJson(channel);
  }

  private roleForMemberChange(userId: string, roleId: string): { member: MemberRecord; role: RoleRecord } {
    this.requireBotPermission(PermissionFlagsBits.ManageRoles);
    const member = this.members.get(userId);
    if (!member) throw unknownMember();
    const role = this.roles.get(roleId);
    if (!role || roleId === this.id) throw unknownRole();
    if (role.managed) throw missingPermissions();
    this.requireBelowBot(role);
    return { member, role };
  }

  /** PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id} — MANAGE_ROLES and a role below the bot's highest. */
  addMemberRole(userId: string, roleId: string): void {
    const { member } = this.roleForMemberChange(userId, roleId);
    member.roleIds.add(roleId);
  }

  /** DELETE /guilds/{guild_id}/members/{user_id}/roles/{role_id} — same checks as adding. */
  removeMemberRole(userId: string, roleId: string): void {
    const { member } = this.roleForMemberChange(userId, roleId);
    member.roleIds.delete(roleId);
  }

  /** GET /guilds/{guild_id}/members/{user_id} */
  getMember(userId: string) {
    const member = this.members.get(userId);
    if (!member) throw unknownMember();
    return this.memberJson(member);
  }

  /**
   * PUT /guilds/{guild_id}/members/{user_id} — adds a user with their OAuth2 token (`guilds.join`).
   * Needs CREATE_INSTANT_INVITE (and MANAGE_ROLES plus hierarchy for `roles`). Answers null when the
   * user already is a member (Discord's 204), else the new member (201).
   */
  joinWithAccessToken(user: UserRecord, body: Record<string, unknown>) {
    this.requireBotPermission(PermissionFlagsBits.CreateInstantInvite);
    if (user.accessToken === null || body.access_token !== user.accessToken) {
      throw new DiscordHttpError(403, RESTJSONErrorCodes.InvalidOAuth2AccessToken, "Invalid OAuth2 access token");
    }
    if (this.members.has(user.id)) return null;
    const roleIds = Array.isArray(body.roles) ? (body.roles as string[]) : [];
    if (roleIds.length > 0) {
      this.requireBotPermission(PermissionFlagsBits.ManageRoles);
      for (const roleId of roleIds) {
        const role = this.roles.get(roleId);
        if (!role) throw unknownRole();
        if (role.managed) throw missingPermissions();
        this.requireBelowBot(role);
      }
    }
    this.addMember(user, roleIds.filter((id) => id !== this.id));
    const member = this.members.get(user.id);
    return member ? this.memberJson(member) : null;
  }
}

/** The role-creation cap was hit: Discord answers 429 with a retry_after of hours. */
export class RoleCreationCapError extends Error {
  constructor(readonly retryAfterMs: number) {
    super("role creation cap reached");
  }
}
