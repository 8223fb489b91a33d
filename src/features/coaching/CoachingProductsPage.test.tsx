import { screen, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { api } from "../../../convex/_generated/api";
import { newTest, seedProduct, seedUser } from "../../../testing/convex";
import { renderWithBackend } from "../../test/renderWithBackend";
import { CoachingProductsPage } from "./CoachingProductsPage";

describe("Coaching products (admin)", () => {
  test("an admin creates a coaching product on a catalog product with a coach; an active one without coaches is refused", async () => {
    const t = newTest();
    const admin = await seedUser(t, { roles: ["admin"] });
    await seedUser(t, { roles: ["coach"], name: "John Coach" });
    const productId = await seedProduct(t, "Career Coaching", "coaching");
    await seedProduct(t, "Job Readiness", "job_readiness");
    const { user } = renderWithBackend(<CoachingProductsPage />, { t, as: admin, route: "/manage/coaching-products" });

    expect(await screen.findByText("No coaching products yet")).toBeInTheDocument();
    await user.click(screen.getAllByRole("button", { name: "New coaching product" })[0]);
    const dialog = await screen.findByRole("dialog", { name: "New coaching product" });
    await user.click(await within(dialog).findByRole("combobox", { name: /Catalog product/ }));
    // Only catalog products of kind "coaching" are offered.
    expect(screen.queryByRole("option", { name: "Job Readiness" })).not.toBeInTheDocument();
    await user.click(await screen.findByRole("option", { name: "Career Coaching" }));
    expect(within(dialog).getByLabelText(/Title/)).toHaveValue("Career Coaching");

    await user.click(within(dialog).getByRole("button", { name: "Create coaching product" }));
    expect(await within(dialog).findByText("An active coaching product needs at least one coach.")).toBeInTheDocument();

    await user.click(within(dialog).getByRole("combobox", { name: /Coaches/ }));
    await user.click(await screen.findByRole("option", { name: "John Coach" }));
    await user.click(within(dialog).getByRole("button", { name: "Create coaching product" }));

    const table = await screen.findByRole("table", { name: "Coaching products" });
    expect(within(table).getByText("John Coach")).toBeInTheDocument();
    expect(within(table).getByRole("link", { name: "Career Coaching" })).toHaveAttribute("href", `/manage/products/${productId}`);
    const [stored] = await admin.as.query(api.coaching.listProducts, {});
    expect(stored).toMatchObject({ productId, title: "Career Coaching", durationMinutes: 45, priceCents: 0, active: true });
    expect(stored.coaches.map((coach) => coach.name)).toEqual(["John Coach"]);
  });
});
