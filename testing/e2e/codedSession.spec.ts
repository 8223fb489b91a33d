import { dataTable, expect, signIn, test } from "./fixtures";

/** A lecturer opens a coded session and watches a student, in another browser, join it live. */
test("a lecturer opens a coded session and sees a student join live", async ({ page, openPage, visit }, testInfo) => {
  const title = `Live SQL clinic (${testInfo.project.name} ${Date.now()})`;
  await signIn(page, "Leo Lecturer", "/teach/coded-sessions");
  await expect(page.getByRole("heading", { name: "Coded sessions", level: 1 })).toBeVisible();
  await visit(page, "coded sessions");
  await page.getByRole("button", { name: "Create session" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Create session" });
  await dialog.getByLabel("Title").fill(title);
  await dialog.getByLabel("Description").fill("Bring your laptop: we write joins together.");
  await visit(page, "create session");
  await dialog.getByRole("button", { name: "Create session" }).click();

  await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  const code = (await page.getByTestId("join-code").innerText()).trim();
  expect(code).toMatch(/^[A-Z0-9]{3}-[A-Z0-9]{3}$/);
  await expect(page.getByRole("heading", { name: /^Participants/ })).toBeVisible();
  await expect(page.getByText("Nobody has joined yet")).toBeVisible();
  await visit(page, "session with code");

  const student = await openPage("student");
  await signIn(student, "Ben Student", "/join");
  // Typed as people do: lower case, no dash.
  await student.getByLabel("Join code").fill(code.replace("-", "").toLowerCase());
  await visit(student, "join");
  await student.getByRole("button", { name: "Find session" }).click();
  const found = student.getByRole("region", { name: "Session found" });
  await expect(found.getByRole("heading", { name: title })).toBeVisible();
  await expect(found).toContainText("Leo Lecturer");
  await visit(student, "session found");
  await found.getByRole("button", { name: "Join session" }).click();
  await expect(student.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  await visit(student, "joined");

  // The lecturer's page updates by itself.
  await expect(page.getByRole("heading", { name: "Participants (1)" })).toBeVisible();
  await expect(dataTable(page, "Participants")).toContainText("Ben Student");
  await visit(page, "participant arrived");
});
