import type { AuthConfig } from "convex/server";
import { authProviders } from "./model/authProviders";

/**
 * Identity providers this deployment trusts: Clerk when `CLERK_JWT_ISSUER_DOMAIN` is set, and the
 * local demo sign-in only when `DEV_AUTH_JWKS` is set (see `convex/model/authProviders.ts`).
 */
export default {
  providers: authProviders(process.env),
} satisfies AuthConfig;
