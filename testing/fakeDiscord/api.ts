/**
 * One Discord API request through the fake, in Discord's order: route, bot token, request log,
 * latency, injected faults, global and route rate limits, request checks (ids, audit-log reason, body
 * against the spec), then the route's effect on the guild.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { authenticateBot, requireAccess } from "./auth";
import type { FakeRequestLogEntry } from "./controlTypes";
import { takeFault } from "./faults";
import { DiscordHttpError, RoleCreationCapError } from "./guild";
import { readBody, sendJson, sleep } from "./http";
import { countGlobal, countRoute, globalRateLimited, roleCreationCapped, routeRateLimited, type RateLimitedAnswer } from "./rateLimits";
import { parseJsonBody, readAuditLogReason, requireSnowflakeParams, validateBody } from "./requestValidation";
import { matchRoute, type RouteResult } from "./routes";
import type { SpecValidator } from "./specValidator";
import type { World } from "./world";

/** Answers one request under `/api/v10`; `path` is what follows the version. */
export async function handleApi(world: World, validator: SpecValidator, request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
  const receivedAt = Date.now();
  const rawBody = await readBody(request);
  const method = request.method ?? "GET";
  const matched = matchRoute(method, path);
  if ("status" in matched) {
    sendJson(response, matched.status, { message: matched.status === 404 ? "404: Not Found" : "405: Method Not Allowed", code: 0 });
    return;
  }
  const { route: apiRoute, params } = matched;
  const runtime = authenticateBot(world, request);
  if (!runtime) {
    sendJson(response, 401, { message: "401: Unauthorized", code: 0 });
    return;
  }
  const { guild } = runtime;
  const operationId = validator.operationId(method, apiRoute.template);
  const auditLogReason = readAuditLogReason(request);
  const parsed = parseJsonBody(rawBody);
  const entry: FakeRequestLogEntry = {
    sequence: ++world.sequence,
    receivedAt,
    method,
    path,
    operationId,
    status: null,
    auditLogReason: auditLogReason.reason,
    body: parsed.body ?? null,
    validationErrors: null,
    errorCode: null,
    fault: null,
  };
  world.record(runtime, entry);

  const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    entry.status = status;
    if (status >= 400 && typeof body === "object" && body !== null && "code" in body) {
      entry.errorCode = Number((body as { code: unknown }).code);
    }
    sendJson(response, status, body, headers);
  };
  const replyLimited = (answer: RateLimitedAnswer) => reply(answer.status, answer.body, answer.headers);

  await sleep(guild.latencyMs);

  const fault = takeFault(runtime, apiRoute, operationId);
  if (fault) entry.fault = fault.kind;
  if (fault?.kind === "drop" && fault.when !== "after") {
    request.socket.destroy();
    return;
  }
  if (fault?.kind === "delay") await sleep(fault.delayMs);
  if (fault?.kind === "server_error") {
    const status = fault.status ?? 500;
    reply(status, { message: `${status}: Internal Server Error`, code: 0 });
    return;
  }

  const now = Date.now();
  if (fault?.kind === "rate_limit" && fault.global) return replyLimited(globalRateLimited(fault.retryAfterSeconds * 1000));
  const globalLimited = countGlobal(runtime, now);
  if (globalLimited) return replyLimited(globalLimited);
  const { headers, limited } = countRoute(runtime, apiRoute, params, operationId, now);
  if (limited) return replyLimited(limited);
  if (fault?.kind === "rate_limit") return replyLimited(routeRateLimited(fault.retryAfterSeconds * 1000, headers));

  let result: RouteResult;
  try {
    requireSnowflakeParams(apiRoute, params);
    requireAccess(world, runtime, params);
    if (auditLogReason.error) throw auditLogReason.error;
    validateBody(validator, apiRoute, parsed, (messages) => (entry.validationErrors = messages));
    const body =
      typeof parsed.body === "object" && parsed.body !== null && !Array.isArray(parsed.body) ? (parsed.body as Record<string, unknown>) : {};
    result = apiRoute.handle({ guild, params, body, now, world });
  } catch (error) {
    if (error instanceof RoleCreationCapError) return replyLimited(roleCreationCapped(error.retryAfterMs, headers, now));
    if (error instanceof DiscordHttpError) return reply(error.status, error.body(), headers);
    console.error("fake Discord: unexpected error", error);
    return reply(500, { message: "500: Internal Server Error", code: 0 }, headers);
  }
  if (fault?.kind === "drop") {
    entry.status = null;
    request.socket.destroy();
    return;
  }
  reply(result.status, result.body, headers);
}
