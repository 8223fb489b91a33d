import { screen, waitFor, within } from "@testing-library/react";
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

/** An admin and the "Career Coaching" coaching product (John Coach, 30 minutes), as the policy tests start. */
async function careerCoachingWorld() {
    const t = newTest();
    const admin = await seedUser(t, { roles: ["admin"] });
    const coach = await seedUser(t, { roles: ["coach"], name: "John Coach" });
    const productId = await seedProduct(t, "Career Coaching", "coaching");
    const coachingProductId = await admin.as.mutation(api.coaching.createProduct, {
      productId,
      title: "Career Coaching",
      durationMinutes: 30,
      priceCents: 0,
      coachIds: [coach.userId],
      active: true,
    });
  return { t, admin, coachingProductId };
}

describe("Booking policy (staff)", () => {
  test("an admin sets a product's buffers, notice, horizon and cancellation window; a notice past the horizon is refused", async () => {
    const { t, admin, coachingProductId } = await careerCoachingWorld();
    const { user } = renderWithBackend(<CoachingProductsPage />, { t, as: admin, route: "/manage/coaching-products" });

    const table = await screen.findByRole("table", { name: "Coaching products" });
    expect(within(table).getByText("buffers 0/0 min · notice 0 h · up to 180 days ahead · cancel until the start")).toBeInTheDocument();
    await user.click(within(table).getByRole("button", { name: "Booking policy of Career Coaching" }));
    const dialog = await screen.findByRole("dialog", { name: "Booking policy" });
    const field = (name: RegExp) => within(dialog).getByRole("textbox", { name });
    const set = async (name: RegExp, value: string) => {
      await user.clear(field(name));
      await user.click(field(name));
      await user.paste(value);
    };
    await set(/Buffer after a session/, "15");
    await set(/Minimum notice/, "72");
    await set(/Booking horizon/, "2");
    await set(/Cancellation window/, "24");
    await user.click(within(dialog).getByRole("button", { name: "Save policy" }));
    expect(await within(dialog).findByText("The minimum notice must be shorter than the booking horizon.")).toBeInTheDocument();

    await set(/Booking horizon/, "30");
    await user.click(within(dialog).getByRole("button", { name: "Save policy" }));
    await waitFor(() => expect(screen.queryByRole("dialog", { name: "Booking policy" })).not.toBeInTheDocument());
    expect(await within(table).findByText("buffers 0/15 min · notice 72 h · up to 30 days ahead · cancel until 24 h before")).toBeInTheDocument();
    const stored = await admin.as.query(api.coaching.getProduct, { coachingProductId });
    expect(stored.policy).toEqual({ bufferBeforeMinutes: 0, bufferAfterMinutes: 15, minimumNoticeHours: 72, bookingHorizonDays: 30, cancellationWindowHours: 24 });
  });

  test("an enrollment manager, who reads the catalog but does not manage coaching, cannot change a product's policy", async () => {
    const { t, admin, coachingProductId } = await careerCoachingWorld();
    const manager = await seedUser(t, { roles: ["enrollment_manager"] });
    const { user } = renderWithBackend(<CoachingProductsPage />, { t, as: manager, route: "/manage/coaching-products" });
    const table = await screen.findByRole("table", { name: "Coaching products" });
    await user.click(within(table).getByRole("button", { name: "Booking policy of Career Coaching" }));
    const dialog = await screen.findByRole("dialog", { name: "Booking policy" });
    await user.click(within(dialog).getByRole("button", { name: "Save policy" }));
    expect(await within(dialog).findByText("Your account does not have permission to do this.")).toBeInTheDocument();
    expect((await admin.as.query(api.coaching.getProduct, { coachingProductId })).policy.cancellationWindowHours).toBe(0);
  });
});
