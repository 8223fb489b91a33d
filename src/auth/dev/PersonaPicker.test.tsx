import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { MantineProvider } from "@mantine/core";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, test, vi } from "vitest";
import { PERSONAS } from "../../../convex/model/users/personas";
import { createDevAuthMiddleware } from "../../../scripts/devAuth/middleware";
import { theme } from "../../app/theme";
import { PersonaPicker } from "./PersonaPicker";

let server: Server | undefined;

/** Serves the real dev-auth middleware on 127.0.0.1, as the Vite dev server does. */
async function startDevServer(privateKey: string | undefined): Promise<string> {
  const middleware = createDevAuthMiddleware({ readPrivateKey: () => privateKey });
  server = createServer((request, response) =>
    middleware(request, response, () => {
      response.statusCode = 404;
      response.end();
    }),
  );
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

function renderPicker(origin: string, onPick = vi.fn()) {
  render(
    <MantineProvider theme={theme} env="test">
      <PersonaPicker origin={origin} onPick={onPick} />
    </MantineProvider>,
  );
  return onPick;
}

describe("PersonaPicker", () => {
  test("lists every seeded persona as a button and signs in as the one clicked", async () => {
    const onPick = renderPicker(await startDevServer("a configured key"));
    const mentor = await screen.findByRole("button", { name: "Sign in as Maya Mentor, Mentor" });
    expect(screen.getAllByRole("button", { name: /^Sign in as / })).toHaveLength(PERSONAS.length);
    expect(screen.getByRole("button", { name: "Sign in as John Coach, Coach, Mentor" })).toHaveAccessibleDescription(
      "1:1 coach who also mentors",
    );
    expect(screen.queryByText("Local sign-in is not set up yet")).not.toBeInTheDocument();

    await userEvent.click(mentor);
    expect(onPick).toHaveBeenCalledWith(expect.objectContaining({ subject: "persona-mentor", name: "Maya Mentor" }));
  });

  test("warns when the dev server has no signing key yet", async () => {
    renderPicker(await startDevServer(undefined));
    expect(await screen.findByRole("alert")).toHaveTextContent(/DEV_AUTH_PRIVATE_KEY is missing.*npm run dev/);
  });

  test("says so, with a retry, when the dev server does not answer", async () => {
    const origin = await startDevServer("key");
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    renderPicker(origin);
    expect(await screen.findByText("Could not load the demo personas")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});
