/**
 * Discord REST client for the coaching feature (SPEC §6): session roles, private voice channels,
 * role grants, cleanup and guild listings, on top of `@discordjs/rest` and `discord-api-types/v10`.
 *
 * Runs in Convex's default (V8, non-Node) runtime: requests go through the global `fetch` (passed to
 * `@discordjs/rest` as `makeRequest`; Convex's bundler also picks the library's web build), and no
 * background timers are left running.
 *
 * Retry policy belongs to the caller. The client never retries a 5xx or a network error, never waits
 * more than `maxRateLimitWaitMs` for a rate limit (longer waits surface as `rate_limited` with
 * `retryAfterMs`, so an action can reschedule itself instead of sleeping), and bounds every call by
 * `maxCallDurationMs`. Every failure is a {@link DiscordRequestError} with a typed classification.
 * Every mutating call sends an audit-log reason (`X-Audit-Log-Reason`, at most 512 characters).
 */
import {
  DiscordAPIError,
  HTTPError,
  RateLimitError,
  REST,
  RequestMethod,
  type RateLimitData,
  type RequestData,
  type ResponseLike,
} from "@discordjs/rest";
import {
  ChannelType,
  RESTJSONErrorCodes,
  Routes,
  type APIRole,
  type RESTGetAPIGuildChannelsResult,
  type RESTGetAPIGuildRolesResult,
  type RESTPostAPIGuildChannelJSONBody,
  type RESTPostAPIGuildChannelResult,
  type RESTPostAPIGuildRoleJSONBody,
  type RESTPostAPIGuildRoleResult,
  type RESTPutAPIGuildMemberJSONBody,
} from "discord-api-types/v10";
import {
  classifyDiscordError,
  DiscordNetworkError,
  DiscordRequestError,
  type DiscordErrorClassification,
  type DiscordOperation,
} from "./errors";
import { permissionBitsToString, SESSION_ROLE_PERMISSIONS, sessionChannelPermissionOverwrites } from "./permissions";

export * from "./errors";
export * from "./permissions";

/** Longest audit-log reason Discord accepts, in characters. Longer reasons are truncated. */
export const MAX_AUDIT_LOG_REASON_LENGTH = 512;

/** Where and as whom the client talks to Discord. Ids are snowflakes (decimal strings). */
export interface DiscordConfig {
  /** Bot token (`DISCORD_BOT_TOKEN`), sent as `Authorization: Bot <token>`. */
  botToken: string;
  /** The guild the sessions live in (`DISCORD_GUILD_ID`); also the id of its @everyone role. */
  guildId: string;
  /** The bot's user id (`DISCORD_BOT_USER_ID`), for its own overwrite on session channels. */
  botUserId: string;
  /** Category for session channels (`DISCORD_CATEGORY_ID`), or null for none. */
  categoryId: string | null;
  /** API base without version (`DISCORD_API_BASE`, e.g. `http://127.0.0.1:PORT/api`); null = Discord's. */
  apiBase: string | null;
}

/** Tuning of {@link DiscordClient}; the defaults suit a Convex action. */
export interface DiscordClientOptions {
  /** Abort one HTTP attempt after this many milliseconds (default 10 000); surfaces as `transient`/`timeout`. */
  requestTimeoutMs?: number;
  /**
   * Longest rate-limit wait the client does itself, in milliseconds (default 2 000). A 429 or an
   * exhausted bucket that needs longer is thrown as `rate_limited` with `retryAfterMs`.
   */
  maxRateLimitWaitMs?: number;
  /** Upper bound of one call including short rate-limit waits, in milliseconds (default 15 000). */
  maxCallDurationMs?: number;
  /** The fetch implementation (default: the global `fetch`). */
  fetch?: typeof fetch;
}

const SNOWFLAKE = /^[0-9]{17,20}$/;

/**
 * Reads the Discord configuration from environment variables; in Convex pass `env` from
 * `convex/_generated/server`. Returns null when Discord is not configured (any of
 * DISCORD_BOT_TOKEN, DISCORD_GUILD_ID, DISCORD_BOT_USER_ID missing or empty); callers then mark
 * sessions `not_configured`. Throws an `Error` naming the variable when an id is not a snowflake or
 * DISCORD_API_BASE is not an http(s) URL (a misconfiguration to fix, not to hide).
 */
export function discordConfigFromEnv(env: Record<string, string | undefined>): DiscordConfig | null {
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : null;
  };
  const botToken = read("DISCORD_BOT_TOKEN");
  const guildId = read("DISCORD_GUILD_ID");
  const botUserId = read("DISCORD_BOT_USER_ID");
  if (!botToken || !guildId || !botUserId) return null;
  const categoryId = read("DISCORD_CATEGORY_ID");
  const apiBase = read("DISCORD_API_BASE");
  for (const [name, value] of [
    ["DISCORD_GUILD_ID", guildId],
    ["DISCORD_BOT_USER_ID", botUserId],
    ["DISCORD_CATEGORY_ID", categoryId],
  ] as const) {
    if (value !== null && !SNOWFLAKE.test(value)) throw new Error(`${name} must be a Discord id (17–20 digits)`);
  }
  if (apiBase !== null && !/^https?:\/\/[^/]/.test(apiBase)) {
    throw new Error("DISCORD_API_BASE must be an http(s) URL such as https://discord.com/api");
  }
  return { botToken, guildId, botUserId, categoryId, apiBase: apiBase?.replace(/\/+$/, "") ?? null };
}

/**
 * A client for the configured guild, or null when Discord is not configured (see
 * {@link discordConfigFromEnv}; same `env` argument and errors).
 */
export function discordClientFromEnv(
  env: Record<string, string | undefined>,
  options: DiscordClientOptions = {},
): DiscordClient | null {
  const config = discordConfigFromEnv(env);
  return config ? new DiscordClient(config, options) : null;
}

/** Trims a reason to what Discord accepts; an empty reason is a programming error. */
function auditLogReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed.length === 0) throw new Error("a Discord audit-log reason is required for every change");
  if (trimmed.length <= MAX_AUDIT_LOG_REASON_LENGTH) return trimmed;
  let cut = trimmed.slice(0, MAX_AUDIT_LOG_REASON_LENGTH);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return cut;
}

const OPERATIONS = {
  createRole: { name: "create role", route: "POST /guilds/{guild.id}/roles", requiredPermission: "Manage Roles" },
  deleteRole: { name: "delete role", route: "DELETE /guilds/{guild.id}/roles/{role.id}", requiredPermission: "Manage Roles" },
  listRoles: { name: "list roles", route: "GET /guilds/{guild.id}/roles", requiredPermission: null },
  createChannel: {
    name: "create channel",
    route: "POST /guilds/{guild.id}/channels",
    requiredPermission: "Manage Channels (plus View Channel, Connect and Speak, which it grants)",
  },
  deleteChannel: { name: "delete channel", route: "DELETE /channels/{channel.id}", requiredPermission: "Manage Channels" },
  listChannels: { name: "list channels", route: "GET /guilds/{guild.id}/channels", requiredPermission: null },
  addMemberRole: {
    name: "add member role",
    route: "PUT /guilds/{guild.id}/members/{user.id}/roles/{role.id}",
    requiredPermission: "Manage Roles",
  },
  removeMemberRole: {
    name: "remove member role",
    route: "DELETE /guilds/{guild.id}/members/{user.id}/roles/{role.id}",
    requiredPermission: "Manage Roles",
  },
  addGuildMember: {
    name: "add guild member",
    route: "PUT /guilds/{guild.id}/members/{user.id}",
    requiredPermission: "Create Invite",
  },
} satisfies Record<string, DiscordOperation>;

/**
 * Discord calls for one guild. Create one per action (it keeps only rate-limit bucket state).
 * Every method throws {@link DiscordRequestError} on failure.
 */
export class DiscordClient {
  readonly config: DiscordConfig;
  private readonly rest: REST;
  private readonly maxCallDurationMs: number;

  constructor(config: DiscordConfig, options: DiscordClientOptions = {}) {
    this.config = config;
    this.maxCallDurationMs = options.maxCallDurationMs ?? 15_000;
    const maxRateLimitWaitMs = options.maxRateLimitWaitMs ?? 2_000;
    const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.rest = new REST({
      ...(config.apiBase ? { api: config.apiBase } : {}),
      version: "10",
      timeout: options.requestTimeoutMs ?? 10_000,
      // Our retry policy: none in the client. 5xx and network errors go straight to the caller.
      retries: 0,
      // Short rate-limit waits happen in the client; longer ones are thrown as RateLimitError.
      rejectOnRateLimit: (data: RateLimitData) => Math.max(data.retryAfter, data.timeToReset) > maxRateLimitWaitMs,
      // No background sweeper intervals (nothing may outlive a Convex action).
      hashSweepInterval: 0,
      handlerSweepInterval: 0,
      async makeRequest(url, init) {
        const signal = (init.signal ?? undefined) as AbortSignal | undefined;
        try {
          const response = await fetchImpl(url, {
            method: init.method,
            headers: init.headers as HeadersInit,
            body: (init.body ?? undefined) as BodyInit | undefined,
            signal,
          });
          return response as unknown as ResponseLike;
        } catch (error) {
          throw new DiscordNetworkError(signal?.aborted ?? false, error);
        }
      },
    }).setToken(config.botToken);
  }

  /** Sends one request; returns the raw response or throws a classified {@link DiscordRequestError}. */
  private async send(
    operation: DiscordOperation,
    method: RequestMethod,
    route: `/${string}`,
    data: Omit<RequestData, "signal"> = {},
  ): Promise<ResponseLike> {
    const controller = new AbortController();
    const deadline = setTimeout(() => controller.abort(), this.maxCallDurationMs);
    try {
      // A 401 makes @discordjs/rest forget the token; put it back so the next call reports 401 again.
      this.rest.setToken(this.config.botToken);
      return await this.rest.queueRequest({ ...data, fullRoute: route, method, signal: controller.signal });
    } catch (error) {
      const answeredByDiscord =
        error instanceof DiscordAPIError || error instanceof HTTPError || error instanceof RateLimitError;
      const classification: DiscordErrorClassification =
        controller.signal.aborted && !answeredByDiscord
          ? {
              kind: "transient",
              status: null,
              reason: "timeout",
              message: `no answer within ${this.maxCallDurationMs} ms (including rate-limit waits)`,
            }
          : classifyDiscordError(error, operation);
      throw new DiscordRequestError(classification, operation, { cause: error });
    } finally {
      clearTimeout(deadline);
    }
  }

  private async sendJson<T>(
    operation: DiscordOperation,
    method: RequestMethod,
    route: `/${string}`,
    data: Omit<RequestData, "signal"> = {},
  ): Promise<T> {
    const response = await this.send(operation, method, route, data);
    try {
      return (await response.json()) as T;
    } catch (error) {
      throw new DiscordRequestError(
        { kind: "transient", status: response.status, reason: "server_error", message: "Discord sent an unreadable body" },
        operation,
        { cause: error },
      );
    }
  }

  /**
   * Creates a session role: `POST /guilds/{guild.id}/roles` with `permissions: "0"`, not hoisted,
   * not mentionable. Needs Manage Roles. `name`: 1–100 characters. Returns the role (use `.id`).
   * Errors: `limit` (30005, 250 roles), `rate_limited` (also the ~250-per-48 h role-creation cap),
   * `permission`, `transient`, `invalid`.
   */
  async createSessionRole(name: string, reason: string): Promise<APIRole> {
    const body: RESTPostAPIGuildRoleJSONBody = {
      name,
      permissions: permissionBitsToString(SESSION_ROLE_PERMISSIONS),
      hoist: false,
      mentionable: false,
    };
    return this.sendJson<RESTPostAPIGuildRoleResult>(OPERATIONS.createRole, RequestMethod.Post, Routes.guildRoles(this.config.guildId), {
      body,
      reason: auditLogReason(reason),
    });
  }

  /**
   * Creates a private voice channel for a session: `POST /guilds/{guild.id}/channels` with type
   * GUILD_VOICE and the overwrites of {@link sessionChannelPermissionOverwrites} (@everyone denied
   * VIEW_CHANNEL; `roleId` allowed VIEW_CHANNEL | CONNECT | SPEAK; the bot's member allowed
   * VIEW_CHANNEL | CONNECT | MANAGE_CHANNELS). `parentId`: category id; undefined = the configured
   * DISCORD_CATEGORY_ID, null = no category. Needs Manage Channels and the bits it grants.
   * Errors: `limit` (30013 guild full, or `channels_per_category` when the category holds 50),
   * `permission`, `not_found` (unknown role in an overwrite), `rate_limited`, `transient`, `invalid`.
   */
  async createPrivateVoiceChannel(
    input: { name: string; roleId: string; parentId?: string | null },
    reason: string,
  ): Promise<RESTPostAPIGuildChannelResult> {
    const parentId = input.parentId === undefined ? this.config.categoryId : input.parentId;
    const body: RESTPostAPIGuildChannelJSONBody = {
      name: input.name,
      type: ChannelType.GuildVoice,
      ...(parentId ? { parent_id: parentId } : {}),
      permission_overwrites: sessionChannelPermissionOverwrites({
        guildId: this.config.guildId,
        roleId: input.roleId,
        botUserId: this.config.botUserId,
      }),
    };
    return this.sendJson<RESTPostAPIGuildChannelResult>(
      OPERATIONS.createChannel,
      RequestMethod.Post,
      Routes.guildChannels(this.config.guildId),
      { body, reason: auditLogReason(reason) },
    );
  }

  /**
   * Gives a member a role: `PUT /guilds/{guild.id}/members/{user.id}/roles/{role.id}` (idempotent).
   * Needs Manage Roles and the role below the bot's highest role. Errors: `not_found` with code
   * 10007 (the user is not in the guild) or 10011 (unknown role), `permission` (also role
   * hierarchy), `rate_limited`, `transient`.
   */
  async addMemberRole(userId: string, roleId: string, reason: string): Promise<void> {
    await this.send(OPERATIONS.addMemberRole, RequestMethod.Put, Routes.guildMemberRole(this.config.guildId, userId, roleId), {
      reason: auditLogReason(reason),
    });
  }

  /**
   * Takes a role from a member: `DELETE /guilds/{guild.id}/members/{user.id}/roles/{role.id}`.
   * Returns `"already_gone"` when the member left the guild (10007) or the role no longer exists
   * (10011). Needs Manage Roles and role hierarchy. Errors: `permission`, `rate_limited`, `transient`.
   */
  async removeMemberRole(userId: string, roleId: string, reason: string): Promise<"removed" | "already_gone"> {
    return this.deleteTolerantly(
      OPERATIONS.removeMemberRole,
      Routes.guildMemberRole(this.config.guildId, userId, roleId),
      reason,
      [RESTJSONErrorCodes.UnknownMember, RESTJSONErrorCodes.UnknownRole],
      "removed",
    );
  }

  /**
   * Deletes a channel: `DELETE /channels/{channel.id}`. Returns `"already_gone"` on 404 Unknown
   * Channel (10003), so cleanup can run twice. Needs Manage Channels and View Channel on it.
   * Errors: `permission` (50001 Missing Access when the bot cannot see it), `rate_limited`, `transient`.
   */
  async deleteChannel(channelId: string, reason: string): Promise<"deleted" | "already_gone"> {
    return this.deleteTolerantly(OPERATIONS.deleteChannel, Routes.channel(channelId), reason, [RESTJSONErrorCodes.UnknownChannel], "deleted");
  }

  /**
   * Deletes a role: `DELETE /guilds/{guild.id}/roles/{role.id}`. Returns `"already_gone"` on 404
   * Unknown Role (10011). Needs Manage Roles and the role below the bot's highest.
   * Errors: `permission`, `rate_limited`, `transient`.
   */
  async deleteRole(roleId: string, reason: string): Promise<"deleted" | "already_gone"> {
    return this.deleteTolerantly(OPERATIONS.deleteRole, Routes.guildRole(this.config.guildId, roleId), reason, [RESTJSONErrorCodes.UnknownRole], "deleted");
  }

  private async deleteTolerantly<Done extends string>(
    operation: DiscordOperation,
    route: `/${string}`,
    reason: string,
    goneCodes: number[],
    done: Done,
  ): Promise<Done | "already_gone"> {
    try {
      await this.send(operation, RequestMethod.Delete, route, { reason: auditLogReason(reason) });
      return done;
    } catch (error) {
      const classification = error instanceof DiscordRequestError ? error.classification : null;
      if (classification?.kind === "not_found" && goneCodes.includes(classification.code)) return "already_gone";
      throw error;
    }
  }

  /** Lists the guild's roles: `GET /guilds/{guild.id}/roles`. Errors: `permission`, `rate_limited`, `transient`. */
  async listRoles(): Promise<RESTGetAPIGuildRolesResult> {
    return this.sendJson<RESTGetAPIGuildRolesResult>(OPERATIONS.listRoles, RequestMethod.Get, Routes.guildRoles(this.config.guildId));
  }

  /**
   * Lists the guild's channels (categories included, threads not): `GET /guilds/{guild.id}/channels`.
   * Errors: `permission`, `rate_limited`, `transient`.
   */
  async listChannels(): Promise<RESTGetAPIGuildChannelsResult> {
    return this.sendJson<RESTGetAPIGuildChannelsResult>(
      OPERATIONS.listChannels,
      RequestMethod.Get,
      Routes.guildChannels(this.config.guildId),
    );
  }

  /**
   * Adds a user to the guild with their OAuth2 access token (scope `guilds.join`):
   * `PUT /guilds/{guild.id}/members/{user.id}`. Returns `"added"` (201) or `"already_member"` (204).
   * Needs Create Invite. Errors: `invalid` with code 50025 (token invalid or expired: the user must
   * link again), `not_found` (10013 unknown user), `permission`, `rate_limited`, `transient`.
   */
  async addGuildMember(userId: string, accessToken: string, reason: string): Promise<"added" | "already_member"> {
    const body: RESTPutAPIGuildMemberJSONBody = { access_token: accessToken };
    const response = await this.send(OPERATIONS.addGuildMember, RequestMethod.Put, Routes.guildMember(this.config.guildId, userId), {
      body,
      reason: auditLogReason(reason),
    });
    return response.status === 204 ? "already_member" : "added";
  }
}
