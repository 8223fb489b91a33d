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
import { ControlApiClient } from "../fakeControlApi";

export type * from "./types";

/** Entry point: one per fake server (base URL from `inject("fakeResendUrl")`). */
export class FakeResendControl extends ControlApiClient {
  constructor(baseUrl: string) {
    super("Resend", baseUrl);
  }

  /** Creates an isolated account with its own API key (`POST /__control/accounts`). */
  async createAccount(request: CreateFakeAccountRequest = {}): Promise<FakeResendAccount> {
    const info = await this.call<FakeAccountInfo>("POST", "/accounts", request);
    return new FakeResendAccount(this.baseUrl, info);
  }
}

/** Control of one fake account. */
export class FakeResendAccount extends ControlApiClient {
  constructor(
    baseUrl: string,
    readonly info: FakeAccountInfo,
  ) {
    super("Resend", baseUrl);
  }

  /** `RESEND_API_KEY` and `RESEND_BASE_URL` pointing the app at this account. */
  env(): Record<"RESEND_API_KEY" | "RESEND_BASE_URL", string> {
    return { RESEND_API_KEY: this.info.apiKey, RESEND_BASE_URL: this.info.baseUrl };
  }

  /** Emails the account accepted, oldest first (attachments decoded to text). */
  emails(): Promise<FakeReceivedEmail[]> {
    return this.call("GET", `/accounts/${this.info.accountId}/emails`);
  }

  /** Every `POST /emails` request with the answer given, oldest first. */
  requests(): Promise<FakeRequestLogEntry[]> {
    return this.call("GET", `/accounts/${this.info.accountId}/requests`);
  }

  /** Injects a fault into the next `fault.count` (default 1) requests. */
  async addFault(fault: FaultRequest): Promise<void> {
    await this.call("POST", `/accounts/${this.info.accountId}/faults`, fault);
  }

  /** Removes pending faults. */
  async clearFaults(): Promise<void> {
    await this.call("DELETE", `/accounts/${this.info.accountId}/faults`);
  }
}
