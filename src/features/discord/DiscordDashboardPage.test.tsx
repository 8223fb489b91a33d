import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test, vi } from "vitest";
import { api } from "../../../convex/_generated/api";
import { coachingWorld, JOHN_MONDAY_9AM, MONDAY, SARAH_MONDAY_9AM } from "../../../convex/model/coaching/fixtures.testing";
import { newTest } from "../../../testing/convex";
import { QueryBoundary } from "../../lib/components/states";
import { renderWithBackend } from "../../test/renderWithBackend";
import { DiscordDashboardPage } from "./DiscordDashboardPage";
import { freezeClockAt } from "../../test/clock";

// Monday 2 March 2026, 08:00 UTC. No DISCORD_* variables are set in tests.
freezeClockAt(MONDAY);

const MISSING_PERMISSIONS =
  "Discord refused to create the role (403 Missing Permissions): give the bot the Manage Roles permission, then retry.";

describe("Discord dashboard (admin)", () => {
  test("shows a failed session with its last error and Retry, and filters by state", async () => {
    const world = await coachingWorld(newTest());
    const book = (student: "amira" | "ben", coach: "john" | "sarah", startTime: number) =>
      world[student].as.mutation(api.coaching.book, { coachingProductId: world.coachingProductId, coachId: world[coach].userId, startTime });
    const failedId = await book("amira", "sarah", SARAH_MONDAY_9AM);
    await book("ben", "john", JOHN_MONDAY_9AM);
    await world.t.run(async (ctx) => {
      const space = await ctx.db
        .query("discordSpaces")
        .withIndex("by_sessionId", (q) => q.eq("sessionId", failedId))
        .unique();
      await ctx.db.patch("discordSpaces", space!._id, { state: "failed", attempts: 1, lastError: MISSING_PERMISSIONS });
    });

    const { user } = renderWithBackend(<DiscordDashboardPage />, { t: world.t, as: world.admin, route: "/manage/discord" });

    // A standing notice, not an alert that interrupts a screen reader.
    expect(await screen.findByRole("status", { name: "Discord is not configured" })).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Run reconciliation" })).toBeDisabled();
    expect(screen.getByTestId("capacity-Roles")).toHaveTextContent("0 of 250");
    expect(screen.getByTestId("capacity-Channels")).toHaveTextContent("0 of 500");
    expect(screen.getByText(/No reconciliation has run yet/)).toBeInTheDocument();

    const table = await screen.findByRole("table", { name: "Coaching sessions and their Discord state" });
    expect(within(table).getByRole("columnheader", { name: "Actions" })).toBeInTheDocument();
    const failedRow = within(table).getByText("Amira Student → Sarah Coach").closest("tr")!;
    expect(within(failedRow).getByText("Failed")).toBeInTheDocument();
    expect(within(failedRow).getByText(MISSING_PERMISSIONS)).toBeInTheDocument();
    expect(within(failedRow).getByText("1 failed attempt")).toBeInTheDocument();
    const otherRow = within(table).getByText("Ben Student → John Coach").closest("tr")!;
    expect(within(otherRow).getByText("Discord not configured")).toBeInTheDocument();
    expect(within(otherRow).queryByRole("button", { name: /Retry/ })).not.toBeInTheDocument();

    // Retry asks the server, which explains what to fix first.
    await user.click(within(failedRow).getByRole("button", { name: "Retry Amira Student with Sarah Coach" }));
    expect(await screen.findByText(/Discord is not configured: set DISCORD_BOT_TOKEN/)).toBeInTheDocument();

    // Filter to failed sessions only.
    await user.click(screen.getByRole("combobox", { name: "Discord state" }));
    await user.click(await screen.findByRole("option", { name: "Failed (1)" }));
    await waitFor(() => expect(screen.queryByText("Ben Student → John Coach")).not.toBeInTheDocument());
    expect(screen.getByText("Amira Student → Sarah Coach")).toBeInTheDocument();

    // Sessions that offer no action: no Actions column that would stay empty.
    await user.click(screen.getByRole("combobox", { name: "Discord state" }));
    await user.click(await screen.findByRole("option", { name: /^Discord not configured/ }));
    await waitFor(() => expect(screen.getByText("Ben Student → John Coach")).toBeInTheDocument());
    const unconfigured = screen.getByRole("table", { name: "Coaching sessions and their Discord state" });
    expect(within(unconfigured).queryByRole("columnheader", { name: "Actions" })).not.toBeInTheDocument();
  });

  test("a configured server is described in words, its ids only as secondary detail", async () => {
    vi.stubEnv("DISCORD_BOT_TOKEN", "bot-token");
    vi.stubEnv("DISCORD_GUILD_ID", "112233445566778899");
    vi.stubEnv("DISCORD_BOT_USER_ID", "998877665544332211");
    vi.stubEnv("DISCORD_CATEGORY_ID", "223344556677889900");
    const world = await coachingWorld(newTest());
    renderWithBackend(<DiscordDashboardPage />, { t: world.t, as: world.admin, route: "/manage/discord" });

    const notice = await screen.findByRole("status", { name: "Discord is configured" });
    expect(within(notice).getByText(/private voice channel on your Discord server, in the session category/)).toBeInTheDocument();
    expect(within(notice).getByText(/server ID 112233445566778899 · category ID 223344556677889900/)).toBeInTheDocument();
    expect(within(notice).getByRole("link", { name: /Open the server in Discord/ })).toHaveAttribute(
      "href",
      "https://discord.com/channels/112233445566778899",
    );
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  test("a student cannot open the dashboard's data", async () => {
    const world = await coachingWorld(newTest());
    renderWithBackend(
      <QueryBoundary>
        <DiscordDashboardPage />
      </QueryBoundary>,
      { t: world.t, as: world.amira, route: "/manage/discord" });
    expect(await screen.findByRole("alert")).toHaveTextContent(/not allowed|permission/i);
  });
});
