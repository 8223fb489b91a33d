/**
 * Typed client for the fake Discord server's control API. Uses only `fetch`, so it runs in every
 * test project, including the edge-runtime one where the Convex tests live.
 *
 * ```ts
 * const fake = new FakeDiscordControl(inject("fakeDiscordUrl"));
 * const guild = await fake.createGuild({ members: [{ username: "student" }, { username: "coach" }] });
 * vi.stubEnv("DISCORD_BOT_TOKEN", guild.info.botToken); // or: for (const [k, v] of Object.entries(guild.env())) vi.stubEnv(k, v)
 * ```
 */
import type {
  CreateFakeChannelRequest,
  CreateFakeGuildRequest,
  CreateFakeRoleRequest,
  FakeChannelState,
  FakeGuildInfo,
  FakeGuildState,
  FakeMemberInput,
  FakePermissionsAnswer,
  FakeRequestLogEntry,
  FakeRoleState,
  FakeUserInfo,
  FakeViewersAnswer,
  FaultRequest,
  UpdateFakeGuildRequest,
} from "./controlTypes";
import { ControlApiClient, FakeControlError } from "../fakeControlApi";

export type * from "./controlTypes";
export { FakeControlError } from "../fakeControlApi";

/** Entry point: one per fake server (base URL like `http://127.0.0.1:PORT`, from `inject("fakeDiscordUrl")`). */
export class FakeDiscordControl extends ControlApiClient {
  constructor(baseUrl: string) {
    super("Discord", baseUrl);
  }

  /** Creates an isolated guild with its own bot and token (`POST /__control/guilds`). */
  async createGuild(request: CreateFakeGuildRequest = {}): Promise<FakeGuildControl> {
    const info = await this.call<FakeGuildInfo>("POST", "/guilds", request);
    return new FakeGuildControl(this.baseUrl, info);
  }

  /**
   * Creates a Discord user who is in no guild yet, with an OAuth2 access token (`guilds.join`) that
   * `PUT /guilds/{guild}/members/{user}` accepts, and a single-use authorization code that
   * `POST {apiBase}/oauth2/token` exchanges for that token (`POST /__control/users`).
   */
  createUser(input: { userId?: string; username?: string } = {}): Promise<FakeUserInfo> {
    return this.call<FakeUserInfo>("POST", "/users", input);
  }

  /** Another single-use OAuth2 authorization code for a user (`POST /__control/users/:id/authorization-codes`). */
  async issueAuthorizationCode(userId: string): Promise<string> {
    return (await this.call<{ code: string }>("POST", `/users/${userId}/authorization-codes`, {})).code;
  }
}

/** Control of one fake guild. All ids are Discord snowflakes (decimal strings). */
export class FakeGuildControl extends ControlApiClient {
  constructor(
    baseUrl: string,
    readonly info: FakeGuildInfo,
  ) {
    super("Discord", baseUrl);
  }

  get guildId(): string {
    return this.info.guildId;
  }

  private path(suffix = ""): string {
    return `/guilds/${this.info.guildId}${suffix}`;
  }

  /**
   * Environment for the Discord client pointed at this guild: DISCORD_BOT_TOKEN, DISCORD_GUILD_ID,
   * DISCORD_BOT_USER_ID, DISCORD_API_BASE and, when given, DISCORD_CATEGORY_ID.
   */
  env(options: { categoryId?: string } = {}): Record<string, string> {
    return {
      DISCORD_BOT_TOKEN: this.info.botToken,
      DISCORD_GUILD_ID: this.info.guildId,
      DISCORD_BOT_USER_ID: this.info.botUserId,
      DISCORD_API_BASE: this.info.apiBase,
      ...(options.categoryId ? { DISCORD_CATEGORY_ID: options.categoryId } : {}),
    };
  }

  /** Snapshot of roles, channels (with overwrites), members and settings. */
  state(): Promise<FakeGuildState> {
    return this.call<FakeGuildState>("GET", this.path("/state"));
  }

  /** Roles of the guild, lowest position first. */
  async roles(): Promise<FakeRoleState[]> {
    return (await this.state()).roles;
  }

  /** Channels of the guild. */
  async channels(): Promise<FakeChannelState[]> {
    return (await this.state()).channels;
  }

  /** Role ids a member holds (throws if not a member). */
  async memberRoleIds(userId: string): Promise<string[]> {
    const member = (await this.state()).members.find((m) => m.userId === userId);
    if (!member) throw new FakeControlError(404, `${userId} is not a member of ${this.info.guildId}`);
    return member.roleIds;
  }

  /** Changes bot permissions, limits, rate limits or latency (`PATCH /__control/guilds/:id`). */
  update(request: UpdateFakeGuildRequest): Promise<FakeGuildState> {
    return this.call<FakeGuildState>("PATCH", this.path(), request);
  }

  /** Someone joins the guild (no API call, no checks). */
  addMember(member: FakeMemberInput = {}): Promise<{ userId: string; username: string }> {
    return this.call("POST", this.path("/members"), member);
  }

  /** Someone leaves the guild. */
  removeMember(userId: string): Promise<void> {
    return this.call("DELETE", this.path(`/members/${userId}`));
  }

  /** A role made by hand in Discord's UI (no API call, no limits); e.g. one above the bot's role. */
  createRole(request: CreateFakeRoleRequest): Promise<FakeRoleState> {
    return this.call("POST", this.path("/roles"), { ...request, count: 1 });
  }

  /** Many roles by hand at once (to bring the guild near its role limit). */
  createRoles(request: CreateFakeRoleRequest & { count: number }): Promise<FakeRoleState[]> {
    return this.call("POST", this.path("/roles"), request);
  }

  /** A role deleted by hand. */
  deleteRole(roleId: string): Promise<void> {
    return this.call("DELETE", this.path(`/roles/${roleId}`));
  }

  /** A channel made by hand (no API call, no limits). */
  createChannel(request: CreateFakeChannelRequest): Promise<{ id: string; name: string; type: number; parent_id: string | null }> {
    return this.call("POST", this.path("/channels"), { ...request, count: 1 });
  }

  /** Many channels by hand at once (to bring the guild or a category near its limit). */
  createChannels(
    request: CreateFakeChannelRequest & { count: number },
  ): Promise<Array<{ id: string; name: string; type: number; parent_id: string | null }>> {
    return this.call("POST", this.path("/channels"), request);
  }

  /** A channel deleted by hand. */
  deleteChannel(channelId: string): Promise<void> {
    return this.call("DELETE", this.path(`/channels/${channelId}`));
  }

  /** Injects a fault for the next matching API requests (see {@link FaultRequest}). */
  async injectFault(fault: FaultRequest): Promise<string> {
    return (await this.call<{ faultId: string }>("POST", this.path("/faults"), fault)).faultId;
  }

  /** Removes every pending fault. */
  clearFaults(): Promise<void> {
    return this.call("DELETE", this.path("/faults"));
  }

  /** Computed permissions of a user in a channel (Discord's overwrite order) and whether they can view it. */
  permissions(channelId: string, userId: string): Promise<FakePermissionsAnswer> {
    const query = `?channel=${encodeURIComponent(channelId)}&user=${encodeURIComponent(userId)}`;
    return this.call("GET", this.path(`/permissions${query}`));
  }

  /** Whether a user can view a channel. */
  async canView(channelId: string, userId: string): Promise<boolean> {
    return (await this.permissions(channelId, userId)).canView;
  }

  /** Every member who can view the channel, with why (`owner`, `administrator` or `permissions`). */
  async viewers(channelId: string): Promise<FakeViewersAnswer["viewers"]> {
    return (await this.call<FakeViewersAnswer>("GET", this.path(`/channels/${channelId}/viewers`))).viewers;
  }

  /**
   * Members who see the channel through roles and overwrites, sorted — the owner (who sees
   * everything) and administrators left out. "Visible to exactly the student, the coach and the bot"
   * is `expect(await guild.viewerIds(id)).toEqual([student, coach, bot].sort())`.
   */
  async viewerIds(channelId: string): Promise<string[]> {
    return (await this.viewers(channelId))
      .filter((viewer) => viewer.via === "permissions")
      .map((viewer) => viewer.userId)
      .sort();
  }

  /** API requests of this guild's bot, oldest first; `since` = last sequence already seen. */
  async requests(since = 0): Promise<FakeRequestLogEntry[]> {
    return (await this.call<{ requests: FakeRequestLogEntry[] }>("GET", this.path(`/requests?since=${since}`)))
      .requests;
  }

  /** Forgets the guild on the server (optional; guilds are small). */
  dispose(): Promise<void> {
    return this.call("DELETE", this.path());
  }
}
