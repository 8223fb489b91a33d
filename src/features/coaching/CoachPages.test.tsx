import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api } from "../../../convex/_generated/api";
import { coachingWorld, JOHN_MONDAY_9AM, MONDAY, WEEKDAYS_9_TO_5 } from "../../../convex/model/coaching/fixtures.testing";
import { newTest } from "../../../testing/convex";
import { renderWithBackend } from "../../test/renderWithBackend";
import { AvailabilityPage } from "./AvailabilityPage";
import { CoachSessionsPage } from "./CoachSessionsPage";

// Monday 2 March 2026, 08:00 UTC; John coaches from New York (UTC−5), Monday–Friday 09:00–17:00.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(MONDAY);
});
afterEach(() => vi.useRealTimers());

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
    await world.amira.as.mutation(api.coaching.book, {
      coachingProductId: world.coachingProductId,
      coachId: world.john.userId,
      startTime: JOHN_MONDAY_9AM,
    });
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
    const sessionId = await world.amira.as.mutation(api.coaching.book, {
      coachingProductId: world.coachingProductId,
      coachId: world.john.userId,
      startTime: JOHN_MONDAY_9AM,
    });
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
