import { BrowserRouter } from "react-router";
import { AppLayout } from "./AppLayout";
import { ViewerGate } from "./ViewerGate";

/**
 * The signed-in application. main.tsx renders it inside MantineProvider, Notifications and the
 * sign-in providers (src/auth), so a user is signed in and the Convex client authenticated here.
 * ViewerGate stores the user record (`users.store`) before any page queries run; AppLayout is the
 * shell with role-aware navigation and the routes from `routes.tsx`.
 */
export function App() {
  return (
    <BrowserRouter>
      <ViewerGate>
        <AppLayout />
      </ViewerGate>
    </BrowserRouter>
  );
}
