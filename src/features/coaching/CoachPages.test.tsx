import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test, vi } from "vitest";
import { api } from "../../../convex/_generated/api";
import { coachingWorld, JOHN_MONDAY_9AM, MONDAY, WEEKDAYS_9_TO_5 } from "../../../convex/model/coaching/fixtures.testing";
import { newTest } from "../../../testing/convex";
import { renderWithBackend } from "../../test/renderWithBackend";
import { AvailabilityPage } from "./AvailabilityPage";
import { CoachSessionsPage } from "./CoachSessionsPage";
import { bookCoaching } from "./testFixtures";
import { freezeClockAt } from "../../test/clock";

// Monday 2 March 2026, 08:00 UTC; John coaches from New York (UTC−5), Monday–Friday 09:00–17:00.
freezeClockAt(MONDAY);

/** Sets a native time input the way a browser does once a full time is entered. */
function setTime(input: HTMLElement, value: string) {
  fireEvent.change(input, { target: { value } });
}

describe("Availability (coach)", () => {
  test("a coach adds Saturday hours, is stopped by an overlap and an end before the start, then saves", async () => {
    const world = await coachingWorld(newTest());
    const { user } = renderWithBackend(<AvailabilityPage />, { t: world.t, as: world.john, route: "/coaching/availability" });

    const monday = await screen.findByRole("group", { name: "Monday" });
    expect(within(monday).getByLabelText("Monday, hours 1: from")).toHaveValue("09:00");
    expect(within(monday).getByLabelText("Monday, hours 1: until")).toHaveValue("17:00");
    expect(screen.getByRole("combobox", { name: "Time zone of these hours" })).toHaveValue("America/New York");
    const save = screen.getByRole("button", { name: "Save availability" });
    expect(save).toBeDisabled();

    // Saturday: 10:00–12:00, plus a second interval that overlaps it.
    const saturday = screen.getByRole("group", { name: "Saturday" });
    expect(within(saturday).getByText("Not available")).toBeInTheDocument();
    await user.click(within(saturday).getByRole("button", { name: "Add hours on Saturday" }));
    setTime(within(saturday).getByLabelText("Saturday, hours 1: from"), "10:00");
    setTime(within(saturday).getByLabelText("Saturday, hours 1: until"), "12:00");
    await user.click(within(saturday).getByRole("button", { name: "Add hours on Saturday" }));
    expect(within(saturday).getByLabelText("Saturday, hours 2: from")).toHaveValue("12:00");
    setTime(within(saturday).getByLabelText("Saturday, hours 2: from"), "11:30");
    expect(await within(saturday).findByText("Overlaps 10:00–12:00.")).toBeInTheDocument();
    expect(within(saturday).getByLabelText("Saturday, hours 2: from")).toHaveAttribute("aria-invalid", "true");

    // Monday ending before it starts.
    setTime(within(monday).getByLabelText("Monday, hours 1: until"), "08:00");
    expect(await within(monday).findByText("The end must be after the start.")).toBeInTheDocument();

    await user.click(save);
    expect(await screen.findByText("2 intervals need fixing before you can save.")).toBeInTheDocument();
    expect((await world.john.as.query(api.coachingAvailability.mine, {})).windows).toEqual(WEEKDAYS_9_TO_5);

    setTime(within(monday).getByLabelText("Monday, hours 1: until"), "13:00");
    await user.click(within(saturday).getByRole("button", { name: "Remove Saturday, hours 2" }));
    await user.click(save);

    await waitFor(() => expect(screen.getByRole("button", { name: "Save availability" })).toBeDisabled());
    const stored = await world.john.as.query(api.coachingAvailability.mine, {});
    expect(stored.timeZone).toBe("America/New_York");
    expect(stored.windows).toEqual([
      { weekday: 1, startMinute: 9 * 60, endMinute: 13 * 60 },
      ...WEEKDAYS_9_TO_5.slice(1),
      { weekday: 6, startMinute: 10 * 60, endMinute: 12 * 60 },
    ]);
  });
});

describe("Coaching sessions (coach)", () => {
  test("a coach sees today's booking with its student and Discord state, and can cancel it", async () => {
    const world = await coachingWorld(newTest());
    await bookCoaching(world, { student: world.amira, coach: world.john, startTime: JOHN_MONDAY_9AM });
    const { user } = renderWithBackend(<CoachSessionsPage />, { t: world.t, as: world.john, route: "/coaching/coach" });

    const today = await screen.findByRole("region", { name: "Today" });
    const session = await within(today).findByRole("article", { name: /^Amira Student/ });
    expect(within(session).getByTestId("provisioning-state")).toHaveTextContent("Discord not configured");
    expect(within(session).getByText("1:1 Career Coaching · 30 min")).toBeInTheDocument();
    // Starting opens 15 minutes before the session; it is 08:00 UTC and the session is at 14:00 UTC.
    expect(within(session).queryByRole("button", { name: "Start the session with Amira Student" })).not.toBeInTheDocument();
    expect(screen.getByText("No upcoming sessions")).toBeInTheDocument();

    await user.click(within(session).getByRole("button", { name: /^Cancel session with Amira Student/ }));
    const dialog = await screen.findByRole("dialog", { name: "Cancel this session?" });
    await user.click(within(dialog).getByRole("button", { name: "Yes, cancel it" }));
    await waitFor(() => expect(within(session).getByText("Cancelled")).toBeInTheDocument());
    const [stored] = await world.john.as.query(api.coaching.coachSessions, { now: Date.now(), from: MONDAY, days: 1 });
    expect(stored.status).toBe("CANCELLED");
  });

  test("a session from last week that was never completed is flagged under Past sessions and can be completed", async () => {
    const world = await coachingWorld(newTest());
    const sessionId = await bookCoaching(world, { student: world.amira, coach: world.john, startTime: JOHN_MONDAY_9AM });
    vi.setSystemTime(JOHN_MONDAY_9AM + 7 * 24 * 60 * 60_000);
    const { user } = renderWithBackend(<CoachSessionsPage />, { t: world.t, as: world.john, route: "/coaching/coach" });

    const past = await screen.findByRole("region", { name: "Past sessions" });
    expect(await within(past).findByText("1 past session is not completed")).toBeInTheDocument();
    const session = within(past).getByRole("article", { name: /^Amira Student/ });
    await user.click(within(session).getByRole("button", { name: "Complete the session with Amira Student" }));
    const dialog = await screen.findByRole("dialog", { name: "Mark this session as completed?" });
    await user.click(within(dialog).getByRole("button", { name: "Complete" }));
    await waitFor(() => expect(within(session).getByText("Completed")).toBeInTheDocument());
    expect(within(past).queryByText(/not completed/)).not.toBeInTheDocument();
    expect((await world.john.as.query(api.coaching.getSession, { now: Date.now(), sessionId })).status).toBe("COMPLETED");
  });
});

describe("No-show and late cancellation (coach)", () => {
  test("a coach marks a student who did not come as a no-show, and a cancellation after the window shows as late", async () => {
    const world = await coachingWorld(newTest());
    await world.admin.as.mutation(api.coaching.setPolicy, {
      coachingProductId: world.coachingProductId,
      policy: { bufferBeforeMinutes: 0, bufferAfterMinutes: 0, minimumNoticeHours: 0, bookingHorizonDays: 180, cancellationWindowHours: 24 },
    });
    await bookCoaching(world, { student: world.amira, coach: world.john, startTime: JOHN_MONDAY_9AM });
    await bookCoaching(world, { student: world.ben, coach: world.john, startTime: JOHN_MONDAY_9AM + 2 * 60 * 60_000 });
    vi.setSystemTime(JOHN_MONDAY_9AM + 10 * 60_000);
    const { user } = renderWithBackend(<CoachSessionsPage />, { t: world.t, as: world.john, route: "/coaching/coach" });

    const today = await screen.findByRole("region", { name: "Today" });
    const amira = await within(today).findByRole("article", { name: /^Amira Student/ });
    await user.click(within(amira).getByRole("button", { name: "Mark Amira Student as no-show" }));
    await user.click(within(await screen.findByRole("dialog", { name: "Mark as no-show?" })).getByRole("button", { name: "Mark no-show" }));
    await waitFor(() => expect(within(amira).getByText("No-show")).toBeInTheDocument());
    expect(within(amira).getByText("Completed")).toBeInTheDocument();

    // Ben's session is in under 24 hours: John's cancellation counts as late, and the dialog says so.
    const ben = within(today).getByRole("article", { name: /^Ben Student/ });
    await user.click(within(ben).getByRole("button", { name: /^Cancel session with Ben Student/ }));
    const dialog = await screen.findByRole("dialog", { name: "Cancel this session?" });
    expect(within(dialog).getByText(/counts as a late cancellation/)).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Yes, cancel it" }));
    await waitFor(() => expect(within(ben).getByText("Late cancellation")).toBeInTheDocument());
  });
});

describe("Date overrides (coach)", () => {
  test("a coach takes a day off on the calendar, sees the booking inside it, adds extra hours and sets booking limits", async () => {
    const world = await coachingWorld(newTest());
    await bookCoaching(world, { student: world.amira, coach: world.john, startTime: JOHN_MONDAY_9AM + 24 * 60 * 60_000 });
    const { user } = renderWithBackend(<AvailabilityPage />, { t: world.t, as: world.john, route: "/coaching/availability" });

    const tuesday = await screen.findByRole("button", { name: /^Tuesday, March 3, 2026$/ });
    await user.click(tuesday);
    expect(screen.getByText(/^Picked: Tue, Mar 3$/)).toBeInTheDocument();
    expect(screen.getByRole("checkbox", { name: "The whole day" })).toBeChecked();
    await user.click(screen.getByRole("textbox", { name: "Note (optional)" }));
    await user.paste("Sick day");
    await user.click(screen.getByRole("button", { name: "Add time off" }));

    // The booking stays, and is listed as inside the time off.
    const affected = await screen.findByRole("alert", { name: /Bookings inside your new time off/ });
    expect(within(affected).getByText(/Amira Student/)).toBeInTheDocument();
    const standing = await screen.findByRole("region", { name: "Bookings inside your time off" });
    expect(within(standing).getByText(/Amira Student/)).toBeInTheDocument();
    const upcoming = screen.getByRole("region", { name: "Upcoming date overrides" });
    expect(await within(upcoming).findByText("Time off on Tuesday, March 3, 2026, whole day · Sick day")).toBeInTheDocument();
    expect(await screen.findByRole("button", { name: "Tuesday, March 3, 2026, time off" })).toBeInTheDocument();
    const [session] = await world.john.as.query(api.coaching.coachSessions, { now: Date.now(), from: MONDAY + 24 * 60 * 60_000, days: 1 });
    expect(session.status).toBe("SCHEDULED");

    // Extra hours on Saturday; an end before the start is refused before anything is sent.
    await user.click(screen.getByRole("button", { name: "Saturday, March 7, 2026" }));
    await user.click(screen.getByRole("radio", { name: "Extra hours" }));
    setTime(screen.getByLabelText("From"), "12:00");
    setTime(screen.getByLabelText("Until"), "10:00");
    await user.click(screen.getByRole("button", { name: "Add extra hours" }));
    expect(await screen.findByText("The end must be after the start.")).toBeInTheDocument();
    setTime(screen.getByLabelText("Until"), "14:00");
    await user.click(screen.getByRole("button", { name: "Add extra hours" }));
    expect(await within(upcoming).findByText("Extra hours on Saturday, March 7, 2026, 12:00–14:00")).toBeInTheDocument();
    const stored = await world.john.as.query(api.coachingAvailability.overrides, { fromDate: "2026-03-01", days: 14 });
    expect(stored.map((override) => [override.date, override.kind, override.startMinute, override.endMinute, override.timeZone])).toEqual([
      ["2026-03-03", "time_off", 0, 1440, "America/New_York"],
      ["2026-03-07", "extra_hours", 720, 840, "America/New_York"],
    ]);

    // Removing the time off takes the booking off the list.
    await user.click(within(upcoming).getByRole("button", { name: "Remove Time off on Tuesday, March 3, 2026" }));
    await waitFor(() => expect(screen.queryByRole("region", { name: "Bookings inside your time off" })).not.toBeInTheDocument());

    // Booking limits (their bounds are the server's; the fields clamp to them).
    const limits = screen.getByRole("region", { name: "Your booking limits" });
    const after = within(limits).getByRole("textbox", { name: "Free minutes after each session" });
    await user.clear(after);
    await user.paste("15");
    await user.click(within(limits).getByRole("textbox", { name: /Most sessions a day/ }));
    await user.paste("4");
    await user.click(within(limits).getByRole("button", { name: "Save booking limits" }));
    await waitFor(async () =>
      expect(await world.john.as.query(api.coachingAvailability.settings, {})).toEqual({ bufferBeforeMinutes: 0, bufferAfterMinutes: 15, dailyLimit: 4 }),
    );
  });
});
