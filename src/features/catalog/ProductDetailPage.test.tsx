import { screen, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import type { Id } from "../../../convex/_generated/dataModel";
import { newTest, seedProduct, seedUser, type TestBackend } from "../../../testing/convex";
import { renderWithBackend, type SignedInAs } from "../../test/renderWithBackend";
import { ProductDetailPage } from "./ProductDetailPage";

/** The product's page at `/manage/products/<productId>`, signed in as `as`. */
function renderProductPage(t: TestBackend, as: SignedInAs, productId: Id<"products">) {
  return renderWithBackend(<ProductDetailPage />, { t, as, route: `/manage/products/${productId}`, path: "/manage/products/:productId" });
}

describe("Product access", () => {
  test("an enrollment manager grants access by email and revokes it after confirming", async () => {
    const t = newTest();
    const manager = await seedUser(t, { roles: ["enrollment_manager"] });
    const student = await seedUser(t, { roles: ["student"], name: "Priya Patel", email: "priya@example.com" });
    const productId = await seedProduct(t, "Job Readiness Programme", "job_readiness");
    const { user } = renderProductPage(t, manager, productId);

    expect(await screen.findByText("No student has access yet")).toBeInTheDocument();
    await user.click(screen.getAllByRole("button", { name: "Grant access" })[0]);
    const dialog = await screen.findByRole("dialog", { name: "Grant access to Job Readiness Programme" });
    await user.type(within(dialog).getByLabelText("Student email"), "priya@example.com{Enter}");
    await within(dialog).findByText("Found Priya Patel (priya@example.com).");
    await user.click(within(dialog).getByRole("button", { name: "Grant access" }));

    const table = await screen.findByRole("table", { name: "Access to Job Readiness Programme" });
    expect(within(table).getByText("Priya Patel")).toBeInTheDocument();
    const granted = await t.run((ctx) =>
      ctx.db.query("productAccess").withIndex("by_studentId_and_productId", (q) => q.eq("studentId", student.userId)).unique(),
    );
    expect(granted?.status).toBe("active");

    await user.click(within(table).getByRole("button", { name: "Revoke access of Priya Patel" }));
    const confirm = await screen.findByRole("dialog", { name: "Revoke Priya Patel's access?" });
    await user.click(within(confirm).getByRole("button", { name: "Revoke" }));
    expect(await screen.findByText("No student has access yet")).toBeInTheDocument();

    await user.click(screen.getByText("Revoked"));
    expect(await screen.findByText("Priya Patel")).toBeInTheDocument();
  });

  test("a product that does not exist says so", async () => {
    const t = newTest();
    const admin = await seedUser(t, { roles: ["admin"] });
    const productId = await seedProduct(t, "Gone", "other");
    await t.run((ctx) => ctx.db.delete("products", productId));
    renderProductPage(t, admin, productId);
    expect(await screen.findByRole("alert")).toHaveTextContent("This product does not exist.");
  });

  test("on a coaching product, an enrollment manager gives a student a package of 4 sessions and sees how many are used", async () => {
    const t = newTest();
    const manager = await seedUser(t, { roles: ["enrollment_manager"] });
    const student = await seedUser(t, { roles: ["student"], name: "Priya Patel", email: "priya@example.com" });
    const productId = await seedProduct(t, "1:1 Coaching", "coaching", [student.userId]);
    const { user } = renderProductPage(t, manager, productId);
    const table = await screen.findByRole("table", { name: "Access to 1:1 Coaching" });
    expect(await within(table).findByText("Unlimited · 0 used")).toBeInTheDocument();
    await user.click(within(table).getByRole("button", { name: "Change coaching sessions of Priya Patel" }));
    const dialog = await screen.findByRole("dialog", { name: "Coaching sessions of Priya Patel" });
    await user.click(within(dialog).getByRole("textbox", { name: /Sessions included/ }));
    await user.paste("4");
    await user.click(within(dialog).getByRole("button", { name: "Save" }));
    expect(await within(table).findByText("0 of 4 used")).toBeInTheDocument();
    const access = await t.run((ctx) =>
      ctx.db.query("productAccess").withIndex("by_studentId_and_productId", (q) => q.eq("studentId", student.userId)).unique(),
    );
    expect(access?.coachingSessionAllowance).toBe(4);
  });
});
