import { expect, signIn, test } from "./fixtures";
import { recordTestVideo } from "./testVideo";

/** Staff publish an expert session with a video for a product; a student of it watches it to the end. */
test("staff publish an expert session with a video and a student watches it to completion", async ({ page, openPage, visit }, testInfo) => {
  const title = `Negotiating your first offer (${testInfo.project.name} ${Date.now()})`;
  await signIn(page, "Adam Admin", "/manage/expert-sessions");
  await expect(page.getByRole("heading", { name: "Expert sessions", level: 1 })).toBeVisible();
  await visit(page, "expert sessions");
  const video = await recordTestVideo(page, 3);

  await page.goto("/manage/expert-sessions/new");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Description").fill("How to answer the first number, and what to ask for besides salary.");
  await page.getByRole("combobox", { name: "Products" }).click();
  await page.getByRole("option", { name: "Interview Prep Library" }).click();
  await page.keyboard.press("Escape");
  await page.locator("input[type=file][accept='video/*']").setInputFiles({ name: "negotiation.webm", mimeType: "video/webm", buffer: video });
  await expect(page.getByText(/^Uploaded negotiation\.webm \(/)).toBeVisible();
  await page.getByRole("switch", { name: "Visible to students" }).check();
  await visit(page, "new expert session");
  await page.getByRole("button", { name: "Create expert session" }).click();
  await expect(page).toHaveURL(/\/manage\/expert-sessions$/);
  await expect(page.getByText(title).first()).toBeVisible();
  await visit(page, "published");

  const student = await openPage("student");
  await signIn(student, "Ben Student", "/expert-sessions");
  const card = student.getByRole("article", { name: title });
  await expect(card).toBeVisible();
  await visit(student, "student's expert sessions");
  await card.getByRole("link").last().click();
  const player = student.getByRole("region", { name: `Video: ${title}` }).or(student.getByLabel(`Video: ${title}`));
  await expect(player).toBeVisible();
  await visit(student, "player");
  await player.evaluate((element) => void (element as HTMLVideoElement).play());
  await expect(student.getByText("Completed", { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(student.getByRole("progressbar", { name: "100% watched" })).toBeVisible();
  await visit(student, "watched");
});
