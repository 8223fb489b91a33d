import { defineConfig } from "vitest/config";

/**
 * `npm run bench`: the benchmarks (documents read per query at growing data sizes, Discord round
 * trips and bursts against the fake). Not part of `npm test`; each benchmark prints a table.
 */
export default defineConfig({
  test: {
    name: "bench",
    environment: "edge-runtime",
    include: ["convex/**/*.bench.ts"],
    globalSetup: ["vitest.globalSetup.ts"],
    server: { deps: { inline: ["convex-test"] } },
    testTimeout: 20 * 60 * 1000,
    hookTimeout: 5 * 60 * 1000,
    fileParallelism: false,
  },
});
