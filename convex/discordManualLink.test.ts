import { afterEach, expect, test, vi } from "vitest";
import { api } from "./_generated/api";
import { runScheduled, sessionRow, worldWithBooking } from "./model/discord/fixtures.testing";

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

test("when staff set a student's Discord id by hand, the student gets the role of their booked session", async () => {
  // Amira is in the server but has not linked her account; John has.
  const { world, t, guild, sessionId } = await worldWithBooking({ linked: ["john"] });
  const session = await sessionRow(t, sessionId);
  expect(session.provisioningState).toBe("ready");
  expect(await guild.memberRoleIds(world.discordIds.amira)).not.toContain(session.discordRoleId);

  await world.admin.as.mutation(api.users.setDiscordUserId, { userId: world.amira.userId, discordUserId: world.discordIds.amira });
  await runScheduled(t);
  expect(await guild.memberRoleIds(world.discordIds.amira)).toContain(session.discordRoleId);
  expect(await guild.canView(session.discordChannelId!, world.discordIds.amira)).toBe(true);
});
