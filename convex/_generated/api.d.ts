/* eslint-disable */
/**
 * Generated `api` utility.
 *
 * THIS CODE IS AUTOMATICALLY GENERATED.
 *
 * To regenerate, run `npx convex dev`.
 * @module
 */

import type {
  ApiFromModules,
  FilterApi,
  FunctionReference,
} from "convex/server";
import type * as catalog from "../catalog.js";
import type * as enrollments from "../enrollments.js";
import type * as http from "../http.js";
import type * as model_access from "../model/access.js";
import type * as model_catalog from "../model/catalog.js";
import type * as model_clerkWebhook from "../model/clerkWebhook.js";
import type * as model_enrollments from "../model/enrollments.js";
import type * as model_errors from "../model/errors.js";
import type * as model_functions from "../model/functions.js";
import type * as model_personas from "../model/personas.js";
import type * as model_roles from "../model/roles.js";
import type * as model_seed_catalog from "../model/seed/catalog.js";
import type * as model_users from "../model/users.js";
import type * as model_validation from "../model/validation.js";
import type * as seed from "../seed.js";
import type * as tables_catalog from "../tables/catalog.js";
import type * as tables_users from "../tables/users.js";
import type * as users from "../users.js";

/**
 * A utility for referencing Convex functions in your app's API.
 *
 * Usage:
 * ```js
 * const myFunctionReference = api.myModule.myFunction;
 * ```
 */
declare const fullApi: ApiFromModules<{
  catalog: typeof catalog;
  enrollments: typeof enrollments;
  http: typeof http;
  "model/access": typeof model_access;
  "model/catalog": typeof model_catalog;
  "model/clerkWebhook": typeof model_clerkWebhook;
  "model/enrollments": typeof model_enrollments;
  "model/errors": typeof model_errors;
  "model/functions": typeof model_functions;
  "model/personas": typeof model_personas;
  "model/roles": typeof model_roles;
  "model/seed/catalog": typeof model_seed_catalog;
  "model/users": typeof model_users;
  "model/validation": typeof model_validation;
  seed: typeof seed;
  "tables/catalog": typeof tables_catalog;
  "tables/users": typeof tables_users;
  users: typeof users;
}>;
export declare const api: FilterApi<
  typeof fullApi,
  FunctionReference<any, "public">
>;
export declare const internal: FilterApi<
  typeof fullApi,
  FunctionReference<any, "internal">
>;

export declare const components: {
  rateLimiter: import("@convex-dev/rate-limiter/_generated/component.js").ComponentApi<"rateLimiter">;
};
