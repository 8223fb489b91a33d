import { screen, waitFor, within } from "@testing-library/react";
import { Route, Routes } from "react-router";
import { describe, expect, test } from "vitest";
import { api } from "../../../convex/_generated/api";
import { newTest, seedUser } from "../../../testing/convex";
import { renderWithBackend } from "../../test/renderWithBackend";
import { CodedSessionPage } from "./CodedSessionPage";
import { TeachCodedSessionsPage } from "./TeachCodedSessionsPage";

/** These tests drive several pages through the real backend; give them room on a busy machine. */
const UI_TEST_TIMEOUT_MS = 20_000;

describe("lecturer session page", () => {
  test("a lecturer creates a session, sees the big code, participants arrive, a new code replaces the old one, and closing stops it", async () => {
    const t = newTest();
    const lecturer = await seedUser(t, { roles: ["lecturer"] });
    const student = await seedUser(t, { roles: ["student"], name: "Amira Student" });
    const { user, client } = renderWithBackend(
      <Routes>
        <Route path="/teach/coded-sessions" element={<TeachCodedSessionsPage />} />
        <Route path="/coded-sessions/:sessionId" element={<CodedSessionPage />} />
      </Routes>,
      { t, as: lecturer, route: "/teach/coded-sessions" },
    );

    await user.click(await screen.findByRole("button", { name: "Create session" }));
    const dialog = await screen.findByRole("dialog", { name: "Create session" });
    await user.type(within(dialog).getByLabelText(/^Title/), "TypeScript generics");
    await user.click(within(dialog).getByRole("button", { name: "Create session" }));

    expect(await screen.findByRole("heading", { level: 1, name: "TypeScript generics" })).toBeInTheDocument();
    const shown = (await screen.findByTestId("join-code")).textContent ?? "";
    expect(shown).toMatch(/^[0-9A-HJKMNP-TV-Z]{3}-[0-9A-HJKMNP-TV-Z]{3}$/);
    expect(screen.getByRole("button", { name: "Copy code" })).toBeInTheDocument();
    expect(await screen.findByText("Nobody has joined yet")).toBeInTheDocument();

    await student.as.mutation(api.codedSessions.joinByCode, { code: shown.toLowerCase() });
    await client.refresh();
    expect(await screen.findByText("Amira Student")).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Participants (1)" })).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "New code" }));
    await user.click(within(await screen.findByRole("dialog", { name: "Make a new code?" })).getByRole("button", { name: "New code" }));
    await waitFor(() => expect(screen.getByTestId("join-code").textContent).not.toBe(shown));
    expect(await student.as.mutation(api.codedSessions.previewByCode, { code: shown })).toMatchObject({ status: "wrong_code" });

    await user.click(screen.getByRole("button", { name: "Close session" }));
    await user.click(within(await screen.findByRole("dialog", { name: "Close this session?" })).getByRole("button", { name: "Close session" }));
    expect(await screen.findByText("This session no longer accepts joins")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Copy code" })).toBeNull();
    expect(screen.getByText("Closed")).toBeInTheDocument();
  }, UI_TEST_TIMEOUT_MS);
});

describe("participant session page", () => {
  test("a participant sees when and with whom, the status live, the meeting link and the instructions, never the code", async () => {
    const t = newTest();
    const lecturer = await seedUser(t, { roles: ["lecturer"], name: "Leo Lecturer" });
    const student = await seedUser(t, { roles: ["student"] });
    const { code, sessionId } = await lecturer.as.mutation(api.codedSessions.create, {
      title: "SQL lab",
      startsAt: Date.now() + 60_000,
      endsAt: Date.now() + 2 * 60 * 60_000,
      meetingUrl: "https://meet.example.com/sql",
      instructions: "Bring a laptop with Postgres installed.",
    });
    await student.as.mutation(api.codedSessions.joinByCode, { code });
    const { client } = renderWithBackend(<CodedSessionPage />, { t, as: student, route: `/coded-sessions/${sessionId}`, path: "/coded-sessions/:sessionId" });

    const details = await screen.findByRole("heading", { name: "Your class" });
    const card = details.closest("div.mantine-Card-root") as HTMLElement;
    expect(card).toHaveTextContent("With: Leo Lecturer");
    expect(card).toHaveTextContent(/When: .+–/);
    expect(within(card).getByText("Open")).toBeInTheDocument();
    expect(within(card).getByRole("link", { name: "Open the meeting of SQL lab (opens in a new tab)" })).toHaveAttribute(
      "href",
      "https://meet.example.com/sql",
    );
    expect(card).toHaveTextContent("Bring a laptop with Postgres installed.");
    expect(screen.queryByTestId("join-code")).not.toBeInTheDocument();

    // Closing is live: the status changes and the meeting link goes away.
    await lecturer.as.mutation(api.codedSessions.close, { sessionId });
    await client.refresh();
    expect(await within(card).findByText("Closed")).toBeInTheDocument();
    expect(within(card).queryByRole("link", { name: /Open the meeting/ })).not.toBeInTheDocument();
  }, UI_TEST_TIMEOUT_MS);
});
