import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { api } from "../../../convex/_generated/api";
import { coachingWorld, DAY, MONDAY, SARAH_MONDAY_9AM } from "../../../convex/model/coaching/fixtures.testing";
import { newTest } from "../../../testing/convex";
import { patchDiscordSpace } from "../../../convex/model/notifications/notifications.testkit";
import { renderWithBackend } from "../../test/renderWithBackend";
import { StudentCoachingPage } from "./StudentCoachingPage";
import { bookCoaching } from "./testFixtures";
import { freezeClockAt } from "../../test/clock";

// Monday 2 March 2026, 08:00 UTC. Amira lives in Dubai (UTC+4): Sarah's 09:00 in London is 13:00
// for her, the first free time of the day. No DISCORD_* variables are set in tests.
freezeClockAt(MONDAY);

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
    // Sarah works weekdays only: the weekend says there are no times, not that it is "Full".
    expect(screen.getByRole("button", { name: "Sat, Mar 7, no free times" })).toHaveTextContent("No times");
    expect(screen.queryByText("Full")).not.toBeInTheDocument();
    // The date field reads like the rest of the app, not the browser's 03/02/2026.
    expect(screen.getByRole("textbox", { name: "Show free times from" })).toHaveValue("Mon, Mar 2, 2026");
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

  test("a booking whose Discord channel is created days ahead says when, not that it is being prepared", async () => {
    const world = await coachingWorld(newTest());
    const startTime = SARAH_MONDAY_9AM + 7 * DAY;
    const sessionId = await bookCoaching(world, { student: world.amira, coach: world.sarah, startTime });
    // As on a deployment with Discord: the channel is created a day before the session.
    await patchDiscordSpace(world.t, sessionId, { state: "pending", nextAttemptAt: startTime - DAY });
    renderWithBackend(<StudentCoachingPage />, { t: world.t, as: world.amira, route: "/coaching" });

    const booking = await screen.findByRole("article", { name: /with Sarah Coach/ });
    // Sunday 8 March, 09:00 UTC is 1:00 PM in Amira's Dubai.
    expect(within(booking).getByTestId("provisioning-state")).toHaveTextContent(
      /^Your private Discord channel will be set up on Sun, Mar 8, 2026, 1:00 PM$/,
    );
    expect(within(booking).queryByText(/Preparing/)).not.toBeInTheDocument();
  });

  test("a slot taken by someone else meanwhile is refused with a message to pick another time", async () => {
    const world = await coachingWorld(newTest());
    const { user } = renderWithBackend(<StudentCoachingPage />, { t: world.t, as: world.amira, route: "/coaching" });

    await chooseCoach(user, "Sarah Coach");
    const [first] = await screen.findAllByRole("button", { name: /with Sarah Coach$/ });
    await user.click(first);
    const dialog = await screen.findByRole("dialog", { name: "Confirm your booking" });
    // Ben books the same time while Amira looks at the dialog; her screen has not refreshed yet.
    await bookCoaching(world, { student: world.ben, coach: world.sarah, startTime: SARAH_MONDAY_9AM });
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

  test("a student sees the policy and the sessions left before confirming, books, and moves the booking to another time", async () => {
    const world = await coachingWorld(newTest());
    await world.admin.as.mutation(api.coaching.setPolicy, {
      coachingProductId: world.coachingProductId,
      policy: { bufferBeforeMinutes: 0, bufferAfterMinutes: 0, minimumNoticeHours: 0, bookingHorizonDays: 60, cancellationWindowHours: 2 },
    });
    const access = await world.t.run((ctx) =>
      ctx.db
        .query("productAccess")
        .withIndex("by_studentId_and_productId", (q) => q.eq("studentId", world.amira.userId).eq("productId", world.productId))
        .first(),
    );
    await world.admin.as.mutation(api.coaching.setSessionAllowanceOfAccess, { accessId: access!._id, allowance: 4 });
    const { user } = renderWithBackend(<StudentCoachingPage />, { t: world.t, as: world.amira, route: "/coaching" });

    expect(await screen.findByTestId("allowance")).toHaveTextContent("4 of 4 sessions left");
    expect(screen.getByTestId("booking-rules")).toHaveTextContent(
      "Book any time before the start, up to 60 days ahead. You can cancel or move it yourself until 2 hours before it starts.",
    );
    await chooseCoach(user, "Sarah Coach");
    const freeTimes = await screen.findByRole("region", { name: /^Free times on Monday/ });
    // 11:00 London is 3:00 PM in Dubai; Amira may change it herself until 09:00 London.
    await user.click(await within(freeTimes).findByRole("button", { name: "3:00 PM with Sarah Coach" }));
    const dialog = await screen.findByRole("dialog", { name: "Confirm your booking" });
    expect(within(dialog).getByText("You can cancel or move it yourself until 2 hours before it starts.", { exact: false })).toBeInTheDocument();
    expect(within(dialog).getByText("This booking uses 1 of your 4 remaining sessions.")).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Book session" }));
    await waitFor(() => expect(screen.getByTestId("allowance")).toHaveTextContent("3 of 4 sessions left"));

    // Move it to 13:00 London (5:00 PM in Dubai) the same day.
    const mine = screen.getByRole("region", { name: "My coaching sessions" });
    const booking = await within(mine).findByRole("article", { name: /with Sarah Coach/ });
    expect(within(booking).getByText(/You can cancel or move it yourself until/)).toBeInTheDocument();
    await user.click(within(booking).getByRole("button", { name: "Move the session with Sarah Coach" }));
    const move = await screen.findByRole("dialog", { name: "Move this session" });
    const times = within(move).getByRole("region", { name: /^Free times on Monday/ });
    await user.click(await within(times).findByRole("button", { name: "5:00 PM" }));
    await user.click(within(move).getByRole("button", { name: "Move to 5:00 PM" }));
    await waitFor(() => expect(screen.queryByRole("dialog", { name: "Move this session" })).not.toBeInTheDocument());
    const [stored] = await world.amira.as.query(api.coaching.myBookings, { now: Date.now(), scope: "upcoming" });
    expect(stored).toMatchObject({ startTime: SARAH_MONDAY_9AM + 4 * 60 * 60_000, rescheduleCount: 1 });
    expect(await within(mine).findByText("Moved once")).toBeInTheDocument();
  });
});
