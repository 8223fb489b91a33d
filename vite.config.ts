import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { devAuthPlugin } from "./scripts/devAuth/vitePlugin.ts";

/**
 * React + the dev-server-only demo sign-in middleware (`/__dev-auth/*`, `apply: "serve"`: absent
 * from `vite build`). Env files: `.env.local` holds VITE_CONVEX_URL (written by the Convex CLI),
 * optionally VITE_CLERK_PUBLISHABLE_KEY, and DEV_AUTH_PRIVATE_KEY (read only by the middleware;
 * not exposed to the client because it lacks the VITE_ prefix).
 */
export default defineConfig({
  plugins: [react(), devAuthPlugin()],
});
