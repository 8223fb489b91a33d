import { RESTJSONErrorCodes } from "discord-api-types/v10";
import { internal } from "../../_generated/api";
import type { Id } from "../../_generated/dataModel";
import type { ActionCtx } from "../../_generated/server";
import { DiscordClient, isDiscordRequestError } from "./client";
import { readDiscordConfig } from "./config";
import { BUCKETS } from "./rateLimits";
import { DeferredRequest, RequestPacer, RunNoLongerWanted, type Ticket } from "./requestPacer";
import type { RecordedResource } from "./ledger";
import type { ProvisioningOutcome, ProvisioningPlan } from "./provisioning";

/**
 * Action side of Discord provisioning (SPEC §6): runs one claimed plan against Discord.
 *
 * Order and parallelism: the role first (everything else needs its id), then the channel and the
 * role grants of both participants at once, each on its own HTTP client (one client would queue
 * requests of the same route one after the other). So a fresh booking reaches `ready` after two
 * sequential Discord round trips. Every request waits for its send time in the shared pacing
 * (`requestPacer.ts`); a bucket booked too far ahead ends the run, which is scheduled again.
 *
 * Every id is recorded the moment Discord returns it. A step that a previous run may have done
 * without recording it (`lookUpRole` / `lookUpChannel`) first lists the guild and adopts the
 * resource with the deterministic name, deleting extra copies, so any crash followed by a re-run
 * ends with exactly one role and one channel. Right before each creation or grant leaves, the pacer
 * re-reads the space (`requestPacer.ts`, guarded requests): a session cancelled meanwhile ends the run there, so no channel
 * is created and no role granted after a cancel, and `finishProvisioning` hands what exists to
 * cleanup at once. Failures are classified into a
 * {@link ProvisioningOutcome}; `finishProvisioning` decides about retries.
 */

type RunPlan = Extract<ProvisioningPlan, { kind: "run" }>;

/** A step found that the run is no longer wanted (session cancelled, finished, cleaned up or taken over). */
class SupersededError extends Error {}

/** Outcome candidates by how serious they are: the worst one of a run is reported. */
const SEVERITY: Record<ProvisioningOutcome["kind"], number> = {
  stopped: 6,
  failed: 5,
  limit: 4,
  role_missing: 3,
  transient: 2,
  rate_limited: 1,
  ready: 0,
};

function worst(outcomes: ProvisioningOutcome[]): ProvisioningOutcome | null {
  let result: ProvisioningOutcome | null = null;
  for (const outcome of outcomes) {
    if (result === null || SEVERITY[outcome.kind] > SEVERITY[result.kind]) result = outcome;
    else if (outcome.kind === "rate_limited" && result.kind === "rate_limited" && outcome.retryAfterMs < result.retryAfterMs) {
      // Come back for the earliest send time.
      result = outcome;
    }
  }
  return result;
}

/** Maps an error thrown by a step to an outcome; `step` names the step in messages. */
function outcomeOfError(error: unknown, step: "role" | "channel" | "grant"): ProvisioningOutcome {
  if (error instanceof SupersededError || error instanceof RunNoLongerWanted) return { kind: "stopped", message: error.message };
  if (error instanceof DeferredRequest) {
    return { kind: "rate_limited", retryAfterMs: error.retryAfterMs(), message: error.message };
  }
  if (!isDiscordRequestError(error)) {
    return { kind: "transient", message: error instanceof Error ? error.message : String(error) };
  }
  const c = error.classification;
  switch (c.kind) {
    case "rate_limited":
      return { kind: "rate_limited", retryAfterMs: c.retryAfterMs, message: error.message };
    case "transient":
      return { kind: "transient", message: error.message };
    case "permission":
      return { kind: "failed", message: `Provisioning stopped: ${error.message}` };
    case "limit":
      return { kind: "limit", message: error.message };
    case "not_found":
      if (c.code === RESTJSONErrorCodes.UnknownRole || (step === "channel" && c.code !== RESTJSONErrorCodes.UnknownChannel)) {
        return { kind: "role_missing", message: `The session role disappeared from Discord (${error.message}); creating the role and channel again.` };
      }
      if (step === "channel") {
        return {
          kind: "failed",
          message: `Provisioning stopped: ${error.message}. Check that DISCORD_CATEGORY_ID names an existing category of the guild.`,
        };
      }
      return { kind: "failed", message: `Provisioning stopped: ${error.message}` };
    case "invalid":
      return { kind: "failed", message: `Provisioning stopped: ${error.message}` };
  }
}

function bySnowflake(a: { id: string }, b: { id: string }): number {
  return a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Claims the session, runs its plan against Discord and reports the outcome. Used by the internal
 * action `discordProvisioning:provision`.
 */
export async function runProvisioning(ctx: ActionCtx, sessionId: Id<"coachingSessions">): Promise<void> {
  const plan = await ctx.runMutation(internal.discordProvisioning.claim, { sessionId });
  if (plan.kind === "skip") return;
  let outcome: ProvisioningOutcome;
  // Creations and grants are guarded: they re-read the space right before they leave.
  const pacer = new RequestPacer(ctx, { sessionId, leaseId: plan.leaseId });
  // Create requests that may have reached Discord (a previous run's, or this run's once sent).
  const attempted = { role: plan.lookUpRole, channel: plan.lookUpChannel };
  // Discord users given the role in this run (recorded with the outcome: a grant is idempotent, so a
  // crash before that only repeats it).
  const granted: string[] = [];
  let roleIdForGrants: string | null = plan.roleId;
  try {
    const config = readDiscordConfig();
    if (config === null) throw new Error("Discord is not configured (DISCORD_BOT_TOKEN, DISCORD_GUILD_ID, DISCORD_BOT_USER_ID).");
    outcome = await executePlan(
      ctx,
      () => new DiscordClient(config, { fetch: pacer.fetch, maxRateLimitWaitMs: 0 }),
      pacer,
      plan,
      attempted,
      granted,
      (roleId) => (roleIdForGrants = roleId),
    );
  } catch (error) {
    // Only configuration problems reach here (executePlan classifies Discord errors itself).
    outcome = { kind: "failed", message: `Provisioning stopped: ${error instanceof Error ? error.message : String(error)}` };
  }
  await ctx.runMutation(internal.discordProvisioning.finish, {
    sessionId,
    leaseId: plan.leaseId,
    outcome,
    attempted,
    granted: roleIdForGrants !== null && granted.length > 0 ? { roleId: roleIdForGrants, discordUserIds: granted } : undefined,
  });
}

async function executePlan(
  ctx: ActionCtx,
  newClient: () => DiscordClient,
  pacer: RequestPacer,
  plan: RunPlan,
  attempted: { role: boolean; channel: boolean },
  granted: string[],
  onRole: (roleId: string) => void,
): Promise<ProvisioningOutcome> {
  const client = newClient();
  const categoryId = client.config.categoryId;
  const record = (kind: "role" | "channel", discordId: string, name: string) =>
    ctx.runMutation(internal.discordProvisioning.recordResourceCreated, {
      sessionId: plan.sessionId,
      kind,
      discordId,
      name,
      categoryId: kind === "channel" ? categoryId : null,
    });
  const gone = (discordId: string) => ctx.runMutation(internal.discordProvisioning.markResourceGone, { discordId });

  let roleId = plan.roleId;
  if (roleId === null) {
    try {
      roleId = await ensureRole(client, pacer, plan, record, gone, attempted);
    } catch (error) {
      return outcomeOfError(error, "role");
    }
  }
  const sessionRoleId = roleId;
  onRole(sessionRoleId);

  let channelId = plan.channelId;
  // One database call reserves the send times of the channel and both grants.
  const createChannelNow = channelId === null && !plan.lookUpChannel;
  let tickets: Ticket[];
  try {
    tickets = await pacer.tickets([...(createChannelNow ? [BUCKETS.createChannel] : []), ...plan.grants.map(() => BUCKETS.addMemberRole)], true);
  } catch (error) {
    return outcomeOfError(error, "channel");
  }
  const channelTicket = createChannelNow ? tickets.shift() : undefined;
  const channelTask = async () => {
    if (channelId !== null) return;
    channelId = await ensureChannel(newClient(), pacer, plan, sessionRoleId, record, gone, attempted, channelTicket);
  };
  const unreachable: string[] = [];
  const notes: string[] = [];
  const grantTask = async (grant: RunPlan["grants"][number], ticket: Ticket) => {
    try {
      const grantClient = newClient();
      await pacer.send(ticket, () =>
        grantClient.addMemberRole(grant.discordUserId, sessionRoleId, `${plan.auditReason}: give the session role to the ${grant.who}`),
      );
      granted.push(grant.discordUserId);
    } catch (error) {
      if (isDiscordRequestError(error, "not_found") && error.classification.code === RESTJSONErrorCodes.UnknownMember) {
        unreachable.push(grant.discordUserId);
        notes.push(
          `${grant.name} (the ${grant.who}, Discord user ${grant.discordUserId}) is not a member of the Discord server; they get the role after linking Discord again from their profile.`,
        );
        return;
      }
      throw error;
    }
  };
  const results = await Promise.allSettled([
    channelTask().catch((error: unknown) => Promise.reject(outcomeOfError(error, "channel"))),
    ...plan.grants.map((grant, index) =>
      grantTask(grant, tickets[index]).catch((error: unknown) => Promise.reject(outcomeOfError(error, "grant"))),
    ),
  ]);
  const failure = worst(results.flatMap((result) => (result.status === "rejected" ? [result.reason as ProvisioningOutcome] : [])));
  if (failure === null) return { kind: "ready", notes, unreachable };
  if (failure.kind === "role_missing" && channelId !== null) {
    // The channel's overwrite names the vanished role: remove the channel so both are made afresh.
    try {
      const vanished = channelId;
      await pacer.paced(BUCKETS.deleteChannel, () => client.deleteChannel(vanished, `${plan.auditReason}: session role vanished, recreating the channel`));
      await gone(vanished);
    } catch (error) {
      return outcomeOfError(error, "channel");
    }
  }
  return failure;
}

/**
 * Sends a create request, noting that it may have reached Discord (so a later run looks for the
 * resource by name first). A 429 answer means Discord did nothing, so it does not count.
 */
async function sendCreate<T>(attempted: { role: boolean; channel: boolean }, kind: "role" | "channel", send: () => Promise<T>): Promise<T> {
  const before = attempted[kind];
  attempted[kind] = true;
  try {
    return await send();
  } catch (error) {
    if (isDiscordRequestError(error, "rate_limited")) attempted[kind] = before;
    throw error;
  }
}

type Recorder = (kind: "role" | "channel", discordId: string, name: string) => Promise<RecordedResource>;

/** Acts on what recording a resource said: go on, stop (cleanup deletes it), or delete it here and stop. */
async function settle(recorded: RecordedResource, remove: () => Promise<void>, what: "role" | "channel"): Promise<void> {
  if (recorded === "keep") return;
  if (recorded === "delete") await remove();
  throw new SupersededError(`The session changed while its ${what} was being created.`);
}

/** Finds (when a previous run may have made it) or creates the session role; returns its id. */
async function ensureRole(
  client: DiscordClient,
  pacer: RequestPacer,
  plan: RunPlan,
  record: Recorder,
  gone: (discordId: string) => Promise<null>,
  attempted: { role: boolean; channel: boolean },
): Promise<string> {
  const reason = `${plan.auditReason}: session role`;
  const deleteRole = async (id: string) => {
    await pacer.paced(BUCKETS.deleteRole, () => client.deleteRole(id, `${reason} (not needed any more)`));
    await gone(id);
  };
  if (plan.lookUpRole) {
    const matches = (await pacer.paced(BUCKETS.listRoles, () => client.listRoles())).filter((role) => role.name === plan.roleName).sort(bySnowflake);
    if (matches.length > 0) {
      const [adopted, ...extra] = matches;
      const recorded = await record("role", adopted.id, adopted.name);
      for (const duplicate of extra) {
        await pacer.paced(BUCKETS.deleteRole, () => client.deleteRole(duplicate.id, `${reason} (duplicate)`));
        await gone(duplicate.id);
      }
      await settle(recorded, () => deleteRole(adopted.id), "role");
      return adopted.id;
    }
  }
  const role = await pacer.paced(BUCKETS.createRole, () => sendCreate(attempted, "role", () => client.createSessionRole(plan.roleName, reason)), true);
  await settle(await record("role", role.id, role.name), () => deleteRole(role.id), "role");
  return role.id;
}

/** Finds (when a previous run may have made it) or creates the session channel; returns its id. */
async function ensureChannel(
  client: DiscordClient,
  pacer: RequestPacer,
  plan: RunPlan,
  roleId: string,
  record: Recorder,
  gone: (discordId: string) => Promise<null>,
  attempted: { role: boolean; channel: boolean },
  ticket: Ticket | undefined,
): Promise<string> {
  const reason = `${plan.auditReason}: private voice channel`;
  const deleteChannel = async (id: string) => {
    await pacer.paced(BUCKETS.deleteChannel, () => client.deleteChannel(id, `${reason} (not needed any more)`));
    await gone(id);
  };
  if (plan.lookUpChannel) {
    const matches = (await pacer.paced(BUCKETS.listChannels, () => client.listChannels()))
      .filter((channel) => channel.name === plan.channelName)
      .sort(bySnowflake);
    if (matches.length > 0) {
      const [adopted, ...extra] = matches;
      const recorded = await record("channel", adopted.id, plan.channelName);
      for (const duplicate of extra) {
        await pacer.paced(BUCKETS.deleteChannel, () => client.deleteChannel(duplicate.id, `${reason} (duplicate)`));
        await gone(duplicate.id);
      }
      await settle(recorded, () => deleteChannel(adopted.id), "channel");
      return adopted.id;
    }
  }
  const create = () => sendCreate(attempted, "channel", () => client.createPrivateVoiceChannel({ name: plan.channelName, roleId }, reason));
  const channel = ticket !== undefined ? await pacer.send(ticket, create) : await pacer.paced(BUCKETS.createChannel, create, true);
  await settle(await record("channel", channel.id, plan.channelName), () => deleteChannel(channel.id), "channel");
  return channel.id;
}
