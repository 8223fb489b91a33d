/** Faults a test injects into a guild (server errors, 429s, dropped connections, delays). */
import type { FaultRequest } from "./controlTypes";
import type { ApiRoute } from "./routes";
import { ControlError, type GuildRuntime } from "./world";
import { nextSnowflake } from "./snowflake";

/** Checks a fault request of the control API; throws a 400 {@link ControlError} when it is malformed. */
function validateFault(request: FaultRequest): FaultRequest {
  switch (request.kind) {
    case "server_error":
      if (request.status !== undefined && (request.status < 500 || request.status > 599)) {
        throw new ControlError(400, "server_error status must be 5xx");
      }
      return request;
    case "rate_limit":
      if (!(typeof request.retryAfterSeconds === "number" && request.retryAfterSeconds >= 0)) {
        throw new ControlError(400, "rate_limit needs retryAfterSeconds >= 0");
      }
      return request;
    case "drop":
      return request;
    case "delay":
      if (!(typeof request.delayMs === "number" && request.delayMs >= 0)) {
        throw new ControlError(400, "delay needs delayMs >= 0");
      }
      return request;
    default:
      throw new ControlError(400, `unknown fault kind ${(request as { kind?: string }).kind}`);
  }
}

/** Adds a fault to the guild; returns its id. */
export function injectFault(runtime: GuildRuntime, request: FaultRequest): string {
  const fault = validateFault(request);
  const id = nextSnowflake();
  runtime.faults.push({ id, request: fault, remaining: fault.count ?? 1 });
  return id;
}

function matches(target: string | undefined, apiRoute: ApiRoute, operationId: string | null): boolean {
  const route = target ?? "*";
  return route === "*" || route === operationId || route === `${apiRoute.method} ${apiRoute.template}`;
}

/** The first fault matching the request, used up by one (removed when it has no more hits), or undefined. */
export function takeFault(runtime: GuildRuntime, apiRoute: ApiRoute, operationId: string | null): FaultRequest | undefined {
  const fault = runtime.faults.find((f) => f.remaining > 0 && matches(f.request.route, apiRoute, operationId));
  if (!fault) return undefined;
  fault.remaining -= 1;
  runtime.faults = runtime.faults.filter((f) => f.remaining > 0);
  return fault.request;
}
