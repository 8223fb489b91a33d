import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { api } from "../../../convex/_generated/api";
import { coachingWorld, JOHN_MONDAY_9AM, MONDAY } from "../../../convex/model/coaching/fixtures.testing";
import { newTest, seedUser } from "../../../testing/convex";
import { renderWithBackend } from "../../test/renderWithBackend";
import { CoachDetailPage, CoachesPage, formatHours } from "./CoachesPage";
import { bookCoaching } from "./testFixtures";
import { clickWhenEnabled } from "../../test/interactions";
import { freezeClockAt } from "../../test/clock";

// Monday 2 March 2026, 08:00 UTC; John coaches from New York, Sarah from London, both weekdays 09:00–17:00.
freezeClockAt(MONDAY);

describe("Coaches (staff)", () => {
  test("lists every coach with their weekly hours and Discord link, and flags a coach nobody can book", async () => {
    const world = await coachingWorld(newTest(), { discordIds: { john: "100000000000000001" } });
    await seedUser(world.t, { roles: ["coach"], name: "Olga Coach", email: "olga@example.com" });
    renderWithBackend(<CoachesPage />, { t: world.t, as: world.admin, route: "/manage/coaches" });

    const table = await screen.findByRole("table", { name: "Coaches" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((row) => within(row).getByRole("link").textContent)).toEqual(["John Coach", "Olga Coach", "Sarah Coach"]);
    expect(within(rows[0]).getByText("Mon, Tue, Wed, Thu, Fri · 40 h a week")).toBeInTheDocument();
    expect(within(rows[0]).getByText("America/New York")).toBeInTheDocument();
    expect(within(rows[0]).getByText("Linked")).toBeInTheDocument();
    expect(within(rows[1]).getByText("No hours published: students cannot book this coach.")).toBeInTheDocument();
    expect(within(rows[1]).getByText("Not linked")).toBeInTheDocument();
    expect(within(rows[0]).getByRole("link", { name: "John Coach" })).toHaveAttribute("href", `/manage/coaches/${world.john.userId}`);
  });

  test("an admin sets the first weekly hours of a new coach in the coach's own time zone", async () => {
    const world = await coachingWorld(newTest());
    const olga = await seedUser(world.t, { roles: ["coach"], name: "Olga Coach", timeZone: "Asia/Tokyo" });
    const { user } = renderWithBackend(<CoachDetailPage />, {
      t: world.t,
      as: world.admin,
      route: `/manage/coaches/${olga.userId}`,
      path: "/manage/coaches/:coachId",
    });

    expect(await screen.findByRole("heading", { name: "Olga Coach" })).toBeInTheDocument();
    await user.click(screen.getByRole("tab", { name: "Weekly hours" }));
    expect(await screen.findByText("Olga Coach has not published any hours yet. Students cannot book them until hours are saved.")).toBeInTheDocument();
    expect(screen.getByRole("combobox", { name: "Time zone of these hours" })).toHaveValue("Asia/Tokyo");

    const tuesday = screen.getByRole("group", { name: "Tuesday" });
    await user.click(within(tuesday).getByRole("button", { name: "Add hours on Tuesday" }));
    fireEvent.change(within(tuesday).getByLabelText("Tuesday, hours 1: from"), { target: { value: "10:00" } });
    fireEvent.change(within(tuesday).getByLabelText("Tuesday, hours 1: until"), { target: { value: "12:30" } });
    await clickWhenEnabled(user, screen.getByRole("button", { name: "Save availability" }));

    await waitFor(() => expect(screen.getByRole("button", { name: "Save availability" })).toBeDisabled());
    expect(await world.admin.as.query(api.coachingAvailability.ofCoach, { coachId: olga.userId })).toEqual({
      coachId: olga.userId,
      timeZone: "Asia/Tokyo",
      windows: [{ weekday: 2, startMinute: 10 * 60, endMinute: 12 * 60 + 30 }],
    });
  });

  test("staff who may read but not manage coaching see a coach's schedule and read-only hours", async () => {
    const world = await coachingWorld(newTest());
    const manager = await seedUser(world.t, { roles: ["enrollment_manager"] });
    await bookCoaching(world, { student: world.amira, coach: world.john, startTime: JOHN_MONDAY_9AM });
    const { user } = renderWithBackend(<CoachDetailPage />, {
      t: world.t,
      as: manager,
      route: `/manage/coaches/${world.john.userId}`,
      path: "/manage/coaches/:coachId",
    });

    const today = await screen.findByRole("region", { name: "Today" });
    expect(await within(today).findByRole("article", { name: /^Amira Student/ })).toBeInTheDocument();
    await user.click(screen.getByRole("tab", { name: "Weekly hours" }));
    expect(await screen.findByText("In John Coach's time zone, America/New York.")).toBeInTheDocument();
    expect(screen.getByText("Saturday").nextSibling).toHaveTextContent("Not available");
    expect(screen.getByText("Monday").nextSibling).toHaveTextContent("09:00–17:00");
    expect(screen.queryByRole("button", { name: "Save availability" })).not.toBeInTheDocument();
  });

  test("staff see the bookings inside a coach's time off; coaching managers add time off for the coach, readers only read", async () => {
    const world = await coachingWorld(newTest());
    const manager = await seedUser(world.t, { roles: ["enrollment_manager"] });
    await bookCoaching(world, { student: world.amira, coach: world.john, startTime: JOHN_MONDAY_9AM });
    const { user, unmount } = renderWithBackend(<CoachDetailPage />, {
      t: world.t,
      as: world.admin,
      route: `/manage/coaches/${world.john.userId}`,
      path: "/manage/coaches/:coachId",
    });
    await user.click(await screen.findByRole("tab", { name: "Date overrides" }));
    await user.click(await screen.findByRole("button", { name: /^Monday, March 2, 2026$/ }));
    await user.click(screen.getByRole("button", { name: "Add time off" }));
    const inside = await screen.findByRole("region", { name: "Bookings inside John Coach's time off" });
    expect(within(inside).getByText(/Amira Student/)).toBeInTheDocument();
    expect((await world.john.as.query(api.coachingAvailability.overrides, { fromDate: "2026-03-02", days: 1 }))[0]).toMatchObject({
      kind: "time_off",
      timeZone: "America/New_York",
    });
    unmount();

    const reader = renderWithBackend(<CoachDetailPage />, {
      t: world.t,
      as: manager,
      route: `/manage/coaches/${world.john.userId}`,
      path: "/manage/coaches/:coachId",
    });
    await reader.user.click(await screen.findByRole("tab", { name: "Date overrides" }));
    const listed = await screen.findByRole("region", { name: "Bookings inside John Coach's time off" });
    expect(within(listed).getByText(/Amira Student/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Add time off" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /^Remove Time off/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Save booking limits" })).not.toBeInTheDocument();
  });

  test("an unknown coach id says so and links back", async () => {
    const world = await coachingWorld(newTest());
    renderWithBackend(<CoachDetailPage />, {
      t: world.t,
      as: world.admin,
      route: `/manage/coaches/${world.amira.userId}`,
      path: "/manage/coaches/:coachId",
    });
    expect(await screen.findByText("Coach not found")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Back to coaches" })).toHaveAttribute("href", "/manage/coaches");
  });
});

test("weekly minutes read as hours", () => {
  expect(formatHours(45)).toBe("45 min");
  expect(formatHours(2400)).toBe("40 h");
  expect(formatHours(90)).toBe("1 h 30 min");
});
