import { useState } from "react";
import { errorMessage } from "./errors";

/**
 * A server call made from a dialog or card that shows its failure in place (not as a toast).
 * `run(call)` clears the last error, marks the call `running`, awaits `call` and resolves true; when
 * `call` throws, it keeps the error's message (`errorMessage`: the server's own sentence) in `error`
 * and resolves false. `setError` shows the message of a check made before calling, the same way.
 */
export function useServerCall(): {
  running: boolean;
  error: string | null;
  setError: (message: string | null) => void;
  run: (call: () => Promise<unknown>) => Promise<boolean>;
} {
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (call: () => Promise<unknown>) => {
    setRunning(true);
    setError(null);
    try {
      await call();
      return true;
    } catch (caught) {
      setError(errorMessage(caught));
      return false;
    } finally {
      setRunning(false);
    }
  };
  return { running, error, setError, run };
}
