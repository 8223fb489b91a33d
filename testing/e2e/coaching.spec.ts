import { expect, signIn, test } from "./fixtures";

/**
 * A student books 1:1 coaching and sees it with its Discord state; the coach, watching their
 * schedule in another browser, sees the booking arrive live with the link to its Discord channel.
 */
test("a student books coaching; the coach sees it with its Discord channel", async ({ page, openPage, visit }) => {
  const coach = await openPage("coach");
  await signIn(coach, "John Coach", "/coaching/coach");
  const coachCards = coach.getByRole("article", { name: /^Amira Student, / });
  await expect(coach.getByRole("heading", { name: "Upcoming" })).toBeVisible();
  const cardsBefore = await coachCards.count();
  await visit(coach, "coach schedule");

  await signIn(page, "Amira Student", "/coaching");
  await expect(page.getByRole("heading", { name: "Book a session" })).toBeVisible();
  const myBookings = page.getByRole("article", { name: /^1:1 Career Coaching with John Coach, / });
  // Count only once the student's sessions have loaded (a booking card or the empty state shows).
  await expect(myBookings.or(page.getByText("No upcoming coaching sessions")).first()).toBeVisible();
  const bookingsBefore = await myBookings.count();
  await page.getByRole("combobox", { name: "Coach" }).click();
  await page.getByRole("option", { name: "John Coach" }).click();
  await visit(page, "booking");

  const freeDay = page.getByRole("group", { name: "Days" }).getByRole("button", { name: /, \d+ free$/ }).first();
  await freeDay.click();
  // A free time's button ("6:00 PM with John Coach"), not a booked session's ("Move the session with John Coach").
  await page.getByRole("region", { name: /^Free times on / }).getByRole("button", { name: / with John Coach$/ }).first().click();
  const dialog = page.getByRole("dialog", { name: "Confirm your booking" });
  await dialog.getByLabel("Notes for your coach (optional)").fill("Mock interview for a frontend role.");
  await visit(page, "confirm booking");
  await dialog.getByRole("button", { name: "Book session" }).click();
  await expect(dialog).toBeHidden();

  await expect(myBookings).toHaveCount(bookingsBefore + 1);
  // The new booking tells the student where its private Discord channel stands.
  for (const booking of await myBookings.all()) await expect(booking).toContainText("Discord");
  await visit(page, "booked");

  await expect(coachCards).toHaveCount(cardsBefore + 1);
  if (await page.getByText("Discord not configured").first().isVisible()) {
    // A deployment without the DISCORD_* variables: the booking stands, and both sides are told so.
    await expect(coachCards.filter({ hasText: "Discord not configured" }).first()).toBeVisible();
    await visit(coach, "coach sees booking");
    return;
  }
  // Every one of Amira's sessions with John gets its channel (made at booking time by the stand-in,
  // whose lead time covers every bookable slot), and a link to it.
  await expect(coach.getByRole("link", { name: "Open in Discord: the session with Amira Student" })).toHaveCount(cardsBefore + 1, { timeout: 30_000 });
  const link = coach.getByRole("link", { name: "Open in Discord: the session with Amira Student" }).first();
  await expect(link).toHaveAttribute("href", /^https:\/\/discord\.com\/channels\/\d+\/\d+$/);
  await visit(coach, "coach sees booking");
});
