/** The persona chosen in the picker, remembered per browser (localStorage) across reloads. */
export type ChosenPersona = { subject: string; name: string };

const STORAGE_KEY = "sessions-hub:dev-auth:persona";

/** The remembered persona, or null when none was chosen or storage is unavailable. */
export function readChosenPersona(): ChosenPersona | null {
  try {
    const raw = window.localStorage.getItem(STORAGE_KEY);
    if (raw === null) return null;
    const parsed = JSON.parse(raw) as Partial<ChosenPersona>;
    return typeof parsed.subject === "string" && typeof parsed.name === "string"
      ? { subject: parsed.subject, name: parsed.name }
      : null;
  } catch {
    return null;
  }
}

/** Remembers `persona` (null forgets it). Storage failures (private mode) only lose persistence. */
export function writeChosenPersona(persona: ChosenPersona | null): void {
  try {
    if (persona === null) window.localStorage.removeItem(STORAGE_KEY);
    else window.localStorage.setItem(STORAGE_KEY, JSON.stringify(persona));
  } catch {
    // Keep working for this page load.
  }
}
