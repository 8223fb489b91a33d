import { screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api } from "../../../convex/_generated/api";
import { coachingWorld, MONDAY, SARAH_MONDAY_9AM } from "../../../convex/model/coaching/fixtures.testing";
import { newTest } from "../../../testing/convex";
import { renderWithBackend } from "../../test/renderWithBackend";
import { StudentCoachingPage } from "./StudentCoachingPage";

// Monday 2 March 2026, 08:00 UTC. Amira lives in Dubai (UTC+4): Sarah's 09:00 in London is 13:00
// for her, the first free time of the day. No DISCORD_* variables are set in tests.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(MONDAY);
});
afterEach(() => vi.useRealTimers());

async function chooseCoach(user: ReturnType<typeof renderWithBackend>["user"], name: string) {
  await user.click(await screen.findByRole("combobox", { name: "Coach" }));
  await user.click(await screen.findByRole("option", { name }));
}

describe("Coaching (student)", () => {
  test("a student books a free slot and sees it in My coaching sessions with state “Discord not configured”", async () => {
    const world = await coachingWorld(newTest());
    const { user } = renderWithBackend(<StudentCoachingPage />, { t: world.t, as: world.amira, route: "/coaching" });

    const mine = await screen.findByRole("region", { name: "My coaching sessions" });
    expect(await within(mine).findByText("No upcoming coaching sessions")).toBeInTheDocument();

    await chooseCoach(user, "Sarah Coach");
    // The day's spoken name starts with its visible text ("Mon, Mar 2"), then how many times are free.
    const day = await screen.findByRole("button", { name: /^Mon, Mar 2, \d+ free$/ });
    expect(day).toHaveAttribute("aria-pressed", "true");
    const freeTimes = screen.getByRole("region", { name: /^Free times on Monday/ });
    const slots = await within(freeTimes).findAllByRole("button", { name: /with Sarah Coach$/ });
    expect(slots[0]).toHaveAccessibleName("1:00 PM with Sarah Coach");
    const slotCount = slots.length;

    await user.click(slots[0]);
    const dialog = await screen.findByRole("dialog", { name: "Confirm your booking" });
    await user.click(within(dialog).getByLabelText(/Notes for your coach/));
    await user.paste("Interview practice");
    await user.click(within(dialog).getByRole("button", { name: "Book session" }));

    const booking = await within(mine).findByRole("article", { name: /with Sarah Coach/ });
    expect(within(booking).getByText("Scheduled")).toBeInTheDocument();
    expect(within(booking).getByTestId("provisioning-state")).toHaveTextContent("Discord not configured");
    expect(within(booking).getByRole("button", { name: /^Add to calendar: the session with Sarah Coach/ })).toBeInTheDocument();
    expect(within(booking).queryByRole("link", { name: /in Discord/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("dialog", { name: "Confirm your booking" })).not.toBeInTheDocument();
    // The booked time left the list of free times.
    await waitFor(() => expect(within(freeTimes).getAllByRole("button", { name: /with Sarah Coach$/ })).toHaveLength(slotCount - 1));

    const [stored] = await world.amira.as.query(api.coaching.myBookings, { now: Date.now(), scope: "upcoming" });
    expect(stored).toMatchObject({ startTime: SARAH_MONDAY_9AM, notes: "Interview practice", status: "SCHEDULED" });
    expect(stored.coach.name).toBe("Sarah Coach");

    // Cancelling her own future booking, after confirming.
    await user.click(within(booking).getByRole("button", { name: /^Cancel booking with Sarah Coach/ }));
    const confirm = await screen.findByRole("dialog", { name: "Cancel this booking?" });
    await user.click(within(confirm).getByRole("button", { name: "Yes, cancel it" }));
    await waitFor(() => expect(within(booking).getByText("Cancelled")).toBeInTheDocument());
  });

  test("a slot taken by someone else meanwhile is refused with a message to pick another time", async () => {
    const world = await coachingWorld(newTest());
    const { user } = renderWithBackend(<StudentCoachingPage />, { t: world.t, as: world.amira, route: "/coaching" });

    await chooseCoach(user, "Sarah Coach");
    const [first] = await screen.findAllByRole("button", { name: /with Sarah Coach$/ });
    await user.click(first);
    const dialog = await screen.findByRole("dialog", { name: "Confirm your booking" });
    // Ben books the same time while Amira looks at the dialog; her screen has not refreshed yet.
    await world.ben.as.mutation(api.coaching.book, {
      coachingProductId: world.coachingProductId,
      coachId: world.sarah.userId,
      startTime: SARAH_MONDAY_9AM,
    });
    await user.click(within(dialog).getByRole("button", { name: "Book session" }));

    const alert = await within(dialog).findByRole("alert");
    expect(alert).toHaveTextContent("Sarah Coach already has a session at that time. Pick another slot.");
    expect(within(dialog).getByRole("button", { name: "Pick another time" })).toBeInTheDocument();
    expect(await world.amira.as.query(api.coaching.myBookings, { now: Date.now(), scope: "upcoming" })).toEqual([]);
  });

  test("a student without a coaching product sees the empty state", async () => {
    const world = await coachingWorld(newTest());
    renderWithBackend(<StudentCoachingPage />, { t: world.t, as: world.dev, route: "/coaching" });

    expect(await screen.findByText("You don't have a coaching product yet")).toBeInTheDocument();
    expect(screen.queryByRole("combobox", { name: "Coach" })).not.toBeInTheDocument();
    expect(await screen.findByText("No upcoming coaching sessions")).toBeInTheDocument();
  });
});
