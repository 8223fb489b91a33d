import { screen, waitFor, within } from "@testing-library/react";
import { Route, Routes } from "react-router";
import { describe, expect, test } from "vitest";
import { api } from "../../../convex/_generated/api";
import { newTest, seedUser, type TestBackend } from "../../../testing/convex";
import { renderWithBackend } from "../../test/renderWithBackend";
import { CodedSessionPage } from "./CodedSessionPage";
import { JoinSessionPage } from "./JoinSessionPage";

function renderJoinPage(t: TestBackend, as: Awaited<ReturnType<typeof seedUser>>) {
  return renderWithBackend(
    <Routes>
      <Route path="/join" element={<JoinSessionPage />} />
      <Route path="/coded-sessions/:sessionId" element={<CodedSessionPage />} />
    </Routes>,
    { t, as, route: "/join" },
  );
}

/** These tests drive several pages through the real backend; give them room on a busy machine. */
const UI_TEST_TIMEOUT_MS = 20_000;

describe("Join session page", () => {
  test("a student previews the session behind a lower-case, dashed code, then joins and never sees the code", async () => {
    const t = newTest();
    const lecturer = await seedUser(t, { roles: ["lecturer"], name: "Leo Lecturer" });
    const student = await seedUser(t, { roles: ["student"], name: "Amira Student" });
    const { code, sessionId } = await lecturer.as.mutation(api.codedSessions.create, {
      title: "TypeScript generics",
      description: "Constraints and utility types",
    });
    const { user } = renderJoinPage(t, student);

    const codeInput = await screen.findByLabelText("Join code");
    // The placeholder is ordinary text; only the entered code is spaced out in capitals.
    expect(codeInput).toHaveAttribute("placeholder", "e.g. 7K3-QX9");
    expect(codeInput.style.letterSpacing).toBe("");
    expect(codeInput.style.textTransform).toBe("");
    await user.type(codeInput, `${code.slice(0, 3).toLowerCase()} - ${code.slice(3).toLowerCase()}`);
    expect(codeInput.style.letterSpacing).toBe("0.2em");
    expect(codeInput.style.textTransform).toBe("uppercase");
    await user.click(screen.getByRole("button", { name: "Find session" }));

    const preview = await screen.findByLabelText("Session found");
    expect(within(preview).getByRole("heading", { name: "TypeScript generics" })).toBeInTheDocument();
    expect(within(preview).getByText("Leo Lecturer")).toBeInTheDocument();
    expect(within(preview).getByText(/Started/)).toBeInTheDocument();
    // Previewing does not join.
    expect(await lecturer.as.query(api.codedSessions.participants, { sessionId })).toEqual([]);

    await user.click(within(preview).getByRole("button", { name: "Join session" }));
    expect(await screen.findByRole("heading", { level: 1, name: "TypeScript generics" })).toBeInTheDocument();
    // The participant's page says when they joined (with the time), not a toast.
    const joinedLine = await screen.findByText(
      (_, element) => element?.tagName === "P" && element.querySelector("time") !== null && /^You joined /.test(element.textContent ?? ""),
    );
    expect(joinedLine).toBeInTheDocument();
    expect(document.body.textContent).not.toContain(code);
    expect(document.body.textContent).not.toContain(`${code.slice(0, 3)}-${code.slice(3)}`);
    expect(await lecturer.as.query(api.codedSessions.participants, { sessionId })).toMatchObject([{ name: "Amira Student" }]);
  }, UI_TEST_TIMEOUT_MS);

  test("a malformed code is explained without asking the server; a wrong code shows the server's answer", async () => {
    const t = newTest();
    const student = await seedUser(t, { roles: ["student"] });
    const { user } = renderJoinPage(t, student);
    const input = await screen.findByLabelText("Join code");

    await user.type(input, "12345");
    await user.click(screen.getByRole("button", { name: "Find session" }));
    expect(await screen.findByText(/A join code has 6 letters and digits/)).toBeInTheDocument();

    await user.clear(input);
    await user.type(input, "ZZZ-ZZZ");
    await user.click(screen.getByRole("button", { name: "Find session" }));
    expect(await screen.findByText(/No open session has this code/)).toBeInTheDocument();
    expect(screen.queryByLabelText("Session found")).toBeNull();
  }, UI_TEST_TIMEOUT_MS);

  test("after 10 wrong codes in a minute the page says how many seconds to wait and blocks the button", async () => {
    const t = newTest();
    const lecturer = await seedUser(t, { roles: ["lecturer"] });
    const student = await seedUser(t, { roles: ["student"] });
    const { code } = await lecturer.as.mutation(api.codedSessions.create, { title: "Class" });
    const wrong = code === "ZZZZZZ" ? "YYYYYY" : "ZZZZZZ";
    for (let attempt = 0; attempt < 10; attempt += 1) {
      await student.as.mutation(api.codedSessions.previewByCode, { code: wrong });
    }
    const { user } = renderJoinPage(t, student);

    await user.type(await screen.findByLabelText("Join code"), code);
    await user.click(screen.getByRole("button", { name: "Find session" }));
    const notice = await screen.findByText(/Too many wrong codes\. Try again in \d+ s\./);
    const seconds = Number(/in (\d+) s/.exec(notice.textContent ?? "")?.[1]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(60);
    await waitFor(() => expect(screen.getByRole("button", { name: "Find session" })).toBeDisabled());
    expect(screen.queryByLabelText("Session found")).toBeNull();
  }, UI_TEST_TIMEOUT_MS);
});
