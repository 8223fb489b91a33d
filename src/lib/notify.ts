import { notifications } from "@mantine/notifications";
import { errorMessage } from "./errors";

/**
 * Toasts for the outcome of actions that are not forms (inline selects, one-click buttons). Forms
 * show errors in place instead (`applyServerError` in forms.ts).
 */

/** A green notification, e.g. "Course archived". */
export function notifySuccess(message: string): void {
  notifications.show({ message, color: "green" });
}

/** A red notification with the failed call's message (see `errorMessage`). */
export function notifyError(error: unknown, title = "That did not work"): void {
  notifications.show({ title, message: errorMessage(error), color: "red" });
}

/**
 * Runs `action`; on success optionally notifies `successMessage`, on failure shows the error.
 * @returns true when it succeeded.
 */
export async function runWithFeedback(action: () => Promise<unknown>, successMessage?: string): Promise<boolean> {
  try {
    await action();
    if (successMessage) notifySuccess(successMessage);
    return true;
  } catch (error) {
    notifyError(error);
    return false;
  }
}
