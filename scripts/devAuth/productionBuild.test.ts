import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import react from "@vitejs/plugin-react";
import { build } from "vite";
import { afterAll, describe, expect, test } from "vitest";
import { findDevAuthMarkers } from "../checkProductionBuild.mjs";

const root = path.resolve(import.meta.dirname, "../..");
const outDirs: string[] = [];

/**
 * Bundles the client's sign-in entry (`src/auth/index.ts`) the way `vite build` does. Vite derives
 * `import.meta.env.DEV` from NODE_ENV (which vitest sets to "test"), so it is set for the build as
 * the `vite build` command would.
 */
async function buildAuthEntry(mode: "production" | "development"): Promise<string> {
  const outDir = mkdtempSync(path.join(tmpdir(), `auth-build-${mode}-`));
  outDirs.push(outDir);
  const savedNodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = mode;
  try {
    await runBuild(mode, outDir);
  } finally {
    process.env.NODE_ENV = savedNodeEnv;
  }
  return outDir;
}

async function runBuild(mode: "production" | "development", outDir: string) {
  await build({
    configFile: false,
    root,
    mode,
    logLevel: "silent",
    plugins: [react()],
    define: { "import.meta.env.VITE_CLERK_PUBLISHABLE_KEY": "undefined" },
    build: {
      outDir,
      emptyOutDir: true,
      minify: mode === "production",
      rolldownOptions: { input: path.join(root, "src/auth/index.ts"), preserveEntrySignatures: "exports-only" },
    },
  });
}

afterAll(() => {
  for (const outDir of outDirs) rmSync(outDir, { recursive: true, force: true });
});

describe("the demo sign-in stays out of production bundles", () => {
  test("a production build of the sign-in code has none of the dev-auth markers", async () => {
    expect(findDevAuthMarkers(await buildAuthEntry("production"))).toEqual([]);
  }, 60_000);

  test("a development build does contain them (so the check above can fail)", async () => {
    const markers = findDevAuthMarkers(await buildAuthEntry("development")).map((finding) => finding.marker);
    expect(markers).toEqual(expect.arrayContaining(["/__dev-auth/", "Local demo sign-in"]));
  }, 60_000);
});

describe("the real-browser suite's Convex stand-in stays out of production bundles", () => {
  test("the check recognises the stand-in's code (so a bundle that pulled it in fails the build)", () => {
    const outDir = mkdtempSync(path.join(tmpdir(), "stand-in-copy-"));
    outDirs.push(outDir);
    copyFileSync(path.join(root, "testing/convexStandIn/server.ts"), path.join(outDir, "index-abc123.js"));
    const markers = findDevAuthMarkers(outDir).map((finding) => finding.marker);
    expect(markers).toEqual(expect.arrayContaining(["[convex stand-in]", "allowsLongDelays"]));
  });
});
