/**
 * A fake Discord REST server for tests: a real HTTP server (node:http) on 127.0.0.1.
 *
 * - Discord API under `/api/v10/...` for the routes the coaching feature uses (see ROUTES and
 *   shared/discord/README.md), with Discord's status codes and JSON error bodies, the bot-token check,
 *   audit-log reasons, guild limits, role hierarchy, rate-limit headers, 429s, and validation of every
 *   request body against Discord's OpenAPI spec (`discord-openapi.json`, committed beside this file).
 * - A control API under `/__control/...` (README.md beside this file) so tests in other processes
 *   (the edge-runtime Convex tests) create isolated guilds, inject faults and inspect state.
 *
 * Each guild has its own bot and token, so its rate limits, faults and request log belong to one test.
 * Node-only; start it with {@link startFakeDiscord}.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { RESTJSONErrorCodes } from "discord-api-types/v10";
import type {
  CreateFakeChannelRequest,
  CreateFakeGuildRequest,
  CreateFakeRoleRequest,
  FakeGuildInfo,
  FakeRequestLogEntry,
  FakeUserInfo,
  FaultRequest,
  UpdateFakeGuildRequest,
} from "./controlTypes";
import {
  DEFAULT_LIMITS,
  DEFAULT_RATE_LIMITS,
  DiscordHttpError,
  FakeGuild,
  formError,
  RoleCreationCapError,
  type UserRecord,
} from "./guild";
import {
  DEFAULT_BOT_PERMISSIONS,
  DEFAULT_EVERYONE_PERMISSIONS,
  OVERWRITE_MEMBER,
  OVERWRITE_ROLE,
  parsePermissionBits,
} from "./permissions";
import { isSnowflake, nextSnowflake } from "./snowflake";
import { SpecValidator } from "./specValidator";

/** Longest accepted `X-Audit-Log-Reason`, in characters after URL-decoding. */
export const MAX_AUDIT_LOG_REASON_LENGTH = 512;
const API_PREFIX = "/api/v10";
const CONTROL_PREFIX = "/__control";
const MAX_LOG_ENTRIES = 20_000;

interface RouteContext {
  guild: FakeGuild;
  params: Record<string, string>;
  body: Record<string, unknown>;
  now: number;
  world: World;
}

interface RouteResult {
  status: number;
  body?: unknown;
}

interface ApiRoute {
  method: string;
  template: string;
  pattern: RegExp;
  paramNames: string[];
  /** The parameter Discord keys rate-limit buckets by. */
  majorParam: string;
  handle(context: RouteContext): RouteResult;
}

function route(method: string, template: string, handle: ApiRoute["handle"]): ApiRoute {
  const paramNames: string[] = [];
  const pattern = new RegExp(
    `^${template.replace(/\{([a-z_]+)\}/g, (_match, name: string) => {
      paramNames.push(name);
      return "([^/]+)";
    })}$`,
  );
  return { method, template, pattern, paramNames, majorParam: paramNames[0] ?? "", handle };
}

/** The Discord routes the fake implements (the README's table plus two read routes). */
const ROUTES: ApiRoute[] = [
  route("GET", "/guilds/{guild_id}/roles", ({ guild }) => ({ status: 200, body: guild.listRoles() })),
  route("POST", "/guilds/{guild_id}/roles", ({ guild, body, now }) => ({
    status: 200,
    body: guild.createRole(body, now),
  })),
  route("DELETE", "/guilds/{guild_id}/roles/{role_id}", ({ guild, params }) => {
    guild.deleteRole(params.role_id);
    return { status: 204 };
  }),
  route("GET", "/guilds/{guild_id}/channels", ({ guild }) => ({ status: 200, body: guild.listChannels() })),
  route("POST", "/guilds/{guild_id}/channels", ({ guild, body }) => ({
    status: 201,
    body: guild.createChannel(body),
  })),
  route("GET", "/channels/{channel_id}", ({ guild, params }) => ({
    status: 200,
    body: guild.getChannel(params.channel_id),
  })),
  route("DELETE", "/channels/{channel_id}", ({ guild, params }) => ({
    status: 200,
    body: guild.deleteChannel(params.channel_id),
  })),
  route("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", ({ guild, params }) => {
    guild.addMemberRole(params.user_id, params.role_id);
    return { status: 204 };
  }),
  route("DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", ({ guild, params }) => {
    guild.removeMemberRole(params.user_id, params.role_id);
    return { status: 204 };
  }),
  route("GET", "/guilds/{guild_id}/members/{user_id}", ({ guild, params }) => ({
    status: 200,
    body: guild.getMember(params.user_id),
  })),
  route("PUT", "/guilds/{guild_id}/members/{user_id}", ({ guild, params, body, world }) => {
    const user = world.users.get(params.user_id);
    if (!user) throw new DiscordHttpError(404, RESTJSONErrorCodes.UnknownUser, "Unknown User");
    const member = guild.joinWithAccessToken(user, body);
    return member ? { status: 201, body: member } : { status: 204 };
  }),
];

interface ActiveFault {
  id: string;
  request: FaultRequest;
  remaining: number;
}

interface Bucket {
  count: number;
  resetAt: number;
}

/** Per-guild runtime: the guild plus its bot token, faults, rate-limit windows and request log. */
interface GuildRuntime {
  guild: FakeGuild;
  botToken: string;
  faults: ActiveFault[];
  buckets: Map<string, Bucket>;
  globalWindow: Bucket;
  log: FakeRequestLogEntry[];
}

class World {
  readonly users = new Map<string, UserRecord>();
  readonly guilds = new Map<string, GuildRuntime>();
  readonly guildsByToken = new Map<string, GuildRuntime>();
  sequence = 0;

  createUser(input: { userId?: string; username?: string; bot?: boolean }): UserRecord {
    const id = input.userId ?? nextSnowflake();
    if (!isSnowflake(id)) throw new ControlError(400, `user id ${id} is not a snowflake`);
    const existing = this.users.get(id);
    if (existing) return existing;
    const user: UserRecord = {
      id,
      username: input.username ?? `user-${id.slice(-6)}`,
      bot: input.bot ?? false,
      accessToken: input.bot ? null : randomBytes(18).toString("base64url"),
      authorizationCodes: new Set(),
    };
    this.users.set(id, user);
    return user;
  }

  /** A fresh single-use OAuth2 authorization code for a (non-bot) user. */
  issueAuthorizationCode(user: UserRecord): string {
    if (user.accessToken === null) throw new ControlError(400, "bots do not use OAuth2 codes");
    const code = randomBytes(15).toString("base64url");
    user.authorizationCodes.add(code);
    return code;
  }

  guildOwningChannel(channelId: string): GuildRuntime | undefined {
    for (const runtime of this.guilds.values()) if (runtime.guild.hasChannel(channelId)) return runtime;
    return undefined;
  }
}

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A running fake. */
export interface FakeDiscordServer {
  /** Base URL, e.g. `http://127.0.0.1:PORT`. */
  url: string;
  /** Value for `DISCORD_API_BASE`: `${url}/api`. */
  apiBase: string;
  /** Creates an isolated guild in-process (the same as `POST /__control/guilds`). */
  createGuild(request?: CreateFakeGuildRequest): FakeGuildInfo;
  /** The guild's live model, for in-process assertions. */
  guild(guildId: string): FakeGuild;
  /** Computed permissions of `userId` in `channelId` of `guildId` (Discord's overwrite order). */
  effectivePermissions(guildId: string, channelId: string, userId: string): bigint;
  /** Whether `userId` can view `channelId` (whichever guild holds it). */
  canView(channelId: string, userId: string): boolean;
  /** The request log of a guild. */
  requests(guildId: string): FakeRequestLogEntry[];
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** Options of {@link startFakeDiscord}. */
export interface StartFakeDiscordOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Path of Discord's OpenAPI spec (default: the committed `discord-openapi.json` beside this file). */
  specPath?: string;
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined || status === 204) {
    response.writeHead(status, headers);
    response.end();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    "Content-Type": "application/json",
    "Content-Length": String(Buffer.byteLength(text)),
  });
  response.end(text);
}

function bucketHash(method: string, template: string): string {
  return createHash("sha1").update(`${method} ${template}`).digest("hex").slice(0, 32);
}

function limitFor(runtime: GuildRuntime, apiRoute: ApiRoute, operationId: string | null) {
  const limits = runtime.guild.rateLimits;
  const override =
    (operationId ? limits.perRoute[operationId] : undefined) ??
    limits.perRoute[`${apiRoute.method} ${apiRoute.template}`];
  return override ?? { limit: limits.routeLimit, windowMs: limits.routeWindowMs };
}

function faultMatches(fault: ActiveFault, apiRoute: ApiRoute, operationId: string | null): boolean {
  const target = fault.request.route ?? "*";
  return target === "*" || target === operationId || target === `${apiRoute.method} ${apiRoute.template}`;
}

function rateLimitedBody(retryAfterMs: number, global: boolean) {
  return {
    message: "You are being rate limited.",
    retry_after: Math.max(0.001, Math.round(retryAfterMs) / 1000),
    global,
    code: 0,
  };
}

function retryAfterHeader(retryAfterMs: number): string {
  return String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
}

function requireString(value: unknown, name: string): string {
  if (typeof value !== "string" || value.length === 0) throw new ControlError(400, `${name} must be a non-empty string`);
  return value;
}

function parseBitsOrThrow(value: unknown, name: string): bigint {
  const bits = parsePermissionBits(value);
  if (bits === null) throw new ControlError(400, `${name} must be a decimal string of permission bits`);
  return bits;
}

function validateFault(request: FaultRequest): FaultRequest {
  switch (request.kind) {
    case "server_error":
      if (request.status !== undefined && (request.status < 500 || request.status > 599)) {
        throw new ControlError(400, "server_error status must be 5xx");
      }
      return request;
    case "rate_limit":
      if (!(typeof request.retryAfterSeconds === "number" && request.retryAfterSeconds >= 0)) {
        throw new ControlError(400, "rate_limit needs retryAfterSeconds >= 0");
      }
      return request;
    case "drop":
      return request;
    case "delay":
      if (!(typeof request.delayMs === "number" && request.delayMs >= 0)) {
        throw new ControlError(400, "delay needs delayMs >= 0");
      }
      return request;
    default:
      throw new ControlError(400, `unknown fault kind ${(request as { kind?: string }).kind}`);
  }
}

/**
 * Starts the fake on 127.0.0.1 and resolves once it listens. The spec is loaded once per server.
 */
export async function startFakeDiscord(options: StartFakeDiscordOptions = {}): Promise<FakeDiscordServer> {
  const validator = new SpecValidator(options.specPath);
  const world = new World();
  let baseUrl = "";

  function runtimeOf(guildId: string): GuildRuntime {
    const runtime = world.guilds.get(guildId);
    if (!runtime) throw new ControlError(404, `no fake guild ${guildId}`);
    return runtime;
  }

  function createGuild(request: CreateFakeGuildRequest = {}): FakeGuildInfo {
    const owner = world.createUser({ username: "guild-owner" });
    const bot = world.createUser({ username: "Sessions Hub Bot", bot: true });
    const guild = new FakeGuild({
      name: request.name ?? "Fake Guild",
      owner,
      bot,
      botPermissions:
        request.botPermissions !== undefined
          ? parseBitsOrThrow(request.botPermissions, "botPermissions")
          : DEFAULT_BOT_PERMISSIONS,
      everyonePermissions:
        request.everyonePermissions !== undefined
          ? parseBitsOrThrow(request.everyonePermissions, "everyonePermissions")
          : DEFAULT_EVERYONE_PERMISSIONS,
      limits: { ...DEFAULT_LIMITS, ...request.limits },
      rateLimits: { ...DEFAULT_RATE_LIMITS, ...request.rateLimits, perRoute: { ...request.rateLimits?.perRoute } },
      latencyMs: request.latencyMs ?? 0,
    });
    const botToken = `${Buffer.from(bot.id).toString("base64url")}.${randomBytes(4).toString("base64url")}.${randomBytes(20).toString("base64url")}`;
    const runtime: GuildRuntime = {
      guild,
      botToken,
      faults: [],
      buckets: new Map(),
      globalWindow: { count: 0, resetAt: 0 },
      log: [],
    };
    world.guilds.set(guild.id, runtime);
    world.guildsByToken.set(botToken, runtime);
    const members = (request.members ?? []).map((input) => {
      const user = world.createUser(input);
      guild.addMember(user, input.roleIds ?? []);
      return { userId: user.id, username: user.username };
    });
    const categoryIds = (request.categories ?? []).map(
      (name) => guild.insertChannel({ name, type: 4, parentId: null, overwrites: [] }).id,
    );
    return {
      guildId: guild.id,
      name: guild.name,
      ownerId: guild.ownerId,
      botUserId: guild.botUserId,
      botToken,
      botRoleId: guild.botRoleId,
      everyoneRoleId: guild.id,
      apiBase: `${baseUrl}/api`,
      categoryIds,
      members,
    };
  }

  function record(runtime: GuildRuntime, entry: FakeRequestLogEntry): void {
    runtime.log.push(entry);
    if (runtime.log.length > MAX_LOG_ENTRIES) runtime.log.splice(0, runtime.log.length - MAX_LOG_ENTRIES);
  }

  async function handleApi(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    const receivedAt = Date.now();
    const rawBody = await readBody(request);
    const method = request.method ?? "GET";
    const candidates = ROUTES.filter((r) => r.pattern.test(path));
    if (candidates.length === 0) {
      sendJson(response, 404, { message: "404: Not Found", code: 0 });
      return;
    }
    const apiRoute = candidates.find((r) => r.method === method);
    if (!apiRoute) {
      sendJson(response, 405, { message: "405: Method Not Allowed", code: 0 });
      return;
    }
    const authorization = request.headers.authorization ?? "";
    const runtime = authorization.startsWith("Bot ")
      ? world.guildsByToken.get(authorization.slice("Bot ".length))
      : undefined;
    if (!runtime) {
      sendJson(response, 401, { message: "401: Unauthorized", code: 0 });
      return;
    }
    const { guild } = runtime;
    const operationId = validator.operationId(method, apiRoute.template);
    const match = apiRoute.pattern.exec(path) ?? [];
    const params: Record<string, string> = {};
    apiRoute.paramNames.forEach((name, index) => (params[name] = decodeURIComponent(match[index + 1] ?? "")));
    const entry: FakeRequestLogEntry = {
      sequence: ++world.sequence,
      receivedAt,
      method,
      path,
      operationId,
      status: null,
      auditLogReason: null,
      body: null,
      validationErrors: null,
      errorCode: null,
      fault: null,
    };
    const rawReason = request.headers["x-audit-log-reason"];
    let reasonError: DiscordHttpError | null = null;
    if (typeof rawReason === "string") {
      try {
        entry.auditLogReason = decodeURIComponent(rawReason);
        if (entry.auditLogReason.length > MAX_AUDIT_LOG_REASON_LENGTH || entry.auditLogReason.length === 0) {
          reasonError = formError(
            "X-Audit-Log-Reason",
            "BASE_TYPE_BAD_LENGTH",
            `Must be between 1 and ${MAX_AUDIT_LOG_REASON_LENGTH} in length.`,
          );
        }
      } catch {
        entry.auditLogReason = rawReason;
        reasonError = formError("X-Audit-Log-Reason", "BASE_TYPE_INVALID", "Must be URL-encoded UTF-8.");
      }
    }
    let parsedBody: unknown = undefined;
    let bodyParseFailed = false;
    if (rawBody.length > 0) {
      try {
        parsedBody = JSON.parse(rawBody);
        entry.body = parsedBody;
      } catch {
        bodyParseFailed = true;
        entry.body = rawBody;
      }
    }
    record(runtime, entry);

    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      if (status >= 400 && typeof body === "object" && body !== null && "code" in body) {
        entry.errorCode = Number((body as { code: unknown }).code);
      }
      sendJson(response, status, body, headers);
    };

    await sleep(guild.latencyMs);

    const fault = runtime.faults.find((f) => f.remaining > 0 && faultMatches(f, apiRoute, operationId));
    if (fault) {
      fault.remaining -= 1;
      runtime.faults = runtime.faults.filter((f) => f.remaining > 0);
      entry.fault = fault.request.kind;
    }
    const faultRequest = fault?.request;
    if (faultRequest?.kind === "drop" && faultRequest.when !== "after") {
      request.socket.destroy();
      return;
    }
    if (faultRequest?.kind === "delay") await sleep(faultRequest.delayMs);
    if (faultRequest?.kind === "server_error") {
      const status = faultRequest.status ?? 500;
      reply(status, { message: `${status}: Internal Server Error`, code: 0 });
      return;
    }

    // Global limit of this bot.
    const now = Date.now();
    const rateLimits = guild.rateLimits;
    if (faultRequest?.kind === "rate_limit" && faultRequest.global) {
      const retryMs = faultRequest.retryAfterSeconds * 1000;
      reply(429, rateLimitedBody(retryMs, true), {
        "Retry-After": retryAfterHeader(retryMs),
        "X-RateLimit-Global": "true",
        "X-RateLimit-Scope": "global",
      });
      return;
    }
    if (rateLimits.globalPerSecond > 0) {
      const window = runtime.globalWindow;
      if (now >= window.resetAt) {
        window.count = 0;
        window.resetAt = now + 1000;
      }
      window.count += 1;
      if (window.count > rateLimits.globalPerSecond) {
        const retryMs = window.resetAt - now;
        reply(429, rateLimitedBody(retryMs, true), {
          "Retry-After": retryAfterHeader(retryMs),
          "X-RateLimit-Global": "true",
          "X-RateLimit-Scope": "global",
        });
        return;
      }
    }

    // Per-route bucket, keyed like Discord's: route + major parameter.
    const headers: Record<string, string> = {};
    const { limit, windowMs } = limitFor(runtime, apiRoute, operationId);
    if (limit > 0) {
      const key = `${method} ${apiRoute.template} ${params[apiRoute.majorParam] ?? ""}`;
      const bucket = runtime.buckets.get(key) ?? { count: 0, resetAt: 0 };
      runtime.buckets.set(key, bucket);
      if (now >= bucket.resetAt) {
        bucket.count = 0;
        bucket.resetAt = now + windowMs;
      }
      bucket.count += 1;
      const resetAfterMs = Math.max(0, bucket.resetAt - now);
      headers["X-RateLimit-Limit"] = String(limit);
      headers["X-RateLimit-Remaining"] = String(Math.max(0, limit - bucket.count));
      headers["X-RateLimit-Reset"] = (bucket.resetAt / 1000).toFixed(3);
      headers["X-RateLimit-Reset-After"] = (resetAfterMs / 1000).toFixed(3);
      headers["X-RateLimit-Bucket"] = bucketHash(method, apiRoute.template);
      if (bucket.count > limit) {
        reply(429, rateLimitedBody(resetAfterMs, false), {
          ...headers,
          "Retry-After": retryAfterHeader(resetAfterMs),
          "X-RateLimit-Scope": "user",
        });
        return;
      }
    }
    if (faultRequest?.kind === "rate_limit") {
      const retryMs = faultRequest.retryAfterSeconds * 1000;
      reply(429, rateLimitedBody(retryMs, false), {
        ...headers,
        "Retry-After": retryAfterHeader(retryMs),
        "X-RateLimit-Scope": "user",
      });
      return;
    }

    let result: RouteResult;
    try {
      for (const name of apiRoute.paramNames) {
        if (!isSnowflake(params[name])) {
          throw formError(name, "NUMBER_TYPE_COERCE", `Value "${params[name]}" is not snowflake.`);
        }
      }
      if (params.guild_id !== undefined && params.guild_id !== guild.id) {
        throw world.guilds.has(params.guild_id)
          ? new DiscordHttpError(403, RESTJSONErrorCodes.MissingAccess, "Missing Access")
          : new DiscordHttpError(404, RESTJSONErrorCodes.UnknownGuild, "Unknown Guild");
      }
      if (params.channel_id !== undefined && !guild.hasChannel(params.channel_id)) {
        throw world.guildOwningChannel(params.channel_id)
          ? new DiscordHttpError(403, RESTJSONErrorCodes.MissingAccess, "Missing Access")
          : new DiscordHttpError(404, RESTJSONErrorCodes.UnknownChannel, "Unknown Channel");
      }
      if (reasonError) throw reasonError;
      const hasBodySchema = validator.hasRequestBody(method, apiRoute.template);
      if (hasBodySchema) {
        if (bodyParseFailed) {
          throw new DiscordHttpError(
            400,
            RESTJSONErrorCodes.RequestBodyContainsInvalidJSON,
            "The request body contains invalid JSON.",
          );
        }
        const validation = validator.validate(method, apiRoute.template, parsedBody ?? {});
        if (!validation.valid) {
          entry.validationErrors = validation.messages;
          throw new DiscordHttpError(
            400,
            RESTJSONErrorCodes.InvalidFormBodyOrContentType,
            "Invalid Form Body",
            validation.errors,
          );
        }
      }
      const body =
        typeof parsedBody === "object" && parsedBody !== null && !Array.isArray(parsedBody)
          ? (parsedBody as Record<string, unknown>)
          : {};
      result = apiRoute.handle({ guild, params, body, now, world });
    } catch (error) {
      if (error instanceof RoleCreationCapError) {
        reply(429, rateLimitedBody(error.retryAfterMs, false), {
          ...headers,
          "X-RateLimit-Remaining": "0",
          "X-RateLimit-Reset-After": (error.retryAfterMs / 1000).toFixed(3),
          "X-RateLimit-Reset": ((now + error.retryAfterMs) / 1000).toFixed(3),
          "Retry-After": retryAfterHeader(error.retryAfterMs),
          "X-RateLimit-Scope": "user",
        });
        return;
      }
      if (error instanceof DiscordHttpError) {
        reply(error.status, error.body(), headers);
        return;
      }
      console.error("fake Discord: unexpected error", error);
      reply(500, { message: "500: Internal Server Error", code: 0 }, headers);
      return;
    }
    if (faultRequest?.kind === "drop") {
      entry.status = null;
      request.socket.destroy();
      return;
    }
    reply(result.status, result.body, headers);
  }

  /**
   * The OAuth2 side of account linking: `POST /api/oauth2/token` (authorization_code grant, form
   * encoded) and `GET /api/v10/users/@me` with `Authorization: Bearer <access token>`.
   */
  async function handleOAuth(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    const rawBody = await readBody(request);
    if (path === "/users/@me") {
      if (request.method !== "GET") return sendJson(response, 405, { message: "405: Method Not Allowed", code: 0 });
      const authorization = request.headers.authorization ?? "";
      const token = authorization.startsWith("Bearer ") ? authorization.slice("Bearer ".length) : null;
      const user = token ? [...world.users.values()].find((u) => u.accessToken === token) : undefined;
      if (!user) return sendJson(response, 401, { message: "401: Unauthorized", code: 0 });
      return sendJson(response, 200, {
        id: user.id,
        username: user.username,
        discriminator: "0",
        global_name: null,
        avatar: null,
      });
    }
    if (request.method !== "POST") return sendJson(response, 405, { message: "405: Method Not Allowed", code: 0 });
    const form = new URLSearchParams(rawBody);
    if (!form.get("client_id") || !form.get("client_secret")) {
      return sendJson(response, 401, { error: "invalid_client" });
    }
    if (form.get("grant_type") !== "authorization_code") {
      return sendJson(response, 400, { error: "unsupported_grant_type" });
    }
    if (!form.get("redirect_uri")) {
      return sendJson(response, 400, { error: "invalid_request", error_description: 'Missing "redirect_uri" in request.' });
    }
    const code = form.get("code") ?? "";
    const user = [...world.users.values()].find((u) => u.authorizationCodes.has(code));
    if (!user || user.accessToken === null) {
      return sendJson(response, 400, { error: "invalid_grant", error_description: 'Invalid "code" in request.' });
    }
    user.authorizationCodes.delete(code);
    return sendJson(response, 200, {
      access_token: user.accessToken,
      token_type: "Bearer",
      expires_in: 604800,
      refresh_token: randomBytes(18).toString("base64url"),
      scope: "identify guilds.join",
    });
  }

  function handleControl(method: string, segments: string[], url: URL, body: unknown): { status: number; body?: unknown } {
    const input = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
    const [first, guildId, sub, subId, subSub] = segments;
    if (first === "health" && method === "GET") return { status: 200, body: { ok: true } };
    if (first === "users" && method === "POST" && segments.length === 1) {
      const user = world.createUser({
        userId: input.userId as string | undefined,
        username: input.username as string | undefined,
      });
      const info: FakeUserInfo = {
        userId: user.id,
        username: user.username,
        accessToken: user.accessToken ?? "",
        authorizationCode: world.issueAuthorizationCode(user),
      };
      return { status: 201, body: info };
    }
    if (first === "users" && method === "POST" && segments[2] === "authorization-codes" && segments.length === 3) {
      const user = world.users.get(segments[1]);
      if (!user) throw new ControlError(404, `no user ${segments[1]}`);
      return { status: 201, body: { code: world.issueAuthorizationCode(user) } };
    }
    if (first !== "guilds") throw new ControlError(404, `unknown control route ${segments.join("/")}`);
    if (guildId === undefined) {
      if (method !== "POST") throw new ControlError(405, "use POST /__control/guilds");
      return { status: 201, body: createGuild(input as CreateFakeGuildRequest) };
    }
    const runtime = runtimeOf(guildId);
    const { guild } = runtime;
    const route = `${method} ${[sub, subId && "*", subSub].filter(Boolean).join("/")}`;
    switch (route) {
      case "GET state":
        return { status: 200, body: guild.state() };
      case "DELETE ": {
        world.guilds.delete(guildId);
        world.guildsByToken.delete(runtime.botToken);
        return { status: 204 };
      }
      case "PATCH ": {
        const update = input as UpdateFakeGuildRequest;
        if (update.botPermissions !== undefined) {
          guild.setBotPermissions(parseBitsOrThrow(update.botPermissions, "botPermissions"));
        }
        if (update.everyonePermissions !== undefined) {
          guild.setEveryonePermissions(parseBitsOrThrow(update.everyonePermissions, "everyonePermissions"));
        }
        if (update.limits) guild.limits = { ...guild.limits, ...update.limits };
        if (update.rateLimits) {
          guild.rateLimits = {
            ...guild.rateLimits,
            ...update.rateLimits,
            perRoute: { ...guild.rateLimits.perRoute, ...update.rateLimits.perRoute },
          };
          runtime.buckets.clear();
        }
        if (update.latencyMs !== undefined) guild.latencyMs = update.latencyMs;
        return { status: 200, body: guild.state() };
      }
      case "POST members": {
        const user = world.createUser(input);
        try {
          guild.addMember(user, (input.roleIds as string[] | undefined) ?? []);
        } catch (error) {
          throw new ControlError(400, (error as Error).message);
        }
        return { status: 201, body: { userId: user.id, username: user.username } };
      }
      case "DELETE members/*": {
        if (!guild.removeMember(subId)) throw new ControlError(404, `${subId} is not a member`);
        return { status: 204 };
      }
      case "POST roles": {
        const roleRequest = input as unknown as CreateFakeRoleRequest;
        const name = requireString(roleRequest.name, "name");
        const count = roleRequest.count ?? 1;
        const roles = Array.from({ length: count }, (_unused, index) =>
          guild.roleJson(
            guild.insertRole({
              name: count > 1 ? `${name}-${index + 1}` : name,
              permissions: parseBitsOrThrow(roleRequest.permissions ?? "0", "permissions"),
              position: roleRequest.position ?? 1,
            }),
          ),
        );
        return { status: 201, body: count === 1 ? roles[0] : roles };
      }
      case "DELETE roles/*":
        if (!guild.removeRole(subId)) throw new ControlError(404, `no role ${subId}`);
        return { status: 204 };
      case "POST channels": {
        const channelRequest = input as unknown as CreateFakeChannelRequest;
        const name = requireString(channelRequest.name, "name");
        const count = channelRequest.count ?? 1;
        const overwrites = (channelRequest.overwrites ?? []).map((o) => ({
          id: o.id,
          type: o.type === OVERWRITE_MEMBER ? OVERWRITE_MEMBER : OVERWRITE_ROLE,
          allow: parseBitsOrThrow(o.allow, "allow"),
          deny: parseBitsOrThrow(o.deny, "deny"),
        })) as Array<{ id: string; type: 0 | 1; allow: bigint; deny: bigint }>;
        const channels = Array.from({ length: count }, (_unused, index) =>
          guild.channelJson(
            guild.insertChannel({
              name: count > 1 ? `${name}-${index + 1}` : name,
              type: channelRequest.type ?? 0,
              parentId: channelRequest.parentId ?? null,
              overwrites: overwrites.map((o) => ({ ...o })),
            }),
          ),
        );
        return { status: 201, body: count === 1 ? channels[0] : channels };
      }
      case "DELETE channels/*":
        if (!guild.removeChannel(subId)) throw new ControlError(404, `no channel ${subId}`);
        return { status: 204 };
      case "GET channels/*/viewers":
        if (!guild.hasChannel(subId)) throw new ControlError(404, `no channel ${subId}`);
        return { status: 200, body: { viewers: guild.viewers(subId) } };
      case "POST faults": {
        const fault = validateFault(input as unknown as FaultRequest);
        const id = nextSnowflake();
        runtime.faults.push({ id, request: fault, remaining: fault.count ?? 1 });
        return { status: 201, body: { faultId: id } };
      }
      case "DELETE faults":
        runtime.faults = [];
        return { status: 204 };
      case "GET permissions":
      case "GET can-view": {
        const channelId = requireString(url.searchParams.get("channel"), "channel");
        const userId = requireString(url.searchParams.get("user"), "user");
        if (!guild.hasChannel(channelId)) throw new ControlError(404, `no channel ${channelId}`);
        const permissions = guild.effectivePermissions(channelId, userId);
        return {
          status: 200,
          body: { permissions: permissions.toString(), canView: guild.canView(channelId, userId) },
        };
      }
      case "GET requests": {
        const since = Number(url.searchParams.get("since") ?? "0");
        return { status: 200, body: { requests: runtime.log.filter((e) => e.sequence > since) } };
      }
      default:
        throw new ControlError(404, `unknown control route ${method} ${segments.join("/")}`);
    }
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const oauthPath =
      url.pathname === "/api/oauth2/token" || url.pathname === `${API_PREFIX}/oauth2/token`
        ? "/oauth2/token"
        : url.pathname === `${API_PREFIX}/users/@me`
          ? "/users/@me"
          : null;
    if (oauthPath) {
      handleOAuth(request, response, oauthPath).catch((error: unknown) => {
        console.error("fake Discord: OAuth2 request failed", error);
        if (!response.headersSent) sendJson(response, 500, { message: "500: Internal Server Error", code: 0 });
      });
      return;
    }
    if (url.pathname.startsWith(`${API_PREFIX}/`)) {
      handleApi(request, response, url.pathname.slice(API_PREFIX.length)).catch((error: unknown) => {
        console.error("fake Discord: request failed", error);
        if (!response.headersSent) sendJson(response, 500, { message: "500: Internal Server Error", code: 0 });
      });
      return;
    }
    if (url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
      readBody(request)
        .then((text) => {
          let body: unknown = undefined;
          if (text.length > 0) {
            try {
              body = JSON.parse(text);
            } catch {
              throw new ControlError(400, "control body must be JSON");
            }
          }
          const segments = url.pathname.slice(CONTROL_PREFIX.length + 1).split("/").filter(Boolean).map(decodeURIComponent);
          const result = handleControl(request.method ?? "GET", segments, url, body);
          sendJson(response, result.status, result.body);
        })
        .catch((error: unknown) => {
          const status = error instanceof ControlError ? error.status : 500;
          sendJson(response, status, { error: error instanceof Error ? error.message : String(error) });
        });
      return;
    }
    sendJson(response, 404, { message: "404: Not Found", code: 0 });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${address.port}`;

  return {
    url: baseUrl,
    apiBase: `${baseUrl}/api`,
    createGuild,
    guild: (guildId) => runtimeOf(guildId).guild,
    effectivePermissions: (guildId, channelId, userId) =>
      runtimeOf(guildId).guild.effectivePermissions(channelId, userId),
    canView: (channelId, userId) => {
      const runtime = world.guildOwningChannel(channelId);
      if (!runtime) throw new Error(`no fake guild holds channel ${channelId}`);
      return runtime.guild.canView(channelId, userId);
    },
    requests: (guildId) => [...runtimeOf(guildId).log],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
