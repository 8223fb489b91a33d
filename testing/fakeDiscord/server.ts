/**
 * A fake Discord REST server for tests: a real HTTP server (node:http) on 127.0.0.1 that dispatches to
 * the Discord API (`api.ts`), OAuth2 (`oauth.ts`) and the control API (`control.ts`); README.md
 * beside this file lists the files by concern. Each guild has its own bot and token, so its rate
 * limits, faults and request log belong to one test. Node-only; start it with {@link startFakeDiscord}.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { handleApi } from "./api";
import type { CreateFakeGuildRequest, FakeGuildInfo, FakeRequestLogEntry } from "./controlTypes";
import { createGuild, handleControl } from "./control";
import type { FakeGuild } from "./guild";
import { readBody, sendJson } from "./http";
import { handleOAuth } from "./oauth";
import { SpecValidator } from "./specValidator";
import { ControlError, World } from "./world";

export { MAX_AUDIT_LOG_REASON_LENGTH } from "./requestValidation";

const API_PREFIX = "/api/v10";
const CONTROL_PREFIX = "/__control";

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

/**
 * Starts the fake on 127.0.0.1 and resolves once it listens. The spec is loaded once per server.
 */
export async function startFakeDiscord(options: StartFakeDiscordOptions = {}): Promise<FakeDiscordServer> {
  const validator = new SpecValidator(options.specPath);
  const world = new World();
  let baseUrl = "";

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const oauthPath =
      url.pathname === "/api/oauth2/token" || url.pathname === `${API_PREFIX}/oauth2/token`
        ? "/oauth2/token"
        : url.pathname === `${API_PREFIX}/users/@me`
          ? "/users/@me"
          : null;
    if (oauthPath) {
      handleOAuth(world, request, response, oauthPath).catch((error: unknown) => {
        console.error("fake Discord: OAuth2 request failed", error);
        if (!response.headersSent) sendJson(response, 500, { message: "500: Internal Server Error", code: 0 });
      });
      return;
    }
    if (url.pathname.startsWith(`${API_PREFIX}/`)) {
      handleApi(world, validator, request, response, url.pathname.slice(API_PREFIX.length)).catch((error: unknown) => {
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
          const result = handleControl(world, baseUrl, request.method ?? "GET", segments, url, body);
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
    createGuild: (request) => createGuild(world, baseUrl, request),
    guild: (guildId) => world.runtimeOf(guildId).guild,
    effectivePermissions: (guildId, channelId, userId) =>
      world.runtimeOf(guildId).guild.effectivePermissions(channelId, userId),
    canView: (channelId, userId) => {
      const runtime = world.guildOwningChannel(channelId);
      if (!runtime) throw new Error(`no fake guild holds channel ${channelId}`);
      return runtime.guild.canView(channelId, userId);
    },
    requests: (guildId) => [...world.runtimeOf(guildId).log],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
