/**
 * The OAuth2 side of account linking: `POST /api/oauth2/token` (authorization_code grant, form
 * encoded; single-use codes from the control API) and `GET /api/v10/users/@me` with
 * `Authorization: Bearer <access token>`.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody, sendJson } from "./http";
import type { World } from "./world";

/** Answers `/oauth2/token` or `/users/@me` (`path`). */
export async function handleOAuth(world: World, request: IncomingMessage, response: ServerResponse, path: "/oauth2/token" | "/users/@me"): Promise<void> {
  const rawBody = await readBody(request);
  if (path === "/users/@me") {
    if (request.method !== "GET") return sendJson(response, 405, { message: "405: Method Not Allowed", code: 0 });
    const authorization = request.headers.authorization ?? "";
    const token = authorization.startsWith("Bearer ") ? authorization.slice("Bearer ".length) : null;
    const user = token ? [...world.users.values()].find((u) => u.accessToken === token) : undefined;
    if (!user) return sendJson(response, 401, { message: "401: Unauthorized", code: 0 });
    return sendJson(response, 200, {
      id: user.id,
      username: user.username,
      discriminator: "0",
      global_name: null,
      avatar: null,
    });
  }
  if (request.method !== "POST") return sendJson(response, 405, { message: "405: Method Not Allowed", code: 0 });
  const form = new URLSearchParams(rawBody);
  if (!form.get("client_id") || !form.get("client_secret")) {
    return sendJson(response, 401, { error: "invalid_client" });
  }
  if (form.get("grant_type") !== "authorization_code") {
    return sendJson(response, 400, { error: "unsupported_grant_type" });
  }
  if (!form.get("redirect_uri")) {
    return sendJson(response, 400, { error: "invalid_request", error_description: 'Missing "redirect_uri" in request.' });
  }
  const code = form.get("code") ?? "";
  const user = [...world.users.values()].find((u) => u.authorizationCodes.has(code));
  if (!user || user.accessToken === null) {
    return sendJson(response, 400, { error: "invalid_grant", error_description: 'Invalid "code" in request.' });
  }
  user.authorizationCodes.delete(code);
  return sendJson(response, 200, {
    access_token: user.accessToken,
    token_type: "Bearer",
    expires_in: 604800,
    refresh_token: randomBytes(18).toString("base64url"),
    scope: "identify guilds.join",
  });
}
