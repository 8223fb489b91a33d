/**
 * The fake Discord server's state: users (with OAuth2 tokens and codes) and guilds, each guild with
 * its own bot token, faults, rate-limit windows and request log.
 */
import { randomBytes } from "node:crypto";
import type { FakeRequestLogEntry, FaultRequest } from "./controlTypes";
import type { FakeGuild, UserRecord } from "./guild";
import { isSnowflake, nextSnowflake } from "./snowflake";

/** Most request-log entries a guild keeps (the oldest go first). */
const MAX_LOG_ENTRIES = 20_000;

/** A fault injected by a test, with how many more matching requests it hits. */
export interface ActiveFault {
  id: string;
  request: FaultRequest;
  remaining: number;
}

/** A rate-limit window: requests counted since it started, and when it ends (epoch ms). */
export interface RateLimitWindow {
  count: number;
  resetAt: number;
}

/** Per-guild runtime: the guild plus its bot token, faults, rate-limit windows and request log. */
export interface GuildRuntime {
  guild: FakeGuild;
  botToken: string;
  faults: ActiveFault[];
  /** Route buckets by route and major parameter. */
  buckets: Map<string, RateLimitWindow>;
  globalWindow: RateLimitWindow;
  log: FakeRequestLogEntry[];
}

/** A request the control API refuses, with its HTTP status. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class World {
  readonly users = new Map<string, UserRecord>();
  readonly guilds = new Map<string, GuildRuntime>();
  readonly guildsByToken = new Map<string, GuildRuntime>();
  sequence = 0;

  createUser(input: { userId?: string; username?: string; bot?: boolean }): UserRecord {
    const id = input.userId ?? nextSnowflake();
    if (!isSnowflake(id)) throw new ControlError(400, `user id ${id} is not a snowflake`);
    const existing = this.users.get(id);
    if (existing) return existing;
    const user: UserRecord = {
      id,
      username: input.username ?? `user-${id.slice(-6)}`,
      bot: input.bot ?? false,
      accessToken: input.bot ? null : randomBytes(18).toString("base64url"),
      authorizationCodes: new Set(),
    };
    this.users.set(id, user);
    return user;
  }

  /** A fresh single-use OAuth2 authorization code for a (non-bot) user. */
  issueAuthorizationCode(user: UserRecord): string {
    if (user.accessToken === null) throw new ControlError(400, "bots do not use OAuth2 codes");
    const code = randomBytes(15).toString("base64url");
    user.authorizationCodes.add(code);
    return code;
  }

  runtimeOf(guildId: string): GuildRuntime {
    const runtime = this.guilds.get(guildId);
    if (!runtime) throw new ControlError(404, `no fake guild ${guildId}`);
    return runtime;
  }

  guildOwningChannel(channelId: string): GuildRuntime | undefined {
    for (const runtime of this.guilds.values()) if (runtime.guild.hasChannel(channelId)) return runtime;
    return undefined;
  }

  /** Appends to a guild's request log. */
  record(runtime: GuildRuntime, entry: FakeRequestLogEntry): void {
    runtime.log.push(entry);
    if (runtime.log.length > MAX_LOG_ENTRIES) runtime.log.splice(0, runtime.log.length - MAX_LOG_ENTRIES);
  }
}
