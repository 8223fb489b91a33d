import { signIn, test } from "./fixtures";

test("smoke", async ({ page, visit }) => {
  await signIn(page, "Amira Student");
  await visit(page, "home");
  await page.goto("/coaching");
  await visit(page, "coaching");
});
