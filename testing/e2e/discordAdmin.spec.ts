import { expect, signIn, test } from "./fixtures";

/** An admin runs Discord cleanup of finished sessions and a reconciliation, and reads its report. */
test("an admin runs Discord cleanup and reconciliation", async ({ page, visit }) => {
  await signIn(page, "Adam Admin", "/manage/discord");
  await expect(page.getByRole("heading", { name: "Discord", level: 1 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Last reconciliation" })).toBeVisible();
  await visit(page, "discord");

  await page.getByRole("button", { name: "Clean up all finished" }).click();
  const confirm = page.getByRole("dialog", { name: "Clean up all finished sessions?" });
  await visit(page, "confirm cleanup");
  await confirm.getByRole("button", { name: "Clean up" }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByText(/^(Nothing to clean up|Cleanup started for \d+ sessions?)/)).toBeVisible();
  await visit(page, "cleanup started");

  const reconcile = page.getByRole("button", { name: "Run reconciliation" });
  if (await reconcile.isDisabled()) {
    // A deployment without the DISCORD_* variables says so and offers nothing to run.
    await expect(page.getByText("Discord is not configured")).toBeVisible();
    return;
  }
  await reconcile.click();
  await expect(page.getByText("Reconciliation started; its report appears below when it finishes.")).toBeVisible();
  const report = page.getByRole("region", { name: "Last reconciliation" });
  await expect(report).toContainText("started by an admin", { timeout: 30_000 });
  await expect(report.getByText("Completed", { exact: true })).toBeVisible();
  await expect(report).toContainText(/The server had \d+ roles and \d+ channels\./);
  await visit(page, "reconciliation report");
});
