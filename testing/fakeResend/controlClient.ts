/**
 * Typed client of the fake Resend server's control API. Uses only `fetch`, so it runs in every test
 * project, including the edge-runtime one where the Convex tests live.
 *
 * ```ts
 * const account = await new FakeResendControl(inject("fakeResendUrl")).createAccount();
 * for (const [name, value] of Object.entries(account.env())) vi.stubEnv(name, value);
 * await account.addFault({ status: 503, accepted: true }); // Resend sends it, but answers 503
 * // … run the app …
 * expect(await account.emails()).toHaveLength(1);
 * ```
 */
import type {
  ControlErrorBody,
  CreateFakeAccountRequest,
  FakeAccountInfo,
  FakeReceivedEmail,
  FakeRequestLogEntry,
  FaultRequest,
} from "./types";

export type * from "./types";

async function call<T>(baseUrl: string, method: string, path: string, body?: unknown): Promise<T> {
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
    throw new Error(`fake Resend control ${method} ${path}: ${response.status} ${message}`);
  }
  return (text.length > 0 ? JSON.parse(text) : undefined) as T;
}

/** Entry point: one per fake server (base URL from `inject("fakeResendUrl")`). */
export class FakeResendControl {
  constructor(readonly baseUrl: string) {}

  /** Creates an isolated account with its own API key (`POST /__control/accounts`). */
  async createAccount(request: CreateFakeAccountRequest = {}): Promise<FakeResendAccount> {
    const info = await call<FakeAccountInfo>(this.baseUrl, "POST", "/accounts", request);
    return new FakeResendAccount(this.baseUrl, info);
  }
}

/** Control of one fake account. */
export class FakeResendAccount {
  constructor(
    readonly baseUrl: string,
    readonly info: FakeAccountInfo,
  ) {}

  /** `RESEND_API_KEY` and `RESEND_BASE_URL` pointing the app at this account. */
  env(): Record<"RESEND_API_KEY" | "RESEND_BASE_URL", string> {
    return { RESEND_API_KEY: this.info.apiKey, RESEND_BASE_URL: this.info.baseUrl };
  }

  /** Emails the account accepted, oldest first (attachments decoded to text). */
  emails(): Promise<FakeReceivedEmail[]> {
    return call(this.baseUrl, "GET", `/accounts/${this.info.accountId}/emails`);
  }

  /** Every `POST /emails` request with the answer given, oldest first. */
  requests(): Promise<FakeRequestLogEntry[]> {
    return call(this.baseUrl, "GET", `/accounts/${this.info.accountId}/requests`);
  }

  /** Injects a fault into the next `fault.count` (default 1) requests. */
  async addFault(fault: FaultRequest): Promise<void> {
    await call(this.baseUrl, "POST", `/accounts/${this.info.accountId}/faults`, fault);
  }

  /** Removes pending faults. */
  async clearFaults(): Promise<void> {
    await call(this.baseUrl, "DELETE", `/accounts/${this.info.accountId}/faults`);
  }
}
