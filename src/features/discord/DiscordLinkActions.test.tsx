import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { api } from "../../../convex/_generated/api";
import { newTest, seedUser } from "../../../testing/convex";
import { renderWithBackend } from "../../test/renderWithBackend";
import { ProfilePage } from "../profile/ProfilePage";

describe("Discord account on the profile", () => {
  test("a linked user unlinks Discord after confirming", async () => {
    const t = newTest();
    const student = await seedUser(t, { roles: ["student"], discordUserId: "112233445566778899" });
    const { user } = renderWithBackend(<ProfilePage />, { t, as: student, route: "/profile" });

    await user.click(await screen.findByRole("button", { name: "Unlink Discord" }));
    const dialog = await screen.findByRole("dialog", { name: "Unlink your Discord account?" });
    await user.click(within(dialog).getByRole("button", { name: "Unlink" }));

    await waitFor(() => expect(screen.getByTestId("discord-status")).toHaveTextContent(/^Not linked/));
    expect((await student.as.query(api.discordLinking.status, {})).discordUserId).toBeNull();
    // Linking needs the Discord OAuth2 app, which tests do not configure.
    expect(screen.getByText(/Linking Discord is not available on this server yet/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Link Discord" })).not.toBeInTheDocument();
  });

  test("coming back from Discord with an error shows Discord's reason once", async () => {
    const t = newTest();
    const student = await seedUser(t, { roles: ["student"] });
    const reason = "This Discord link has expired or was already used. Start linking again from your profile.";
    renderWithBackend(<ProfilePage />, { t, as: student, route: `/profile?discord=error&message=${encodeURIComponent(reason)}` });

    expect(await screen.findByText("Discord was not linked")).toBeInTheDocument();
    expect(screen.getByText(reason)).toBeInTheDocument();
  });

  test("coming back from Discord in a tab that did not start linking links nothing and says why", async () => {
    const t = newTest();
    const student = await seedUser(t, { roles: ["student"] });
    sessionStorage.clear();
    renderWithBackend(<ProfilePage />, { t, as: student, route: "/profile?discordCode=abc&discordState=def" });

    expect(await screen.findByText("Discord was not linked")).toBeInTheDocument();
    expect(screen.getByText(/started in another browser or tab/)).toBeInTheDocument();
    expect((await student.as.query(api.discordLinking.status, {})).discordUserId).toBeNull();
  });
});
