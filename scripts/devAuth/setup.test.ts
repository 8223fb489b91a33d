import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseEnv } from "node:util";
import { loadEnv } from "vite";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { upsertEnvFileValue } from "./envFile.mjs";
import { generatePrivateKeyPem, publicJwksFromPrivateKey } from "./keys.mjs";
import { checkDeploymentIsLocal, DevAuthSetupError, runDevAuthSetup } from "./setup.mjs";

/** A new empty folder for each test of the enclosing `describe`, removed after it; call the result for its path. */
function temporaryFolderPerTest(prefix: string): () => string {
  let folder = "";
  beforeEach(() => {
    folder = mkdtempSync(path.join(tmpdir(), prefix));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));
  return () => folder;
}

const LOCAL = { CONVEX_DEPLOYMENT: "local:local-team-sessions_hub", VITE_CONVEX_URL: "http://127.0.0.1:3210" };

describe("checkDeploymentIsLocal", () => {
  test("local and anonymous deployments on this machine are accepted", () => {
    expect(checkDeploymentIsLocal(LOCAL)).toEqual({ ok: true, deployment: LOCAL.CONVEX_DEPLOYMENT });
    expect(
      checkDeploymentIsLocal({ CONVEX_DEPLOYMENT: "anonymous:anonymous-main", CONVEX_URL: "http://localhost:3210" }).ok,
    ).toBe(true);
  });

  test("cloud dev and prod deployments are refused", () => {
    for (const deployment of ["dev:happy-animal-123", "prod:happy-animal-123", "happy-animal-123"]) {
      const result = checkDeploymentIsLocal({ CONVEX_DEPLOYMENT: deployment, VITE_CONVEX_URL: "http://127.0.0.1:3210" });
      expect(result).toEqual({ ok: false, reason: expect.stringContaining(deployment) });
    }
  });

  test("a local-looking deployment name with a cloud URL is refused", () => {
    const result = checkDeploymentIsLocal({ ...LOCAL, VITE_CONVEX_URL: "https://happy-animal-123.convex.cloud" });
    expect(result).toEqual({ ok: false, reason: expect.stringContaining("convex.cloud") });
    expect(checkDeploymentIsLocal({ ...LOCAL, CONVEX_URL: "https://127.0.0.1.example.com" }).ok).toBe(false);
  });

  test("no deployment, no URL, a deploy key or a self-hosted URL are refused", () => {
    expect(checkDeploymentIsLocal({ VITE_CONVEX_URL: "http://127.0.0.1:3210" }).ok).toBe(false);
    expect(checkDeploymentIsLocal({ CONVEX_DEPLOYMENT: LOCAL.CONVEX_DEPLOYMENT }).ok).toBe(false);
    expect(checkDeploymentIsLocal({ ...LOCAL, CONVEX_DEPLOY_KEY: "prod:abc|secret" }).ok).toBe(false);
    expect(checkDeploymentIsLocal({ ...LOCAL, CONVEX_SELF_HOSTED_URL: "https://convex.example.com" }).ok).toBe(false);
  });
});

describe("runDevAuthSetup refusals (nothing written, nothing sent)", () => {
  const root = temporaryFolderPerTest("dev-auth-setup-");

  test("refuses a cloud deployment and leaves .env.local untouched", async () => {
    const envLocal = "CONVEX_DEPLOYMENT=dev:happy-animal-123 # team: t, project: p\nVITE_CONVEX_URL=https://happy-animal-123.convex.cloud\n";
    writeFileSync(path.join(root(), ".env.local"), envLocal);
    await expect(runDevAuthSetup({ root: root(), log: () => {} })).rejects.toThrow(DevAuthSetupError);
    await expect(runDevAuthSetup({ root: root(), log: () => {} })).rejects.toThrow(/dev:happy-animal-123.*not a local deployment/);
    expect(readFileSync(path.join(root(), ".env.local"), "utf8")).toBe(envLocal);
  });

  test("refuses when Clerk is configured, even on a local deployment", async () => {
    const envLocal = `CONVEX_DEPLOYMENT=${LOCAL.CONVEX_DEPLOYMENT}\nVITE_CONVEX_URL=${LOCAL.VITE_CONVEX_URL}\nVITE_CLERK_PUBLISHABLE_KEY=pk_test_abc\n`;
    writeFileSync(path.join(root(), ".env.local"), envLocal);
    await expect(runDevAuthSetup({ root: root(), log: () => {} })).rejects.toThrow(/VITE_CLERK_PUBLISHABLE_KEY/);
    expect(readFileSync(path.join(root(), ".env.local"), "utf8")).toBe(envLocal);
  });
});

describe("storing the private key in .env.local", () => {
  const root = temporaryFolderPerTest("dev-auth-env-");

  test("keeps what the Convex CLI wrote and reads back as the same key in Vite and Node", async () => {
    const file = path.join(root(), ".env.local");
    const cliLines = "# Deployment used by `npx convex dev`\nCONVEX_DEPLOYMENT=anonymous:anonymous-main # team: anonymous\n\nVITE_CONVEX_URL=http://127.0.0.1:3210\n";
    writeFileSync(file, cliLines);
    const pem = await generatePrivateKeyPem();
    upsertEnvFileValue(file, "DEV_AUTH_PRIVATE_KEY", pem, "local only");
    const written = readFileSync(file, "utf8");
    expect(written.startsWith(cliLines)).toBe(true);
    expect(loadEnv("development", root(), "DEV_AUTH_").DEV_AUTH_PRIVATE_KEY).toBe(pem);
    expect(parseEnv(written).DEV_AUTH_PRIVATE_KEY).toBe(pem);

    const replacement = await generatePrivateKeyPem();
    upsertEnvFileValue(file, "DEV_AUTH_PRIVATE_KEY", replacement);
    expect(readFileSync(file, "utf8").match(/DEV_AUTH_PRIVATE_KEY=/g)).toHaveLength(1);
    expect(await publicJwksFromPrivateKey(loadEnv("development", root(), "DEV_AUTH_").DEV_AUTH_PRIVATE_KEY)).toEqual(
      await publicJwksFromPrivateKey(replacement),
    );
  });
});
