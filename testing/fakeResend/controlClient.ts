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
  CreateFakeAccountRequest,
  FakeAccountInfo,
  FakeReceivedEmail,
  FakeRequestLogEntry,
  FaultRequest,
} from "./types";
import { callControlApi } from "../fakeControlApi";

export type * from "./types";

function call<T>(baseUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  return callControlApi<T>("Resend", baseUrl, method, path, body);
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
