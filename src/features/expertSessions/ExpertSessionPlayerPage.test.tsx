import { screen } from "@testing-library/react";
import { Route, Routes } from "react-router";
import { describe, expect, test } from "vitest";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { newTest, seedProduct, seedUser } from "../../../testing/convex";
import { expectNoAxeViolations } from "../../test/axe";
import { renderWithBackend } from "../../test/renderWithBackend";
import { ExpertSessionPlayerPage } from "./ExpertSessionPlayerPage";
import { storeTestUpload, WEBVTT_TEXT } from "./testFixtures";

/** These tests drive the page through the real backend; give them room on a busy machine. */
const UI_TEST_TIMEOUT_MS = 20_000;

/** A published session for one product whose only student is returned; with Spanish captions when asked. */
async function setup(withCaptions: boolean) {
  const t = newTest();
  const admin = await seedUser(t, { roles: ["admin"] });
  const student = await seedUser(t, { roles: ["student"], name: "Sam Student" });
  const outsider = await seedUser(t, { roles: ["student"], name: "Olga Outsider" });
  const productId = await seedProduct(t, "Job Readiness", "job_readiness", [student.userId]);
  let captions: { storageId: Id<"_storage">; language: string } | undefined;
  if (withCaptions) {
    const storageId = await storeTestUpload(t, WEBVTT_TEXT, "text/vtt");
    await admin.as.action(api.expertSessions.checkCaptionsUpload, { storageId });
    captions = { storageId, language: "es" };
  }
  const expertSessionId = await admin.as.mutation(api.expertSessions.create, {
    title: "Salary negotiation",
    productIds: [productId],
    active: true,
    video: { storageId: await storeTestUpload(t, new Uint8Array(64), "video/mp4"), durationSeconds: 600 },
    ...(captions !== undefined ? { captions } : {}),
  });
  const render = (as: typeof student) =>
    // In a <main> landmark, as inside the app shell.
    renderWithBackend(
      <main>
        <Routes>
          <Route path="/expert-sessions/:expertSessionId" element={<ExpertSessionPlayerPage />} />
        </Routes>
      </main>,
      { t, as, route: `/expert-sessions/${expertSessionId}` },
    );
  return { t, student, outsider, expertSessionId, render };
}

describe("expert session player", () => {
  test("plays the video with its captions track, on by default and labelled with the language", async () => {
    const { t, student, expertSessionId, render } = await setup(true);
    render(student);

    const video = await screen.findByLabelText("Video: Salary negotiation");
    const tracks = video.querySelectorAll("track");
    expect(tracks).toHaveLength(1);
    const track = tracks[0];
    expect(track).toHaveAttribute("kind", "captions");
    expect(track).toHaveAttribute("srclang", "es");
    expect(track).toHaveAttribute("label", "Spanish");
    expect(track).toHaveAttribute("default");
    const session = await t.run(async (ctx) => (await ctx.db.get("expertSessions", expertSessionId))!);
    const captionsUrl = await t.run((ctx) => ctx.storage.getUrl(session.captionsStorageId!));
    expect(track).toHaveAttribute("src", captionsUrl);
    // The captions URL is on the Convex deployment's origin: the track loads in CORS mode.
    expect(video).toHaveAttribute("crossorigin", "anonymous");
    await expectNoAxeViolations();
  }, UI_TEST_TIMEOUT_MS);

  test("a session without captions has no track; a student without its products gets neither video nor captions", async () => {
    const withoutCaptions = await setup(false);
    const { unmount } = withoutCaptions.render(withoutCaptions.student);
    const video = await screen.findByLabelText("Video: Salary negotiation");
    expect(video.querySelector("track")).toBeNull();
    expect(video).not.toHaveAttribute("crossorigin");
    unmount();

    const withCaptions = await setup(true);
    withCaptions.render(withCaptions.outsider);
    expect(await screen.findByText("This expert session is not available")).toBeInTheDocument();
    expect(document.querySelector("video, track")).toBeNull();
  }, UI_TEST_TIMEOUT_MS);
});
