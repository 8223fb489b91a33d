import { waitFor } from "@testing-library/react";
import type { UserEvent } from "@testing-library/user-event";
import { expect } from "vitest";

/**
 * Waits until `control` is enabled, then clicks it: a "Show more" whose next page may be asked for,
 * a Save whose form is ready, a filter whose options have loaded.
 */
export async function clickWhenEnabled(user: UserEvent, control: HTMLElement): Promise<void> {
  await waitFor(() => expect(control).toBeEnabled());
  await user.click(control);
}
