import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

/**
 * Three test projects: Convex functions run in the edge runtime (as on Convex), React components in
 * jsdom, and the Node-side tooling (dev-auth setup, codegen, our ESLint rules) in Node.
 */
export default defineConfig({
  plugins: [react()],
  test: {
    globalSetup: ["vitest.globalSetup.ts"],
    // Every test starts from the real environment: a `vi.stubEnv` in one test never leaks into the next.
    unstubEnvs: true,
    projects: [
      {
        extends: true,
        test: {
          name: "convex",
          environment: "edge-runtime",
          include: ["convex/**/*.test.ts"],
          setupFiles: ["convex/test.setup.ts"],
          server: { deps: { inline: ["convex-test"] } },
          // Seeded worlds and scheduled-function runs take a few seconds on a loaded 2-core machine.
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: "client",
          environment: "jsdom",
          include: ["src/**/*.test.{ts,tsx}"],
          setupFiles: ["src/test/setup.ts"],
          server: { deps: { inline: ["convex-test"] } },
          // Page tests run the real backend through convex-test and Mantine in jsdom: a few seconds
          // each, more while every project runs at once on a 2-core CI machine.
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: "tooling",
          environment: "node",
          include: ["scripts/**/*.test.ts", "testing/**/*.test.ts", "eslint/**/*.test.ts"],
        },
      },
    ],
  },
});
