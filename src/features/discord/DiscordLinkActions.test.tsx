import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { api } from "../../../convex/_generated/api";
import { coachingWorld } from "../../../convex/model/coaching/fixtures.testing";
import { newTest, seedUser } from "../../../testing/convex";
import { renderWithBackend } from "../../test/renderWithBackend";
import { ProfilePage } from "../profile/ProfilePage";

describe("Discord account on the profile", () => {
  test("a linked student with coaching unlinks Discord after confirming, and reads one sentence about it", async () => {
    const world = await coachingWorld(newTest(), { discordIds: { amira: "112233445566778899" } });
    const { user } = renderWithBackend(<ProfilePage />, { t: world.t, as: world.amira, route: "/profile" });

    const card = await screen.findByRole("region", { name: "Discord" });
    expect(await within(card).findByTestId("discord-status")).toHaveTextContent(/^Your Discord account is linked/);
    await user.click(within(card).getByRole("button", { name: "Unlink Discord" }));
    const dialog = await screen.findByRole("dialog", { name: "Unlink your Discord account?" });
    await user.click(within(dialog).getByRole("button", { name: "Unlink" }));

    // Linking needs the Discord OAuth2 app, which tests do not configure: one sentence says who links
    // the account instead, without first asking the student to link it.
    await waitFor(() =>
      expect(screen.getByTestId("discord-status")).toHaveTextContent(
        "Coaching sessions take place in a private Discord voice channel; on this server an administrator links your Discord account for you.",
      ),
    );
    expect(screen.queryByText(/link your account/i)).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Link Discord" })).not.toBeInTheDocument();
    expect((await world.amira.as.query(api.discordLinking.status, {})).discordUserId).toBeNull();
  });

  test("lecturers and admins without coaching, and students without a coaching product, see no Discord card", async () => {
    const world = await coachingWorld(newTest());
    const lecturer = await seedUser(world.t, { roles: ["lecturer"] });
    for (const person of [lecturer, world.admin, world.dev]) {
      const { unmount } = renderWithBackend(<ProfilePage />, { t: world.t, as: person, route: "/profile" });
      expect(await screen.findByRole("region", { name: "Time zone" })).toBeInTheDocument();
      // The student's coaching products load after the page: give them the chance to show the card.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(screen.queryByRole("region", { name: "Discord" })).not.toBeInTheDocument();
      unmount();
    }
    renderWithBackend(<ProfilePage />, { t: world.t, as: world.sarah, route: "/profile" });
    expect(await screen.findByRole("region", { name: "Discord" })).toBeInTheDocument();
  });

  test("coming back from Discord with an error shows Discord's reason once", async () => {
    const world = await coachingWorld(newTest());
    const reason = "This Discord link has expired or was already used. Start linking again from your profile.";
    renderWithBackend(<ProfilePage />, { t: world.t, as: world.amira, route: `/profile?discord=error&message=${encodeURIComponent(reason)}` });

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
