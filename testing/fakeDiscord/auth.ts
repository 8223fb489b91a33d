/**
 * Who may call what: the bot token names the guild (each guild has its own bot), and ids of another
 * guild, or of a channel in another guild, are refused as Discord refuses them.
 */
import type { IncomingMessage } from "node:http";
import { RESTJSONErrorCodes } from "discord-api-types/v10";
import { DiscordHttpError } from "./guild";
import type { GuildRuntime, World } from "./world";

/** The guild whose bot sent `Authorization: Bot <token>`, or undefined (the request gets a 401). */
export function authenticateBot(world: World, request: IncomingMessage): GuildRuntime | undefined {
  const authorization = request.headers.authorization ?? "";
  return authorization.startsWith("Bot ") ? world.guildsByToken.get(authorization.slice("Bot ".length)) : undefined;
}

/**
 * Throws Discord's error when the request names a guild or channel the bot cannot reach: 403 50001
 * for one in another guild, 404 (10004 / 10003) for one that does not exist.
 */
export function requireAccess(world: World, runtime: GuildRuntime, params: Record<string, string>): void {
  const { guild } = runtime;
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
}
