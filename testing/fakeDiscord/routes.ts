/** The Discord routes the fake implements (the coaching feature's, see README.md, plus three read routes). */
import { RESTJSONErrorCodes } from "discord-api-types/v10";
import { DiscordHttpError, type FakeGuild } from "./guild";
import type { World } from "./world";

export interface RouteContext {
  guild: FakeGuild;
  params: Record<string, string>;
  body: Record<string, unknown>;
  now: number;
  world: World;
}

export interface RouteResult {
  status: number;
  body?: unknown;
}

export interface ApiRoute {
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

/** The route matching `path` and `method`: the route, or the status when none does (404 unknown path, 405 method). */
export function matchRoute(method: string, path: string): { route: ApiRoute; params: Record<string, string> } | { status: 404 | 405 } {
  const candidates = ROUTES.filter((r) => r.pattern.test(path));
  if (candidates.length === 0) return { status: 404 };
  const apiRoute = candidates.find((r) => r.method === method);
  if (!apiRoute) return { status: 405 };
  const match = apiRoute.pattern.exec(path) ?? [];
  const params: Record<string, string> = {};
  apiRoute.paramNames.forEach((name, index) => (params[name] = decodeURIComponent(match[index + 1] ?? "")));
  return { route: apiRoute, params };
}
