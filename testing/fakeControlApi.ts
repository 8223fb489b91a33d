/**
 * The HTTP side of the fakes' typed control clients (`fakeDiscord/controlClient.ts`,
 * `fakeResend/controlClient.ts`): JSON requests to a fake's `/__control` routes with `fetch` only, so
 * the clients run in every test project, including the edge-runtime one where the Convex tests live.
 */

/** Error body of a fake's control API. */
export interface ControlErrorBody {
  error: string;
}

/** Thrown when a fake's control API answers with an error status. */
export class FakeControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "FakeControlError";
  }
}

/**
 * Sends `method` to `<baseUrl>/__control<path>` of the fake named `fake` ("Discord", "Resend"), with
 * `body` as JSON when given.
 * @returns the parsed JSON answer, or undefined for an empty one.
 * @throws FakeControlError with the HTTP status and the fake's `error` message (its raw text when it is not JSON).
 */
export async function callControlApi<T>(fake: string, baseUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}/__control${path}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    let message = text;
    try {
      message = (JSON.parse(text) as ControlErrorBody).error;
    } catch {
      // keep the raw text
    }
    throw new FakeControlError(response.status, `fake ${fake} control ${method} ${path}: ${response.status} ${message}`);
  }
  return (text.length > 0 ? JSON.parse(text) : undefined) as T;
}

/** Base of a fake's control client classes: `this.call` sends to the fake named `fake` at `baseUrl`. */
export class ControlApiClient {
  constructor(
    readonly fake: string,
    readonly baseUrl: string,
  ) {}

  /** {@link callControlApi} on this client's fake. */
  protected call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return callControlApi<T>(this.fake, this.baseUrl, method, path, body);
  }
}
