/**
 * Vite dev-server plugin for the zero-account local sign-in (`apply: "serve"`: never part of
 * `vite build`). Serves `/__dev-auth/personas` and `/__dev-auth/token` (see `middleware.ts`) with
 * the private key `DEV_AUTH_PRIVATE_KEY` from `.env.local`.
 *
 * The plugin does nothing when `VITE_CLERK_PUBLISHABLE_KEY` is set (Clerk mode has no personas).
 */
import { loadEnv, type Plugin } from "vite";
import { createDevAuthMiddleware } from "./middleware.ts";

/**
 * The Vite plugin: installs the middleware on the dev server unless Clerk is configured.
 * The private key is read from the env files (`.env.local` etc., via Vite's `loadEnv`) on every
 * request, so a key written by the setup step is picked up without restarting Vite.
 */
export function devAuthPlugin(): Plugin {
  return {
    name: "sessions-hub-dev-auth",
    apply: "serve",
    configureServer(server) {
      if (server.config.env.VITE_CLERK_PUBLISHABLE_KEY) return;
      const envDir = typeof server.config.envDir === "string" ? server.config.envDir : server.config.root;
      server.middlewares.use(
        createDevAuthMiddleware({
          readPrivateKey: () => loadEnv(server.config.mode, envDir, "DEV_AUTH_").DEV_AUTH_PRIVATE_KEY || undefined,
        }),
      );
    },
  };
}
