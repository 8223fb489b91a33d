import { screen, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { newTest, seedUser } from "../../../testing/convex";
import { renderWithBackend } from "../../test/renderWithBackend";
import { AdminRolesPage } from "./RolesPage";

function rowOf(table: HTMLElement, name: string): HTMLElement {
  const row = within(table).getByText(name).closest("tr");
  if (row === null) throw new Error(`no row for ${name}`);
  return row;
}

describe("Roles page", () => {
  test("a superadmin grants a role after confirming, and the list shows it", async () => {
    const t = newTest();
    const superadmin = await seedUser(t, { roles: ["superadmin"], name: "Sofia Super" });
    const student = await seedUser(t, { roles: ["student"], name: "Chris Coach" });
    const { user } = renderWithBackend(<AdminRolesPage />, { t, as: superadmin, route: "/admin/roles" });

    const table = await screen.findByRole("table", { name: "Users and roles" });
    expect(within(rowOf(table, "Chris Coach")).getByText("Student")).toBeInTheDocument();
    await user.click(within(rowOf(table, "Chris Coach")).getByRole("button", { name: "Edit roles of Chris Coach" }));

    const dialog = await screen.findByRole("dialog", { name: "Roles of Chris Coach" });
    await user.click(within(dialog).getByRole("combobox", { name: /Roles/ }));
    await user.click(await within(dialog).findByRole("option", { name: "Coach" }));
    await user.click(within(dialog).getByRole("button", { name: "Save roles" }));

    // Nothing is written before the confirmation.
    const confirmation = within(dialog).getByRole("group", { name: "Confirm role change" });
    expect(within(confirmation).getByText("Adds: Coach")).toBeInTheDocument();
    const before = await t.run((ctx) => ctx.db.get("users", student.userId));
    expect(before?.roles).toEqual(["student"]);

    await user.click(within(confirmation).getByRole("button", { name: "Confirm change" }));
    expect(await within(rowOf(table, "Chris Coach")).findByText("Coach")).toBeInTheDocument();
    const after = await t.run((ctx) => ctx.db.get("users", student.userId));
    expect(after?.roles).toEqual(["student", "coach"]);
  });

  test("the role filter lists only holders of that role", async () => {
    const t = newTest();
    const superadmin = await seedUser(t, { roles: ["superadmin"], name: "Sofia Super" });
    await seedUser(t, { roles: ["mentor"], name: "Maya Mentor" });
    await seedUser(t, { roles: ["student"], name: "Sam Student" });
    const { user } = renderWithBackend(<AdminRolesPage />, { t, as: superadmin, route: "/admin/roles" });

    expect(await screen.findByText("Sam Student")).toBeInTheDocument();
    await user.click(screen.getByRole("combobox", { name: "Show" }));
    await user.click(await screen.findByRole("option", { name: "Mentors" }));
    expect(await screen.findByText("Maya Mentor")).toBeInTheDocument();
    expect(screen.queryByText("Sam Student")).not.toBeInTheDocument();
  });

  test("removing your own superadmin role is refused with the server's reason", async () => {
    const t = newTest();
    const superadmin = await seedUser(t, { roles: ["superadmin"], name: "Sofia Super" });
    const { user } = renderWithBackend(<AdminRolesPage />, { t, as: superadmin, route: "/admin/roles" });

    await user.click(await screen.findByRole("button", { name: "Edit roles of Sofia Super" }));
    const dialog = await screen.findByRole("dialog", { name: "Roles of Sofia Super" });
    await user.click(within(dialog).getByRole("combobox", { name: /Roles/ }));
    await user.click(await within(dialog).findByRole("option", { name: "Admin" }));
    await user.click(await within(dialog).findByRole("option", { name: "Superadmin" }));
    await user.click(within(dialog).getByRole("button", { name: "Save roles" }));
    expect(within(dialog).getByText("Removes: Superadmin")).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Confirm change" }));

    expect(
      await within(dialog).findByText("You cannot remove your own superadmin role. Ask another superadmin."),
    ).toBeInTheDocument();
    const after = await t.run((ctx) => ctx.db.get("users", superadmin.userId));
    expect(after?.roles).toEqual(["superadmin"]);
  });
});
