import type { ReactNode } from "react";

/**
 * A `<form>` whose submit (the submit button, Enter in a field) runs `onSubmit` in the page instead
 * of reloading it. The browser's own field checks are off (`noValidate`): our code checks the values
 * and shows its messages next to the fields.
 *
 * @param onSubmit what submitting does; a returned promise is not awaited (it reports its own errors).
 */
export function SubmitForm({ onSubmit, children }: { onSubmit: () => unknown; children: ReactNode }) {
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void onSubmit();
      }}
    >
      {children}
    </form>
  );
}
