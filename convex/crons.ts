import { cronJobs } from "convex/server";
import { internal } from "./_generated/api";

/**
 * Scheduled jobs. Each feature adds its own entry; times avoid the top of the hour, when every
 * other system's jobs run.
 */
const crons = cronJobs();

/**
 * Discord maintenance, hourly at minute 17 (UTC): cleanup of coaching sessions that ended more than
 * an hour ago or were cancelled, restart of lost provisioning runs, sessions waiting for room, and a
 * reconciliation pass that deletes orphaned `Session *` roles and `coaching-*` channels.
 */
crons.hourly("discord maintenance", { minuteUTC: 17 }, internal.discordProvisioning.hourlyMaintenance, {});

/**
 * Expert-session file storage, daily at 03:41 UTC: deletes uploads (videos, captions) older than 24 hours that no
 * expert session names (forms abandoned before saving), in pages of 100 files.
 */
crons.daily("orphaned expert session videos", { hourUTC: 3, minuteUTC: 41 }, internal.expertSessionStorage.sweepOrphanedVideos, {});

export default crons;
