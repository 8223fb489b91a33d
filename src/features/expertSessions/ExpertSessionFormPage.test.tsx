import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router";
import { describe, expect, test } from "vitest";
import { api } from "../../../convex/_generated/api";
import { newTest, seedProduct, seedUser } from "../../../testing/convex";
import { expectNoAxeViolations } from "../../test/axe";
import { renderWithBackend } from "../../test/renderWithBackend";
import { EditExpertSessionPage, NewExpertSessionPage } from "./ExpertSessionFormPage";
import { StaffExpertSessionsPage } from "./StaffExpertSessionsPage";
import { storeTestUpload, WEBVTT_TEXT } from "./testFixtures";

function renderStaffPages(t: ReturnType<typeof newTest>, as: Awaited<ReturnType<typeof seedUser>>, route: string) {
  // In a <main> landmark, as inside the app shell.
  return renderWithBackend(
    <main>
      <Routes>
        <Route path="/manage/expert-sessions" element={<StaffExpertSessionsPage />} />
        <Route path="/manage/expert-sessions/new" element={<NewExpertSessionPage />} />
        <Route path="/manage/expert-sessions/:expertSessionId/edit" element={<EditExpertSessionPage />} />
      </Routes>
    </main>,
    { t, as, route },
  );
}

function fileInput(): HTMLInputElement {
  const input = document.querySelector<HTMLInputElement>('input[type="file"]');
  if (input === null) throw new Error("no file input");
  return input;
}

function captionsInput(): HTMLInputElement {
  const input = document.querySelector<HTMLInputElement>('input[type="file"][accept=".vtt,text/vtt"]');
  if (input === null) throw new Error("no captions file input");
  return input;
}

/** These tests drive several pages through the real backend; give them room on a busy machine. */
const UI_TEST_TIMEOUT_MS = 20_000;

describe("staff expert session form", () => {
  test("an admin creates a draft for two products; wrong files are refused before any upload", async () => {
    const t = newTest();
    const admin = await seedUser(t, { roles: ["admin"] });
    await seedProduct(t, "Job Readiness", "job_readiness");
    await seedProduct(t, "Interview Library", "other");
    await seedProduct(t, "Coaching", "coaching");
    const { user } = renderStaffPages(t, admin, "/manage/expert-sessions/new");
    // The file input accepts video/*; pass other files through as a person could by changing the picker's filter.
    const uploader = userEvent.setup({ applyAccept: false });

    await user.type(await screen.findByLabelText(/^Title/), "Acing the behavioural interview");
    await uploader.upload(fileInput(), new File(["%PDF-1.7"], "notes.pdf", { type: "application/pdf" }));
    expect(await screen.findByText(/This file is not a video/)).toBeInTheDocument();
    const huge = new File(["x"], "talk.mp4", { type: "video/mp4" });
    Object.defineProperty(huge, "size", { value: 3 * 1024 * 1024 * 1024 });
    await uploader.upload(fileInput(), huge);
    expect(await screen.findByText(/larger than 2 GB/)).toBeInTheDocument();
    expect(screen.queryByLabelText("Upload progress")).toBeNull();
    expect(await t.run((ctx) => ctx.db.system.query("_storage").collect())).toEqual([]);

    // Without a video the session cannot be published yet.
    expect(screen.getByRole("switch", { name: /Visible to students/ })).toBeDisabled();
    expect(screen.getByText("Upload a video before publishing.")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Create expert session" }));
    expect(await screen.findByText("Choose at least one product.")).toBeInTheDocument();

    await user.click(screen.getByRole("combobox", { name: /^Products/ }));
    await user.click(await screen.findByRole("option", { name: "Job Readiness" }));
    await user.click(await screen.findByRole("option", { name: "Interview Library" }));
    await user.click(screen.getByRole("button", { name: "Create expert session" }));

    const table = await screen.findByRole("table", { name: "Expert sessions" });
    const row = within(table).getByRole("row", { name: /Acing the behavioural interview/ });
    expect(within(row).getByText("Job Readiness")).toBeInTheDocument();
    expect(within(row).getByText("Interview Library")).toBeInTheDocument();
    expect(within(row).queryByText("Coaching")).toBeNull();
    expect(within(row).getByText("Video not uploaded yet")).toBeInTheDocument();
    expect(within(row).getByText("Draft")).toBeInTheDocument();
    expect(await within(row).findByText("Not started yet")).toBeInTheDocument();

    const links = await t.run((ctx) => ctx.db.query("expertSessionProducts").collect());
    expect(links).toHaveLength(2);
  }, UI_TEST_TIMEOUT_MS);

  test("editing swaps a product, the list filters by product, and delete asks first", async () => {
    const t = newTest();
    const admin = await seedUser(t, { roles: ["admin"] });
    const jobReadiness = await seedProduct(t, "Job Readiness", "job_readiness");
    const coaching = await seedProduct(t, "Coaching", "coaching");
    const expertSessionId = await admin.as.mutation(api.expertSessions.create, {
      title: "Salary negotiation",
      productIds: [jobReadiness],
      active: false,
    });
    const { user } = renderStaffPages(t, admin, `/manage/expert-sessions/${expertSessionId}/edit`);

    expect(await screen.findByRole("heading", { level: 1, name: "Edit “Salary negotiation”" })).toBeInTheDocument();
    const products = screen.getByRole("combobox", { name: /^Products/ });
    await user.click(products);
    await user.click(await screen.findByRole("option", { name: "Coaching" }));
    await user.click(await screen.findByRole("option", { name: "Job Readiness" }));
    await user.click(screen.getByRole("button", { name: "Save" }));

    const table = await screen.findByRole("table", { name: "Expert sessions" });
    const row = within(table).getByRole("row", { name: /Salary negotiation/ });
    expect(within(row).getByText("Coaching")).toBeInTheDocument();
    expect(within(row).queryByText("Job Readiness")).toBeNull();
    const links = await t.run((ctx) => ctx.db.query("expertSessionProducts").collect());
    expect(links.map((link) => link.productId)).toEqual([coaching]);

    await user.click(screen.getByRole("combobox", { name: "Product" }));
    await user.click(await screen.findByRole("option", { name: "Job Readiness" }));
    expect(await screen.findByText("No expert sessions for this product")).toBeInTheDocument();
    await user.click(screen.getByRole("combobox", { name: "Product" }));
    await user.click(await screen.findByRole("option", { name: "Coaching" }));
    const filtered = await screen.findByRole("row", { name: /Salary negotiation/ });

    await user.click(within(filtered).getByRole("button", { name: "Delete Salary negotiation" }));
    const dialog = await screen.findByRole("dialog", { name: /Delete "Salary negotiation"\?/ });
    await user.click(within(dialog).getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(screen.queryByRole("row", { name: /Salary negotiation/ })).toBeNull());
    expect((await t.run((ctx) => ctx.db.get("expertSessions", expertSessionId)))?.deletedAt).toEqual(expect.any(Number));
  }, UI_TEST_TIMEOUT_MS);

  test("captions: non-WebVTT files are refused before any upload, the language can be corrected, and captions can be removed", async () => {
    const t = newTest();
    const admin = await seedUser(t, { roles: ["admin"] });
    const productId = await seedProduct(t, "Job Readiness", "job_readiness");
    const captionsId = await storeTestUpload(t, WEBVTT_TEXT, "text/vtt");
    await admin.as.action(api.expertSessions.checkCaptionsUpload, { storageId: captionsId });
    const expertSessionId = await admin.as.mutation(api.expertSessions.create, {
      title: "Salary negotiation",
      productIds: [productId],
      active: false,
      video: { storageId: await storeTestUpload(t, new Uint8Array(64), "video/mp4"), durationSeconds: 600 },
      captions: { storageId: captionsId, language: "en" },
    });
    const storedFiles = async () => (await t.run((ctx) => ctx.db.system.query("_storage").collect())).length;
    const session = () => t.run(async (ctx) => (await ctx.db.get("expertSessions", expertSessionId))!);
    const edit = () => renderStaffPages(t, admin, `/manage/expert-sessions/${expertSessionId}/edit`);
    const first = edit();
    const uploader = userEvent.setup({ applyAccept: false });

    expect(await screen.findByText(/Current captions: English \(en\)/)).toBeInTheDocument();
    await expectNoAxeViolations();
    // An SRT file renamed to .vtt, and a text file: refused in the browser, nothing uploaded.
    await uploader.upload(captionsInput(), new File(["1\n00:00:00,000 --> 00:00:04,000\nHi\n"], "talk.vtt", { type: "text/vtt" }));
    expect(await screen.findByText(/This file is not WebVTT: its first line must be "WEBVTT"/)).toBeInTheDocument();
    await uploader.upload(captionsInput(), new File([WEBVTT_TEXT], "talk.txt", { type: "text/plain" }));
    expect(await screen.findByText("This file is not a WebVTT captions file. Choose a .vtt file.")).toBeInTheDocument();
    expect(screen.queryByLabelText("Captions upload progress")).toBeNull();
    expect(await storedFiles()).toBe(2);
    await first.user.click(screen.getByRole("button", { name: "Clear the chosen captions file" }));

    // A language that is not a BCP 47 tag is refused; a valid one is saved in canonical form.
    const language = screen.getByRole("textbox", { name: /Captions language/ });
    expect(language).toHaveValue("en");
    await first.user.clear(language);
    await first.user.type(language, "English");
    await first.user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText('Use a BCP 47 language tag such as "en", "en-GB" or "pt-BR".')).toBeInTheDocument();
    expect((await session()).captionsLanguage).toBe("en");
    await first.user.clear(language);
    await first.user.type(language, "en-gb");
    expect(screen.getByText(/Shown to students as "British English"/)).toBeInTheDocument();
    await first.user.click(screen.getByRole("button", { name: "Save" }));
    const row = await screen.findByRole("row", { name: /Salary negotiation/ });
    expect(within(row).getByText(/10:00 · Captions/)).toBeInTheDocument();
    expect(await session()).toMatchObject({ captionsStorageId: captionsId, captionsLanguage: "en-GB" });
    first.unmount();

    // Remove: asked for, undoable, done on save; the file is deleted.
    const second = edit();
    await second.user.click(await screen.findByRole("button", { name: "Remove captions" }));
    expect(screen.getByText("The captions will be removed when you save.")).toBeInTheDocument();
    expect(screen.queryByRole("textbox", { name: /Captions language/ })).toBeNull();
    await second.user.click(screen.getByRole("button", { name: "Save" }));
    const updated = await screen.findByRole("row", { name: /Salary negotiation/ });
    expect(within(updated).queryByText(/Captions/)).toBeNull();
    expect(await session()).not.toHaveProperty("captionsStorageId");
    expect(await t.run((ctx) => ctx.db.system.get("_storage", captionsId))).toBeNull();
  }, UI_TEST_TIMEOUT_MS);
});
