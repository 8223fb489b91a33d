import { screen, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { newTest, seedUser } from "../../testing/convex";
import { renderForNewUser, renderWithBackend } from "../test/renderWithBackend";
import type { Role } from "../../convex/model/users/roles";
import { anySignedInUser, can, hasAnyRole } from "../lib/access";
import { PageHeader } from "../lib/components/PageHeader";
import { AppLayout } from "./AppLayout";
import { activeNavPath, appRoutes, listedRoutes, visibleRoutes, type AppRoute } from "./routes";

/** The navbar's links, by name. */
async function navigationLinks() {
  const navigation = await screen.findByRole("navigation", { name: "Main navigation" });
  return within(navigation)
    .getAllByRole("link")
    .map((link) => link.textContent);
}

describe("navigation per role", () => {
  test("a student sees My courses but no management pages", async () => {
    const t = newTest();
    const student = await seedUser(t, { roles: ["student"], name: "Sam Student" });
    renderWithBackend(<AppLayout />, { t, as: student, route: "/my-courses" });

    expect(await screen.findByRole("heading", { level: 1, name: "My courses" })).toBeInTheDocument();
    const links = await navigationLinks();
    expect(links).toContain("My courses");
    expect(links).toContain("Profile");
    expect(links).not.toContain("Courses");
    expect(links).not.toContain("Roles");
    expect(screen.getByRole("link", { name: "My courses" })).toHaveAttribute("aria-current", "page");
    expect(screen.getAllByText("Sam Student").length).toBeGreaterThan(0);
  });

  test("a student who opens a management URL gets not found", async () => {
    await renderForNewUser(<AppLayout />, { roles: ["student"], route: "/manage/courses" });
    expect(await screen.findByRole("heading", { name: "Page not found" })).toBeInTheDocument();
  });

  test("an admin sees the management area, but not Roles nor the students' pages", async () => {
    await renderForNewUser(<AppLayout />, { roles: ["admin"], route: "/manage/courses" });

    expect(await screen.findByRole("heading", { level: 1, name: "Courses" })).toBeInTheDocument();
    const links = await navigationLinks();
    expect(links).toEqual(expect.arrayContaining(["Courses", "Products", "Pathways", "Profile"]));
    expect(links).not.toContain("Roles");
    expect(links).not.toContain("My courses");
  });

  test("a superadmin also sees Roles", async () => {
    await renderForNewUser(<AppLayout />, { roles: ["superadmin"], route: "/profile" });
    const links = await navigationLinks();
    expect(links).toEqual(expect.arrayContaining(["Courses", "Roles"]));
  });

  test("a student who is also an enrollment manager sees both areas", async () => {
    const t = newTest();
    const both = await seedUser(t, { roles: ["student", "enrollment_manager"] });
    renderWithBackend(<AppLayout />, { t, as: both, route: "/profile" });
    const navigation = await screen.findByRole("navigation", { name: "Main navigation" });
    expect(within(navigation).getByRole("group", { name: "Learn" })).toBeInTheDocument();
    expect(within(navigation).getByRole("group", { name: "Manage" })).toBeInTheDocument();
    expect(within(navigation).queryByRole("group", { name: "Admin" })).not.toBeInTheDocument();
  });

  test("a first-time sign-in is stored as a student before pages load", async () => {
    const t = newTest();
    renderWithBackend(<AppLayout />, {
      t,
      as: {
        subject: "new-person",
        issuer: "https://test.issuer",
        tokenIdentifier: "https://test.issuer|new-person",
        name: "Nina New",
        email: "nina@example.com",
      },
      route: "/my-courses",
    });
    expect(await screen.findByRole("heading", { level: 1, name: "My courses" })).toBeInTheDocument();
    const stored = await t.run((ctx) =>
      ctx.db
        .query("users")
        .withIndex("by_email", (q) => q.eq("email", "nina@example.com"))
        .unique(),
    );
    expect(stored?.roles).toEqual(["student"]);
  });

  test("sign-out is offered in the header", async () => {
    const { user, signOutCalls } = await renderForNewUser(<AppLayout />, { roles: ["student"], route: "/profile" });
    await user.click(await screen.findByRole("button", { name: "Sign out" }));
    expect(signOutCalls()).toBe(1);
  });
});

describe("areas and the start page", () => {
  // A small registry of its own, so these tests do not depend on which pages features add.
  const routes: AppRoute[] = [
    { path: "/learn", label: "Learn page", group: "Learn", visible: hasAnyRole("student"), element: <PageHeader title="Learn page" />, home: 10 },
    { path: "/catalog", label: "Catalog page", group: "Manage", visible: can("catalog.read"), element: <PageHeader title="Catalog page" />, home: 20 },
    { path: "/hosting", label: "Hosting page", group: "Teach", visible: can("successSessions.host"), element: <PageHeader title="Hosting page" /> },
    { path: "/coaching", label: "Coaching page", group: "Coaching", visible: can("coaching.coach"), element: <PageHeader title="Coaching page" /> },
    { path: "/me", label: "Me page", group: "Account", visible: anySignedInUser, element: <PageHeader title="Me page" /> },
  ];

  test("a coach who also mentors sees both the Teach and the Coaching area", async () => {
    const t = newTest();
    const person = await seedUser(t, { roles: ["coach", "mentor"] });
    renderWithBackend(<AppLayout routes={routes} />, { t, as: person, route: "/me" });
    const navigation = await screen.findByRole("navigation", { name: "Main navigation" });
    expect(within(navigation).getByRole("group", { name: "Teach" })).toHaveTextContent("Hosting page");
    expect(within(navigation).getByRole("group", { name: "Coaching" })).toHaveTextContent("Coaching page");
    expect(within(navigation).queryByRole("group", { name: "Learn" })).not.toBeInTheDocument();
    expect(within(navigation).queryByRole("group", { name: "Manage" })).not.toBeInTheDocument();
  });

  test.each([
    { roles: ["student"] as Role[], lands: "Learn page" },
    { roles: ["enrollment_manager"] as Role[], lands: "Catalog page" },
    { roles: ["admin", "student"] as Role[], lands: "Learn page" },
  ])("sends $roles to the $lands", async ({ roles, lands }) => {
    const t = newTest();
    const person = await seedUser(t, { roles });
    renderWithBackend(<AppLayout routes={routes} />, { t, as: person, route: "/" });
    expect(await screen.findByRole("heading", { level: 1, name: lands })).toBeInTheDocument();
  });

  test("without a landing page for their roles, a user sees links to what they can open", async () => {
    const t = newTest();
    const coach = await seedUser(t, { roles: ["coach"], name: "Chris Coach" });
    renderWithBackend(<AppLayout routes={routes} />, { t, as: coach, route: "/" });
    expect(await screen.findByRole("heading", { level: 1, name: "Welcome, Chris Coach" })).toBeInTheDocument();
    expect(within(screen.getByRole("main")).getByRole("link", { name: "Me page" })).toHaveAttribute("href", "/me");
  });
});

describe("navigation by what each person does", () => {
  /** The menu's links, by section. */
  async function menu() {
    const navigation = await screen.findByRole("navigation", { name: "Main navigation" });
    return Object.fromEntries(
      within(navigation)
        .getAllByRole("group")
        .map((group) => [group.getAttribute("aria-labelledby")!.replace("nav-group-", ""), within(group).getAllByRole("link").map((link) => link.textContent)]),
    );
  }

  test.each([
    { roles: ["student"] as Role[], lands: "My schedule" },
    { roles: ["mentor"] as Role[], lands: "My schedule" },
    { roles: ["coach"] as Role[], lands: "My schedule" },
    { roles: ["lecturer"] as Role[], lands: "My schedule" },
    { roles: ["admin"] as Role[], lands: "Overview" },
    { roles: ["superadmin"] as Role[], lands: "Overview" },
  ])("$roles land on $lands", async ({ roles, lands }) => {
    const t = newTest();
    const person = await seedUser(t, { roles });
    renderWithBackend(<AppLayout />, { t, as: person, route: "/" });
    expect(await screen.findByRole("heading", { level: 1, name: lands })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: lands })).toHaveAttribute("aria-current", "page");
  });

  test("a superadmin who does not coach, mentor or learn sees none of those self-service pages", async () => {
    await renderForNewUser(<AppLayout />, { roles: ["superadmin"], route: "/overview" });
    const sections = await menu();
    expect(Object.keys(sections)).toEqual(["Home", "Teach", "Manage", "Admin", "Account"]);
    expect(sections.Home).toEqual(["Overview", "My schedule"]);
    expect(sections.Teach).toEqual(["Coded sessions"]);
    expect(sections.Manage).toContain("Coaches");
    const all = Object.values(sections).flat();
    for (const label of ["Availability", "Coaching sessions", "Join session", "My sessions", "Live sessions", "Coaching"]) {
      expect(all, label).not.toContain(label);
    }
    // One label per page.
    expect(new Set(all).size).toBe(all.length);
  });

  test("staff get no student pages; joining by code stays on My schedule", async () => {
    await renderForNewUser(<AppLayout />, { roles: ["enrollment_manager"], route: "/schedule?view=agenda" });
    const sections = await menu();
    expect(sections.Learn).toBeUndefined();
    expect(await screen.findByRole("region", { name: "Join a class with a code" })).toBeInTheDocument();
  });

  test("a student sees Coaching only with a coaching product", async () => {
    const t = newTest();
    const student = await seedUser(t, { roles: ["student"] });
    const { client } = renderWithBackend(<AppLayout />, { t, as: student, route: "/my-courses" });
    expect((await menu()).Learn).toEqual(["Live sessions", "My courses", "Expert sessions"]);

    await t.run(async (ctx) => {
      const productId = await ctx.db.insert("products", { title: "Coaching", description: "", kind: "coaching", status: "active" });
      await ctx.db.insert("coachingProducts", { productId, title: "1:1", description: "", durationMinutes: 30, priceCents: 0, coachIds: [], active: true });
      await ctx.db.insert("productAccess", { studentId: student.userId, productId, status: "active", grantedAt: Date.now() });
    });
    await client.refresh();
    const navigation = await screen.findByRole("navigation", { name: "Main navigation" });
    expect(await within(navigation).findByRole("link", { name: "Coaching" })).toHaveAttribute("href", "/coaching");
  });

  test("a coach who is also a student has exactly one active item on /coaching/coach", async () => {
    const t = newTest();
    const person = await seedUser(t, { roles: ["coach", "student"] });
    await t.run(async (ctx) => {
      const productId = await ctx.db.insert("products", { title: "Coaching", description: "", kind: "coaching", status: "active" });
      await ctx.db.insert("coachingProducts", { productId, title: "1:1", description: "", durationMinutes: 30, priceCents: 0, coachIds: [], active: true });
      await ctx.db.insert("productAccess", { studentId: person.userId, productId, status: "active", grantedAt: Date.now() });
    });
    renderWithBackend(<AppLayout />, { t, as: person, route: "/coaching/coach" });
    const navigation = await screen.findByRole("navigation", { name: "Main navigation" });
    await within(navigation).findByRole("link", { name: "Coaching" });
    const active = within(navigation)
      .getAllByRole("link")
      .filter((link) => link.getAttribute("aria-current") === "page")
      .map((link) => link.textContent);
    expect(active).toEqual(["Coaching sessions"]);
  });
});

describe("exactly one active menu item", () => {
  const roleSets: Role[][] = [
    ["student"],
    ["mentor"],
    ["coach"],
    ["lecturer"],
    ["enrollment_manager"],
    ["admin"],
    ["superadmin"],
    ["student", "coach"],
    ["student", "mentor", "coach", "lecturer", "enrollment_manager", "admin", "superadmin"],
  ];
  test.each(roleSets.flatMap((roles) => [true, false].map((coachingAccess) => ({ roles, coachingAccess }))))(
    "for $roles (coaching product: $coachingAccess), on every page they may open",
    ({ roles, coachingAccess }) => {
      const user = { roles };
      const facts = { coachingAccess };
      const listed = listedRoutes(user, appRoutes, facts).map((route) => route.path);
      for (const route of visibleRoutes(user)) {
        const pathname = route.path.replace(/:[A-Za-z]+/g, "abc123");
        const active = activeNavPath(pathname, user, appRoutes, facts);
        expect(active, `${roles.join("+")} on ${pathname}`).not.toBeNull();
        // The active path is one listed item (menu items are unique by path).
        expect(listed.filter((path) => path === active), pathname).toHaveLength(1);
        if (route.showInNav !== false && listed.includes(route.path)) expect(active, pathname).toBe(route.path);
      }
    },
  );
});
