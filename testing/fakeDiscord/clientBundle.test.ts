/**
 * The Discord client (convex/model/discord/client.ts) must run in Convex's default runtime, which is
 * V8 without Node built-ins. This bundles it the way the Convex CLI does (esbuild, platform
 * "browser", conditions "convex" + "module": that picks @discordjs/rest's web build) and then runs
 * the bundle in a bare V8 context that only has web globals, against the fake Discord server.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { build } from "esbuild";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startFakeDiscord, type FakeDiscordServer } from "./server";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const clientEntry = path.join(repoRoot, "convex", "model", "discord", "client.ts");

let server: FakeDiscordServer;
beforeAll(async () => {
  server = await startFakeDiscord();
});
afterAll(async () => {
  await server.close();
});

async function bundle(format: "esm" | "iife") {
  const result = await build({
    entryPoints: [clientEntry],
    bundle: true,
    write: false,
    platform: "browser",
    format,
    globalName: format === "iife" ? "discordClientModule" : undefined,
    conditions: ["convex", "module"],
    metafile: true,
    logLevel: "silent",
  });
  return { code: result.outputFiles[0].text, inputs: Object.keys(result.metafile.inputs) };
}

test("bundles for Convex's default runtime with @discordjs/rest's web build and no Node modules", async () => {
  const { inputs } = await bundle("esm");
  expect(inputs.some((input) => input.includes("@discordjs/rest/dist/web.mjs"))).toBe(true);
  expect(inputs.filter((input) => input.includes("node_modules/undici/"))).toEqual([]);
});

test("the bundle works in a V8 context that has only web globals", async () => {
  const { code } = await bundle("iife");
  const info = server.createGuild();
  const context = vm.createContext({
    fetch,
    Headers,
    Request,
    Response,
    FormData,
    Blob,
    URL,
    URLSearchParams,
    AbortController,
    AbortSignal,
    TextEncoder,
    TextDecoder,
    setTimeout,
    clearTimeout,
    queueMicrotask,
    structuredClone,
    console,
    env: {
      DISCORD_BOT_TOKEN: info.botToken,
      DISCORD_GUILD_ID: info.guildId,
      DISCORD_BOT_USER_ID: info.botUserId,
      DISCORD_API_BASE: info.apiBase,
    },
  });
  vm.runInContext(code, context);
  const roleName = (await vm.runInContext(
    `(async () => {
      const { DiscordClient, discordConfigFromEnv } = discordClientModule;
      const client = new DiscordClient(discordConfigFromEnv(env));
      const role = await client.createSessionRole("Session v8only01", "bundle test");
      return role.name;
    })()`,
    context,
  )) as string;
  expect(roleName).toBe("Session v8only01");
  expect(vm.runInContext("typeof process", context)).toBe("undefined");
  expect(server.requests(info.guildId).map((entry) => entry.auditLogReason)).toEqual(["bundle test"]);
});
