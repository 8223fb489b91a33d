import { ConvexClient } from "convex/browser";
import type { FunctionReference, FunctionReturnType } from "convex/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import WebSocket from "ws";
import { api, internal } from "../../convex/_generated/api";
import { PERSONAS } from "../../convex/model/users/personas";
import { generatePrivateKeyPem, publicJwksFromPrivateKey } from "../../scripts/devAuth/keys.mjs";
import { mintPersonaToken } from "../../scripts/devAuth/tokens";
import { startConvexStandIn, type ConvexStandIn } from "./server";

/**
 * The stand-in as the real `convex` client sees it: sign-in with demo tokens, live queries,
 * mutations, errors with ConvexError data, storage. The browser journeys use the same client code.
 */

let standIn: ConvexStandIn;
let privateKey: string;
const clients: ConvexClient[] = [];

beforeAll(async () => {
  privateKey = await generatePrivateKeyPem();
  standIn = await startConvexStandIn({ jwks: await publicJwksFromPrivateKey(privateKey) });
  await standIn.backend.mutation(internal.seed.init, {});
}, 60_000);

afterAll(async () => {
  for (const client of clients) await client.close();
  await standIn.close();
});

/** A client signed in as the persona with `subject` (tokens signed with `key`, default the trusted one). */
function clientAs(subject: string, key: string = privateKey, onAuthChange: (signedIn: boolean) => void = () => {}) {
  const client = new ConvexClient(standIn.url, { webSocketConstructor: WebSocket as unknown as typeof globalThis.WebSocket, logger: false });
  clients.push(client);
  const persona = PERSONAS.find((candidate) => candidate.subject === subject)!;
  client.setAuth(async () => (await mintPersonaToken(key, persona)).token, onAuthChange);
  return client;
}

/** The first value of `client`'s subscription to `query` that satisfies `accept`. */
function nextValue<Query extends FunctionReference<"query">>(
  client: ConvexClient,
  query: Query,
  accept: (value: FunctionReturnType<Query>) => boolean,
): Promise<FunctionReturnType<Query>> {
  return new Promise((resolve) => {
    const unsubscribe = client.onUpdate(query, {} as Query["_args"], (value) => {
      if (accept(value)) {
        unsubscribe();
        resolve(value);
      }
    });
  });
}

describe("Convex stand-in", () => {
  test("a persona signed in with a demo token is who the functions see", async () => {
    const leo = clientAs("persona-lecturer");
    const me = await nextValue(leo, api.users.me, (value) => value !== null);
    expect(me?.name).toBe("Leo Lecturer");
  });

  test("a token signed with another key is refused", async () => {
    const otherKey = await generatePrivateKeyPem();
    const signedIn = await new Promise<boolean>((resolve) => clientAs("persona-lecturer", otherKey, resolve));
    expect(signedIn).toBe(false);
  }, 30_000);

  test("a mutation of one client updates another client's live query", async () => {
    const leo = clientAs("persona-lecturer");
    const watcher = clientAs("persona-lecturer");
    const before = await nextValue(watcher, api.codedSessions.listMine, () => true);
    const arrived = nextValue(watcher, api.codedSessions.listMine, (sessions) => sessions.length === before.length + 1);
    await leo.mutation(api.codedSessions.create, { title: "Stand-in check", description: "" });
    expect((await arrived).some((session) => session.title === "Stand-in check")).toBe(true);
  });

  test("a ConvexError reaches the caller with its data", async () => {
    const ben = clientAs("persona-student-ben");
    await nextValue(ben, api.users.me, (value) => value !== null);
    const failure = await ben.mutation(api.codedSessions.create, { title: "Not mine to make", description: "" }).catch((error: unknown) => error);
    expect((failure as { data?: { code?: string } }).data?.code).toBe("FORBIDDEN");
  });

  test("internal functions cannot be called by clients", async () => {
    const admin = clientAs("persona-admin");
    await expect(admin.mutation("seed:init" as unknown as typeof api.users.store, {})).rejects.toThrow(/Could not find public function/);
  });

  test("an upload is stored with its content type and served back, also by byte range", async () => {
    const admin = clientAs("persona-admin");
    const uploadUrl = await admin.mutation(api.expertSessions.generateUploadUrl, {});
    expect(uploadUrl.startsWith(`${standIn.url}/api/storage/upload`)).toBe(true);
    const upload = await fetch(uploadUrl, { method: "POST", headers: { "content-type": "text/vtt" }, body: "WEBVTT\n\nhello" });
    const { storageId } = (await upload.json()) as { storageId: string };
    const url = await standIn.backend.run(async (ctx) => await ctx.storage.getUrl(storageId));
    const served = await fetch(url!.replace("https://some-deployment.convex.cloud", standIn.url));
    expect(served.headers.get("content-type")).toBe("text/vtt");
    expect(await served.text()).toBe("WEBVTT\n\nhello");
    const range = await fetch(url!.replace("https://some-deployment.convex.cloud", standIn.url), { headers: { range: "bytes=0-5" } });
    expect(range.status).toBe(206);
    expect(await range.text()).toBe("WEBVTT");
  });
});
