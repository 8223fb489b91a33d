import type { Locator } from "@playwright/test";
import { dataTable, expect, isPhone, signIn, test, type Page } from "./fixtures";

/** Picks `option` in the select labelled `label` inside `scope` (its options open on the page). */
async function choose(page: Page, scope: Locator, label: string, option: string | RegExp) {
  await scope.getByRole("combobox", { name: label }).click();
  await page.getByRole("option", { name: option, exact: typeof option === "string" }).first().click();
}

/**
 * A start 3 to 60 days ahead on the quarter hour, as a date input (yyyy-mm-dd in the browser's zone)
 * and a time input take it: between 08:00 and 12:45 at desktop size, between 14:00 and 18:45 on a
 * phone, so the two sizes' hour-long sessions never overlap, and none meets the seeded sessions of
 * the mentor (the next two days). Random, so that runs after one another against a real deployment
 * are unlikely to book the mentor twice at the same time.
 */
function randomStart(phone: boolean): { date: string; time: string } {
  const pick = (count: number) => Math.floor(Math.random() * count);
  const date = new Date(Date.now() + (3 + pick(58)) * 24 * 60 * 60 * 1000);
  const pad = (value: number) => String(value).padStart(2, "0");
  return {
    date: `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`,
    time: `${pad((phone ? 14 : 8) + pick(5))}:${pad(15 * pick(4))}`,
  };
}

/**
 * Staff schedule a weekly success session for a course's unbatched students; an unbatched student
 * of that course sees it, a student of one of its batches does not.
 */
test("staff schedule a recurring success session that only its audience sees", async ({ page, openPage, visit }, testInfo) => {
  const title = `Portfolio review circle (${testInfo.project.name} ${Date.now()})`;
  await signIn(page, "Adam Admin", "/manage/success-sessions");
  await expect(page.getByRole("heading", { name: "Success sessions", level: 1 })).toBeVisible();
  await visit(page, "success sessions");

  await page.getByRole("button", { name: "Schedule session" }).click();
  const dialog = page.getByRole("dialog", { name: "Schedule session" });
  await dialog.getByLabel("Title").fill(title);
  await dialog.getByLabel("Description").fill("Bring one project; we review it together.");
  await choose(page, dialog, "Course", "Full-Stack Web Development");
  await choose(page, dialog, "Audience", "Unbatched students");
  await choose(page, dialog, "Mentor", "Maya Mentor");
  const start = randomStart(isPhone(testInfo));
  await dialog.getByLabel("Date").fill(start.date);
  await dialog.getByLabel("Start time").fill(start.time);
  await dialog.getByLabel("Meeting link").fill("https://zoom.us/j/123456789");
  await choose(page, dialog, "Repeat", /weekly/i);
  await dialog.getByLabel("Occurrences").fill("3");
  await expect(dialog.getByText(/^3 sessions, from/)).toBeVisible();
  await visit(page, "schedule form");
  await dialog.getByRole("button", { name: /^Schedule/ }).click();
  await expect(dialog).toBeHidden();
  await expect(dataTable(page, "Success sessions").getByText(title).first()).toBeVisible();
  await visit(page, "scheduled");

  const unbatched = await openPage("unbatched student");
  await signIn(unbatched, "Ben Student", "/sessions");
  await expect(unbatched.getByText(title).first()).toBeVisible();
  await visit(unbatched, "unbatched student sees it");

  const batched = await openPage("batched student");
  await signIn(batched, "Amira Student", "/sessions");
  await expect(batched.getByRole("heading", { name: "Next session" })).toBeVisible();
  await expect(batched.getByText("Loading your sessions…")).toHaveCount(0);
  await expect(batched.getByText(title)).toHaveCount(0);
  await visit(batched, "batched student does not");
});
