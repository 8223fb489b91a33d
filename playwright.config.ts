import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

/**
 * The real-browser suite (`npm run test:e2e`): the journeys in `testing/e2e/*.spec.ts`, each at a
 * desktop and a phone size, against the app as `npm run dev` serves it. `testing/e2e/stack.mjs`
 * starts the Vite dev server and, unless `E2E_CONVEX_URL` names a real local deployment, the Convex
 * stand-in with fake Discord and Resend.
 *
 * Browser: `E2E_CHROMIUM_PATH`, else Debian's `/usr/bin/chromium` when present (machines where
 * Playwright's own download is not reachable), else the Chromium Playwright downloads
 * (`npx playwright install chromium`).
 */
const port = Number(process.env.E2E_PORT ?? 4317);
const executablePath =
  process.env.E2E_CHROMIUM_PATH || (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

export default defineConfig({
  testDir: "testing/e2e",
  testMatch: "*.spec.ts",
  outputDir: "test-results/e2e",
  fullyParallel: false,
  // Two cores shared with the app server and the stand-in: one browser at a time.
  workers: Number(process.env.E2E_WORKERS ?? 1),
  retries: 0,
  // A journey takes under 40 s on two busy cores; a stuck step fails within its own timeout below
  // instead of holding the run for minutes.
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${port}`,
    launchOptions: executablePath ? { executablePath } : {},
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    // Kept for a failed journey only; without the screencast (each visit saves a screenshot), which
    // costs a busy machine more than the DOM snapshots.
    trace: { mode: "retain-on-failure", screenshots: false },
    // The seeded demo data is relative to the real clock; one fixed zone keeps texts predictable.
    timezoneId: "Europe/Berlin",
    locale: "en-US",
  },
  projects: [
    { name: "desktop", use: { browserName: "chromium", viewport: { width: 1366, height: 900 } } },
    {
      name: "phone",
      use: { ...devices["Pixel 7"], browserName: "chromium", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
    },
  ],
  webServer: {
    command: "node testing/e2e/stack.mjs",
    url: `http://localhost:${port}/__dev-auth/personas`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
  },
});
