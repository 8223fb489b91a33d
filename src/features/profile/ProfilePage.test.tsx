import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test, vi } from "vitest";
import { newTest, seedUser } from "../../../testing/convex";
import { renderWithBackend } from "../../test/renderWithBackend";
import { browserTimeZone } from "../../lib/time";
import { ProfilePage } from "./ProfilePage";

describe("Profile", () => {
  test("shows the account, roles and Discord link status", async () => {
    const t = newTest();
    const user = await seedUser(t, {
      roles: ["coach", "mentor"],
      name: "Chris Coach",
      email: "chris@example.com",
      discordUserId: "123456789012345678",
    });
    renderWithBackend(<ProfilePage />, { t, as: user, route: "/profile" });

    expect(await screen.findByText("chris@example.com")).toBeInTheDocument();
    const roles = screen.getByRole("list", { name: "Roles:" });
    expect(roles).toHaveTextContent("Mentor");
    expect(roles).toHaveTextContent("Coach");
    const discord = await screen.findByRole("region", { name: "Discord" });
    expect(await within(discord).findByTestId("discord-status")).toHaveTextContent(
      "Your Discord account is linked: coaching sessions give it access to their private voice channel.",
    );
    expect(within(discord).getByText("Discord ID 123456789012345678")).toBeInTheDocument();
  });

  test("a mentor turns the attendance summary emails off; a student sees no such switch", async () => {
    const t = newTest();
    const mentor = await seedUser(t, { roles: ["mentor"] });
    const { user, unmount } = renderWithBackend(<ProfilePage />, { t, as: mentor, route: "/profile" });

    const summarySwitch = await screen.findByRole("switch", { name: /Attendance summary after each session I host/ });
    expect(summarySwitch).toBeChecked();
    await user.click(summarySwitch);
    await waitFor(async () => expect((await t.run((ctx) => ctx.db.get("users", mentor.userId)))?.attendanceSummaryEmails).toBe(false));
    await waitFor(() => expect(screen.getByRole("switch", { name: /Attendance summary/ })).not.toBeChecked());

    unmount();
    const student = await seedUser(t, { roles: ["student"] });
    renderWithBackend(<ProfilePage />, { t, as: student, route: "/profile" });
    expect(await screen.findByRole("heading", { name: "Calendar feed" })).toBeInTheDocument();
    expect(screen.queryByRole("switch", { name: /Attendance summary/ })).toBeNull();
  });

  test("saving a time zone stores it and the page reports it", async () => {
    const t = newTest();
    const person = await seedUser(t, { roles: ["student"] });
    const { user } = renderWithBackend(<ProfilePage />, { t, as: person, route: "/profile" });

    expect(await screen.findByText(/No time zone saved/)).toBeInTheDocument();
    await user.type(screen.getByRole("combobox", { name: "Your time zone" }), "Kolk");
    await user.click(await screen.findByRole("option", { name: "Asia/Kolkata" }));
    await user.click(screen.getByRole("button", { name: "Save" }));

    expect(await screen.findByText(/Times are shown in Asia\/Kolkata\./)).toBeInTheDocument();
    const stored = await t.run((ctx) => ctx.db.get("users", person.userId));
    expect(stored?.timeZone).toBe("Asia/Kolkata");
  });

  test("'use my browser's zone' saves the browser's zone", async () => {
    const t = newTest();
    const person = await seedUser(t, { roles: ["student"], timeZone: "Pacific/Auckland" });
    const { user } = renderWithBackend(<ProfilePage />, { t, as: person, route: "/profile" });

    await user.click(await screen.findByRole("button", { name: /Use my browser's zone/ }));
    expect(await screen.findByText(`Times are shown in ${browserTimeZone()}.`, { exact: false })).toBeInTheDocument();
    const stored = await t.run((ctx) => ctx.db.get("users", person.userId));
    expect(stored?.timeZone).toBe(browserTimeZone());
  });

  test("a browser that reports the old name of the saved zone (Asia/Calcutta) is not offered as a change", async () => {
    const resolved = Intl.DateTimeFormat().resolvedOptions();
    vi.spyOn(Intl.DateTimeFormat.prototype, "resolvedOptions").mockReturnValue({ ...resolved, timeZone: "Asia/Calcutta" });
    const t = newTest();
    const person = await seedUser(t, { roles: ["student"], timeZone: "Asia/Kolkata" });
    renderWithBackend(<ProfilePage />, { t, as: person, route: "/profile" });

    const useBrowserZone = await screen.findByRole("button", { name: "Use my browser's zone (Asia/Kolkata)" });
    expect(useBrowserZone).toBeDisabled();
    expect(screen.getByRole("button", { name: "Save" })).toBeDisabled();
  });
});
