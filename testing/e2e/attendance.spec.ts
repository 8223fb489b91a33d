import { dataCell, dataRows, dataTable, expect, signIn, test } from "./fixtures";

/** A mentor marks attendance of a past session and reads it in the attendance report. */
test("a mentor marks attendance and reads the report", async ({ page, visit }) => {
  await signIn(page, "Maya Mentor", "/teach/success-sessions");
  await expect(page.getByRole("heading", { name: "My sessions", level: 1 })).toBeVisible();
  await visit(page, "my sessions");
  await page.getByRole("radiogroup", { name: "Which sessions" }).getByText("Past").click();
  await page.getByRole("button", { name: "Attendees of Kick-off retrospective" }).click();
  const attendees = dataTable(page, "Attendees of Kick-off retrospective");
  const amira = attendees.getByRole("combobox", { name: "Attendance of Amira Student" });
  await expect(amira).toBeVisible();
  // Change Amira's mark to the other of present / late, so the report must change.
  const next = (await amira.inputValue()) === "Late" ? "Present" : "Late";
  await amira.click();
  await page.getByRole("option", { name: next, exact: true }).click();
  await expect(amira).toHaveValue(next);
  await visit(page, "attendance marked");

  await page.goto("/teach/attendance");
  await expect(page.getByRole("heading", { name: "Attendance report", level: 1 })).toBeVisible();
  const row = dataRows(dataTable(page, "Students")).filter({ hasText: "Amira Student" });
  await expect(row).toBeVisible();
  await expect(dataCell(row, "Late")).toHaveText(next === "Late" ? "1" : "0");
  await expect(dataTable(page, "Sessions")).toContainText("Kick-off retrospective");
  await visit(page, "attendance report");
});
