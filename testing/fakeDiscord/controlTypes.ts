/**
 * Wire types of the fake Discord server's control API (`/__control/...`).
 *
 * Shared by the server (`server.ts`, Node) and the fetch-only client (`controlClient.ts`, usable from
 * the edge-runtime test project), so this file must not import anything from Node.
 * Permission bitfields and Discord ids are decimal strings, as on Discord's wire.
 */

/** A member to put into a guild when it is created (or later through `addMember`). */
export interface FakeMemberInput {
  /** Discord user id (snowflake); a fresh one is generated when omitted. */
  userId?: string;
  /** Username; defaults to `user-<id suffix>`. */
  username?: string;
  /** Ids of roles of this guild the member holds (besides @everyone). */
  roleIds?: string[];
}

/** Guild size limits. Discord's values are the defaults. */
export interface FakeGuildLimits {
  /** Roles per guild, @everyone included (Discord: 250; error 30005). */
  maxRoles: number;
  /** Channels per guild, categories included (Discord: 500; error 30013). */
  maxChannels: number;
  /** Channels per category (Discord: 50; a 50035 form error on `parent_id`). */
  maxChannelsPerCategory: number;
  /**
   * Role creations allowed per `roleCreationWindowMs` (users report ~250 per ~48 h). Past it,
   * creating a role answers 429 with a `retry_after` of hours. 0 disables the cap.
   */
  maxRoleCreationsPerWindow: number;
  /** Window of the role-creation cap, in milliseconds (default 48 h). */
  roleCreationWindowMs: number;
}

/**
 * Rate limits of the bot of one guild. Discord does not document per-route numbers (clients learn
 * them from the `X-RateLimit-*` headers); the defaults here are the fake's choice.
 */
export interface FakeRateLimits {
  /** Requests per second across all routes for this bot (Discord: 50). 0 disables. */
  globalPerSecond: number;
  /** Default size of a per-route bucket (requests per window). 0 disables route buckets. */
  routeLimit: number;
  /** Default length of a per-route bucket window, in milliseconds. */
  routeWindowMs: number;
  /**
   * Per-operation overrides, keyed by operationId (`create_guild_role`) or
   * `"METHOD /template"` (`"POST /guilds/{guild_id}/roles"`).
   */
  perRoute: Record<string, { limit: number; windowMs: number }>;
}

/** Body of `POST /__control/guilds`. Every field is optional. */
export interface CreateFakeGuildRequest {
  name?: string;
  /** Members besides the bot and the owner. */
  members?: FakeMemberInput[];
  /** Permissions of the bot's managed role, decimal string. Default: {@link DEFAULT_BOT_PERMISSIONS}. */
  botPermissions?: string;
  /** Permissions of @everyone, decimal string. Default: view, connect, speak, send messages, read history. */
  everyonePermissions?: string;
  /** Names of category channels to create; their ids come back in `categoryIds`, in order. */
  categories?: string[];
  limits?: Partial<FakeGuildLimits>;
  rateLimits?: Partial<FakeRateLimits>;
  /** Fixed latency added to every API request of this guild's bot, in milliseconds. */
  latencyMs?: number;
}

/** Answer of `POST /__control/guilds`: everything a test needs to point the Discord client at the guild. */
export interface FakeGuildInfo {
  guildId: string;
  name: string;
  /** The guild owner (a human member that is not the bot; owners see every channel). */
  ownerId: string;
  botUserId: string;
  /** Token the bot authenticates with (`Authorization: Bot <token>`); only valid for this guild. */
  botToken: string;
  /** The bot's managed role (its highest role). */
  botRoleId: string;
  /** The @everyone role, whose id equals the guild id. */
  everyoneRoleId: string;
  /** Value for `DISCORD_API_BASE`, e.g. `http://127.0.0.1:PORT/api`. */
  apiBase: string;
  categoryIds: string[];
  members: Array<{ userId: string; username: string }>;
}

/** Body of `PATCH /__control/guilds/:guildId`: the settings of {@link CreateFakeGuildRequest} that can change later. */
export type UpdateFakeGuildRequest = Pick<CreateFakeGuildRequest, "botPermissions" | "everyonePermissions" | "limits" | "rateLimits" | "latencyMs">;

/** A role as the fake reports it (the same shape as Discord's role object, trimmed). */
export interface FakeRoleState {
  id: string;
  name: string;
  permissions: string;
  position: number;
  hoist: boolean;
  mentionable: boolean;
  managed: boolean;
}

export interface FakeOverwriteState {
  id: string;
  /** 0 = role, 1 = member. */
  type: 0 | 1;
  allow: string;
  deny: string;
}

export interface FakeChannelState {
  id: string;
  type: number;
  name: string;
  parentId: string | null;
  position: number;
  overwrites: FakeOverwriteState[];
}

export interface FakeMemberState {
  userId: string;
  username: string;
  roleIds: string[];
  bot: boolean;
}

/** Answer of `GET /__control/guilds/:guildId/state`. */
export interface FakeGuildState {
  id: string;
  name: string;
  ownerId: string;
  botUserId: string;
  botRoleId: string;
  /** Position of the bot's highest role: it can only manage roles strictly below it. */
  botHighestRolePosition: number;
  roles: FakeRoleState[];
  channels: FakeChannelState[];
  members: FakeMemberState[];
  limits: FakeGuildLimits;
  rateLimits: FakeRateLimits;
  latencyMs: number;
}

/** Selects the API requests a fault applies to. */
export interface FaultTarget {
  /**
   * operationId (`create_guild_role`), `"METHOD /template"` (`"POST /guilds/{guild_id}/roles"`), or
   * `"*"` for every route. Default `"*"`.
   */
  route?: string;
  /** How many matching requests the fault applies to (default 1). */
  count?: number;
}

/**
 * A fault to inject (`POST /__control/guilds/:guildId/faults`). Faults apply in the order added;
 * each matching request consumes one unit of the first matching fault.
 * - `server_error`: answer with `status` (default 500) and Discord's 5xx body, without side effects.
 * - `rate_limit`: answer 429 with `retry_after` = `retryAfterSeconds` (global if `global`).
 * - `drop`: destroy the socket. `when: "before"` (default) drops it before the request is processed;
 *   `"after"` processes it (the resource exists) and then drops the response.
 * - `delay`: wait `delayMs` more before processing (a client timeout can be provoked this way; the
 *   request is still processed after the delay, as a real server would).
 */
export type FaultRequest = FaultTarget &
  (
    | { kind: "server_error"; status?: number }
    | { kind: "rate_limit"; retryAfterSeconds: number; global?: boolean }
    | { kind: "drop"; when?: "before" | "after" }
    | { kind: "delay"; delayMs: number }
  );

/** One API request as the fake recorded it (`GET /__control/guilds/:guildId/requests`). */
export interface FakeRequestLogEntry {
  /** Increasing number, unique per server. */
  sequence: number;
  /** Epoch milliseconds when the request arrived. */
  receivedAt: number;
  method: string;
  /** Path below `/api/v10`, e.g. `/guilds/123/roles`. */
  path: string;
  /** The matched operationId, or null when no route matched. */
  operationId: string | null;
  /** Answered status; null when the socket was dropped before answering. */
  status: number | null;
  /** Decoded `X-Audit-Log-Reason`, or null when absent. */
  auditLogReason: string | null;
  /** Parsed JSON body, or null. */
  body: unknown;
  /** Errors of validation against the OpenAPI spec; null when the body was valid or not validated. */
  validationErrors: string[] | null;
  /** Discord JSON error code of the answer, when it was an error. */
  errorCode: number | null;
  /** The injected fault that shaped this answer, if any. */
  fault: FaultRequest["kind"] | null;
}

/** Answer of `GET /__control/guilds/:guildId/permissions?channel=&user=`. */
export interface FakePermissionsAnswer {
  /** Computed permissions of the user in the channel, decimal string. */
  permissions: string;
  canView: boolean;
}

/** Why a member sees a channel. */
export type ViewerReason = "owner" | "administrator" | "permissions";

/** Answer of `GET /__control/guilds/:guildId/channels/:channelId/viewers`. */
export interface FakeViewersAnswer {
  viewers: Array<{ userId: string; via: ViewerReason }>;
}

/** Answer of `POST /__control/users`: a Discord user outside any guild, with an OAuth2 token. */
export interface FakeUserInfo {
  userId: string;
  username: string;
  /** OAuth2 access token with the `guilds.join` scope, accepted by `PUT /guilds/{g}/members/{user}`. */
  accessToken: string;
  /**
   * A single-use OAuth2 authorization code that `POST /api/oauth2/token` exchanges for `accessToken`
   * (as in the OAuth2 callback). More codes: `POST /__control/users/:userId/authorization-codes`.
   */
  authorizationCode: string;
}

/** Body of `POST /__control/guilds/:guildId/roles` (creates a role "by hand", outside the API). */
export interface CreateFakeRoleRequest {
  name: string;
  permissions?: string;
  /** Position to insert at (roles at and above it move up). Default 1 (just above @everyone). */
  position?: number;
  /** How many such roles to create (names get `-<n>` suffixes when > 1). Default 1. */
  count?: number;
}

/** Body of `POST /__control/guilds/:guildId/channels` (creates a channel "by hand"). */
export interface CreateFakeChannelRequest {
  name: string;
  /** Discord channel type; default 0 (text). 4 = category, 2 = voice. */
  type?: number;
  parentId?: string | null;
  overwrites?: FakeOverwriteState[];
  /** How many such channels to create (names get `-<n>` suffixes when > 1). Default 1. */
  count?: number;
}
