import { internal } from "../../_generated/api";
import type { Id } from "../../_generated/dataModel";
import type { ActionCtx } from "../../_generated/server";
import type { CleanupOutcome, CleanupPlan } from "./cleanup";
import { DiscordClient, isDiscordRequestError } from "./client";
import { readDiscordConfig } from "./config";
import { BUCKETS } from "./rateLimits";
import { DeferredRequest, RequestPacer, type Ticket } from "./requestPacer";

/**
 * Action side of a space's cleanup (SPEC §6): runs one claimed plan against Discord, the channel
 * first, then the role, and classifies failures into a {@link CleanupOutcome}; `finishCleanup`
 * (`cleanup.ts`) decides about retries.
 */

/**
 * Claims and runs one session's cleanup against Discord, then reports the outcome. Used by the
 * internal action `discordProvisioning:cleanup`.
 */
export async function runCleanup(ctx: ActionCtx, sessionId: Id<"coachingSessions">): Promise<void> {
  const plan = await ctx.runMutation(internal.discordProvisioning.claimCleanupRun, { sessionId });
  if (plan.kind === "skip") return;
  let outcome: CleanupOutcome;
  const pacer = new RequestPacer(ctx);
  try {
    const config = readDiscordConfig();
    if (config === null) throw new Error("Discord is not configured (DISCORD_BOT_TOKEN, DISCORD_GUILD_ID, DISCORD_BOT_USER_ID).");
    outcome = await executeCleanup(ctx, new DiscordClient(config, { fetch: pacer.fetch, maxRateLimitWaitMs: 0 }), pacer, plan);
  } catch (error) {
    outcome = { kind: "failed", message: `Cleanup stopped: ${error instanceof Error ? error.message : String(error)}` };
  }
  await ctx.runMutation(internal.discordProvisioning.finishCleanupRun, { sessionId, leaseId: plan.leaseId, outcome });
}

async function executeCleanup(
  ctx: ActionCtx,
  client: DiscordClient,
  pacer: RequestPacer,
  plan: Extract<CleanupPlan, { kind: "run" }>,
): Promise<CleanupOutcome> {
  const gone = (discordId: string) => ctx.runMutation(internal.discordProvisioning.markResourceGone, { discordId });
  let freedChannels = 0;
  let freedRoles = 0;
  try {
    // The first request of each step gets its send time now, in one call: role deletions (a shared
    // route bucket) need not wait for the channel deletion's turn.
    const channelBucket = plan.channelId !== null ? BUCKETS.deleteChannel : plan.lookUpChannel ? BUCKETS.listChannels : undefined;
    const roleBucket = plan.roleId !== null ? BUCKETS.deleteRole : plan.lookUpRole ? BUCKETS.listRoles : undefined;
    const tickets = await pacer.tickets([channelBucket, roleBucket].filter((bucket) => bucket !== undefined));
    const channelTicket = channelBucket !== undefined ? tickets.shift() : undefined;
    const roleTicket = roleBucket !== undefined ? tickets.shift() : undefined;
    /** Runs `call` on the step's ticket the first time, on a fresh one afterwards. */
    const first = <T>(ticket: Ticket | undefined, bucket: string | null, call: () => Promise<T>) =>
      ticket !== undefined ? pacer.send(ticket, call) : pacer.paced(bucket, call);

    const channelIds = plan.channelId !== null ? [plan.channelId] : [];
    let ticket = channelTicket;
    if (plan.lookUpChannel && plan.channelId === null) {
      const channels = await first(ticket, BUCKETS.listChannels, () => client.listChannels());
      ticket = undefined;
      channelIds.push(...channels.filter((channel) => channel.name === plan.channelName).map((channel) => channel.id));
    }
    for (const channelId of channelIds) {
      await first(ticket, BUCKETS.deleteChannel, () => client.deleteChannel(channelId, `${plan.auditReason}: delete the voice channel`));
      ticket = undefined;
      await gone(channelId);
      freedChannels += 1;
    }
    const roleIds = plan.roleId !== null ? [plan.roleId] : [];
    ticket = roleTicket;
    if (plan.lookUpRole && plan.roleId === null) {
      const roles = await first(ticket, BUCKETS.listRoles, () => client.listRoles());
      ticket = undefined;
      roleIds.push(...roles.filter((role) => role.name === plan.roleName).map((role) => role.id));
    }
    for (const roleId of roleIds) {
      await first(ticket, BUCKETS.deleteRole, () => client.deleteRole(roleId, `${plan.auditReason}: delete the session role`));
      ticket = undefined;
      await gone(roleId);
      freedRoles += 1;
    }
  } catch (error) {
    if (error instanceof DeferredRequest) {
      return { kind: "rate_limited", retryAfterMs: error.retryAfterMs(), message: error.message };
    }
    if (!isDiscordRequestError(error)) {
      return { kind: "transient", message: error instanceof Error ? error.message : String(error) };
    }
    const c = error.classification;
    if (c.kind === "rate_limited") return { kind: "rate_limited", retryAfterMs: c.retryAfterMs, message: error.message };
    if (c.kind === "transient") return { kind: "transient", message: error.message };
    return { kind: "failed", message: `Cleanup stopped: ${error.message}` };
  }
  return { kind: "cleaned", freedRoles, freedChannels };
}

