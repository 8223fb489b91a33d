import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, test, vi } from "vitest";
import { newTest, seedUser, type TestBackend } from "../../../testing/convex";
import { enqueueEmail } from "../../../convex/model/notifications/outbox";
import { renderForNewUser, renderWithBackend } from "../../test/renderWithBackend";
import { OutboxPage } from "./OutboxPage";

async function seedEmail(t: TestBackend, key: string, subject: string, to = "ada@example.com") {
  return await t.run((ctx) =>
    enqueueEmail(ctx, { idempotencyKey: key, event: "successSession.created", entityId: "success-1", to, subject, text: `Text of ${subject}`, html: `<p>${subject}</p>` }, Date.now()),
  );
}

beforeEach(() => {
  vi.stubEnv("RESEND_API_KEY", "");
});
describe("Email outbox page", () => {
  test("an admin sees unsent emails with the reason, filters by status and previews an email", async () => {
    const t = newTest();
    const admin = await seedUser(t, { roles: ["admin"] });
    await seedEmail(t, "k/1", "New session: Portfolio review");
    await seedEmail(t, "k/2", "Broken address", "not-an-address");
    const { user } = renderWithBackend(<OutboxPage />, { t, as: admin, route: "/manage/outbox" });

    const banner = await screen.findByRole("status", { name: "Emails are recorded but not sent" });
    expect(banner).toHaveTextContent("RESEND_API_KEY is not set on this deployment");
    const table = await screen.findByRole("table", { name: "Outbox emails" });
    expect(within(table).getAllByRole("row")).toHaveLength(3);
    expect(within(table).getByText("Not sent")).toBeInTheDocument();
    // The banner says why once; the rows under it do not repeat it. Other reasons stay on their row.
    expect(within(table).queryByText(/RESEND_API_KEY/)).not.toBeInTheDocument();
    expect(within(table).getByText("The recipient has no valid email address.")).toBeInTheDocument();
    // The event in words, not the template key; the address whole, with a break allowed only before its "@".
    expect(within(table).getAllByText("Success session: scheduled")).toHaveLength(2);
    expect(within(table).queryByText(/successSession\.created/)).not.toBeInTheDocument();
    const address = within(table).getByTitle("ada@example.com");
    expect([...address.children].map((part) => part.textContent)).toEqual(["ada", "@example.com"]);

    await user.click(screen.getByRole("combobox", { name: "Status" }));
    await user.click(await screen.findByRole("option", { name: "Failed" }));
    await waitFor(() => expect(within(screen.getByRole("table", { name: "Outbox emails" })).getAllByRole("row")).toHaveLength(2));
    expect(screen.getByText("Broken address")).toBeInTheDocument();
    expect(screen.queryByText("New session: Portfolio review")).not.toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Broken address" }));
    const dialog = await screen.findByRole("dialog", { name: "Broken address" });
    expect(await within(dialog).findByText("Text of Broken address")).toBeInTheDocument();
    expect(within(dialog).getByText("k/2")).toBeInTheDocument();
  });

  test("sending again while Resend is not configured is refused with the reason", async () => {
    const t = newTest();
    const admin = await seedUser(t, { roles: ["admin"] });
    await seedEmail(t, "k/1", "Reminder");
    const { user } = renderWithBackend(<OutboxPage />, { t, as: admin, route: "/manage/outbox" });
    await user.click(await screen.findByRole("button", { name: "Send again: Reminder to ada@example.com" }));
    const dialog = await screen.findByRole("dialog", { name: "Send this email again?" });
    await user.click(within(dialog).getByRole("button", { name: "Send again" }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent("Email sending is not configured: set RESEND_API_KEY");
  });

  test("an empty outbox says so", async () => {
    await renderForNewUser(<OutboxPage />, { roles: ["admin"], route: "/manage/outbox" });
    expect(await screen.findByText("No emails yet")).toBeInTheDocument();
  });
});
