/**
 * The control API under `/__control/...` (README.md): tests in any process create isolated guilds and
 * users, change permissions, limits, rate limits and latency, inject faults and read state, computed
 * permissions and the request log.
 */
import { randomBytes } from "node:crypto";
import type {
  CreateFakeChannelRequest,
  CreateFakeGuildRequest,
  CreateFakeRoleRequest,
  FakeGuildInfo,
  FakeUserInfo,
  FaultRequest,
  UpdateFakeGuildRequest,
} from "./controlTypes";
import { injectFault } from "./faults";
import { DEFAULT_LIMITS, DEFAULT_RATE_LIMITS, FakeGuild } from "./guild";
import { DEFAULT_BOT_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS, OVERWRITE_MEMBER, OVERWRITE_ROLE, parsePermissionBits } from "./permissions";
import { ControlError, type GuildRuntime, type World } from "./world";

function requireString(value: unknown, name: string): string {
  if (typeof value !== "string" || value.length === 0) throw new ControlError(400, `${name} must be a non-empty string`);
  return value;
}

function parseBitsOrThrow(value: unknown, name: string): bigint {
  const bits = parsePermissionBits(value);
  if (bits === null) throw new ControlError(400, `${name} must be a decimal string of permission bits`);
  return bits;
}

/** Creates an isolated guild: its owner, bot (with its own token), members and categories. */
export function createGuild(world: World, baseUrl: string, request: CreateFakeGuildRequest = {}): FakeGuildInfo {
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

/** Answers one control request (`segments`: the path below `/__control`). */
export function handleControl(
  world: World,
  baseUrl: string,
  method: string,
  segments: string[],
  url: URL,
  body: unknown,
): { status: number; body?: unknown } {
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
    return { status: 201, body: createGuild(world, baseUrl, input as CreateFakeGuildRequest) };
  }
  const runtime = world.runtimeOf(guildId);
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
    case "POST faults":
      return { status: 201, body: { faultId: injectFault(runtime, input as unknown as FaultRequest) } };
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
