import { MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { render, type RenderResult } from "@testing-library/react";
import userEvent, { type UserEvent } from "@testing-library/user-event";
import { ConvexProvider } from "convex/react";
import type { UserIdentity } from "convex/server";
import type { ReactElement, ReactNode } from "react";
import { MemoryRouter, Route, Routes } from "react-router";
import { AuthControlsContext, type AuthControls } from "../auth/authControls";
import { cssVariablesResolver, theme } from "../app/theme";
import { errorCode } from "../lib/errors";
import { ViewerGate } from "../app/ViewerGate";
import { newTest, seedUser, type TestBackend } from "../../testing/convex";
import type { Role } from "../../convex/model/users/roles";
import { BackendTestClient } from "./backendClient";

/**
 * renderWithBackend: render React UI against the REAL Convex functions (convex-test), signed in as
 * a test user, with no mocking of our own code.
 *
 *   import { newTest, seedUser, seedCourse } from "../../../testing/convex";
 *   import { renderWithBackend } from "../../test/renderWithBackend";
 *
 *   test("admin creates a course", async () => {
 *     const t = newTest();
 *     const admin = await seedUser(t, { roles: ["admin"] });
 *     const { user } = renderWithBackend(<CoursesPage />, { t, as: admin, route: "/manage/courses" });
 *     await user.click(await screen.findByRole("button", { name: "New course" }));
 *     …
 *     expect(await screen.findByRole("link", { name: "Data Science" })).toBeInTheDocument();
 *   });
 *
 * What it wraps `ui` in (the same providers as the app): MantineProvider (app theme, `env="test"`,
 * so no transitions and no portals: dialogs render in place) + Notifications, ConvexProvider with a
 * {@link BackendTestClient}, the sign-in controls context (sign-out records a call in
 * `signOutCalls`), a MemoryRouter at `route`, and, when `as` is given, the app's `ViewerGate`
 * (calls `users.store`, waits for `users.me`, provides `useViewer()`). So pages render exactly as
 * inside the app shell, minus the header and navbar; render `<AppLayout />` to test those.
 *
 * Behaviour of the backend client (see backendClient.ts): queries start `undefined` (loading) and
 * resolve asynchronously, so use `findBy…` / `waitFor`; every mutation re-runs every watched query
 * before it resolves, so the UI updates as it would live. After writing data from the test itself
 * (`t.run`, `seedCourse`, `t.finishInProgressScheduledFunctions()`), call `await client.refresh()`.
 *
 * Time: `Date.now()` is real unless the test uses `vi.useFakeTimers({ toFake: ["Date"] })`
 * (fake only Date: faking timers stalls Mantine and RTL's polling).
 */

/** Who is signed in: a `seedUser(...)` result or a bare identity (a new identity is stored as a student). */
export type SignedInAs = { identity: Partial<UserIdentity> } | Partial<UserIdentity>;

export type RenderWithBackendOptions = {
  /** The convex-test backend (`newTest()`), seeded by the test. */
  t: TestBackend;
  /** The signed-in user; omit (or null) for an anonymous visitor: then no ViewerGate is rendered. */
  as?: SignedInAs | null;
  /** Initial URL, e.g. "/manage/courses/abc123?tab=batches" (default "/"). */
  route?: string;
  /**
   * Route pattern `ui` is mounted at, e.g. "/manage/courses/:courseId", so `useParams` works.
   * Omit to render `ui` for every URL (it may contain its own `<Routes>`).
   */
  path?: string;
  /** Replaces the default sign-in controls (mode "dev", label "Sign out"). */
  authControls?: AuthControls;
};

export type RenderWithBackendResult = RenderResult & {
  /** The client the UI talks to: `await client.refresh()` after writes made by the test. */
  client: BackendTestClient;
  /** A user-event instance (`await user.click(...)`, `await user.type(...)`). */
  user: UserEvent;
  /** How many times the UI's sign-out control was used. */
  signOutCalls: () => number;
};

/**
 * A fresh backend with one user holding `roles` and nothing else, and `ui` rendered signed in as
 * that user at `route`: what a page shows before there is any data of theirs (or to any holder of
 * a role). Returns the backend (`t`) and the user (`as`) with the render result.
 */
export async function renderForNewUser(ui: ReactElement, { roles, route }: { roles: Role[]; route: string }) {
  const t = newTest();
  const as = await seedUser(t, { roles });
  return { t, as, ...renderWithBackend(ui, { t, as, route }) };
}

function identityOf(as: SignedInAs | null | undefined): Partial<UserIdentity> | undefined {
  if (as === null || as === undefined) return undefined;
  if ("identity" in as && typeof as.identity === "object" && as.identity !== null && !Array.isArray(as.identity)) {
    return as.identity as Partial<UserIdentity>;
  }
  return as as Partial<UserIdentity>;
}

/**
 * The providers the app uses, around `children`, talking to `client`. Exported for tests that
 * need to re-render with the same client.
 */
function BackendTestProviders({
  client,
  signedIn,
  route = "/",
  authControls,
  children,
}: {
  client: BackendTestClient;
  signedIn: boolean;
  route?: string;
  authControls: AuthControls;
  children: ReactNode;
}) {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} env="test">
      <Notifications />
      <ConvexProvider client={client.asConvexReactClient()}>
        <AuthControlsContext.Provider value={authControls}>
          <MemoryRouter initialEntries={[route]}>
            {signedIn ? <ViewerGate>{children}</ViewerGate> : children}
          </MemoryRouter>
        </AuthControlsContext.Provider>
      </ConvexProvider>
    </MantineProvider>
  );
}

/**
 * Renders `ui` against the real backend `t`, signed in `as` a user. See the module docs above.
 * @returns RTL's render result plus `client`, `user` (user-event) and `signOutCalls`.
 */
export function renderWithBackend(ui: ReactElement, options: RenderWithBackendOptions): RenderWithBackendResult {
  const identity = identityOf(options.as);
  const client = new BackendTestClient(options.t, identity);
  let signOuts = 0;
  const authControls: AuthControls = options.authControls ?? {
    mode: "dev",
    signOut: () => {
      signOuts += 1;
    },
    signOutLabel: "Sign out",
  };
  const content =
    options.path === undefined ? (
      ui
    ) : (
      <Routes>
        <Route path={options.path} element={ui} />
      </Routes>
    );
  const rendered = render(
    <BackendTestProviders
      client={client}
      signedIn={identity !== undefined}
      route={options.route}
      authControls={authControls}
    >
      {content}
    </BackendTestProviders>,
    {
      // Error boundaries (QueryBoundary) catch our ConvexErrors on purpose: keep them out of the
      // test output, but print anything else a boundary caught (a real bug).
      onCaughtError: (error, info) => {
        if (errorCode(error) === null) console.error("Caught by an error boundary:", error, info.componentStack);
      },
    },
  );
  const unmount = rendered.unmount;
  return {
    ...rendered,
    unmount: () => {
      unmount();
      void client.close();
    },
    client,
    user: userEvent.setup({ delay: null }),
    signOutCalls: () => signOuts,
  };
}
