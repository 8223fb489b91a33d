import { Button, Code, Text } from "@mantine/core";
import { ConvexProviderWithAuth, useConvexAuth, type ConvexReactClient } from "convex/react";
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";
import { AuthControlsContext, type AuthControls } from "../authControls";
import { FullPageLoader, FullPageMessage } from "../FullPageMessage";
import { DevAuthBanner } from "./DevAuthBanner";
import { fetchPersonaToken } from "./devAuthApi";
import { PersonaPicker } from "./PersonaPicker";
import { readChosenPersona, writeChosenPersona, type ChosenPersona } from "./personaStorage";

/** Refetch a cached token when it has less than this left (ms). */
const TOKEN_REFRESH_MARGIN_MS = 60_000;

type FetchAccessToken = (args: { forceRefreshToken: boolean }) => Promise<string | null>;

type DevAuthState = {
  persona: ChosenPersona | null;
  choosePersona: (persona: ChosenPersona | null) => void;
  fetchAccessToken: FetchAccessToken;
  /** Why the last token request failed (shown when Convex is not authenticated). */
  tokenError: string | null;
};

const DevAuthStateContext = createContext<DevAuthState | null>(null);

function useDevAuthState(): DevAuthState {
  const state = useContext(DevAuthStateContext);
  if (state === null) throw new Error("useDevAuthState must be used inside DevAuthProvider");
  return state;
}

/** The `useAuth` hook ConvexProviderWithAuth calls: signed in exactly when a persona is chosen. */
function useDevAuthForConvex() {
  const { persona, fetchAccessToken } = useDevAuthState();
  const isAuthenticated = persona !== null;
  return useMemo(() => ({ isLoading: false, isAuthenticated, fetchAccessToken }), [isAuthenticated, fetchAccessToken]);
}

/** Picker until a persona is chosen and Convex accepts its token; then the app plus the banner. */
function DevAuthGate({ children }: { children: ReactNode }) {
  const { persona, choosePersona, tokenError } = useDevAuthState();
  const { isLoading, isAuthenticated } = useConvexAuth();
  const switchPersona = useCallback(() => choosePersona(null), [choosePersona]);
  const controls = useMemo<AuthControls>(
    () => ({ mode: "dev", signOut: switchPersona, signOutLabel: "Switch persona" }),
    [switchPersona],
  );

  let content: ReactNode;
  if (persona === null) {
    content = <PersonaPicker onPick={({ subject, name }) => choosePersona({ subject, name })} />;
  } else if (isLoading) {
    content = <FullPageLoader label={`Signing in as ${persona.name}…`} />;
  } else if (!isAuthenticated) {
    content = (
      <FullPageMessage title={`Could not sign in as ${persona.name}`}>
        {tokenError !== null ? (
          <Text>{tokenError}</Text>
        ) : (
          <Text>
            The local Convex deployment did not accept the demo token. It only does once <Code>npm run dev</Code> has
            set DEV_AUTH_JWKS on it; stop the dev server and start it again with <Code>npm run dev</Code>.
          </Text>
        )}
        <Button variant="default" onClick={switchPersona} w="fit-content">
          Choose another persona
        </Button>
      </FullPageMessage>
    );
  } else {
    content = <AuthControlsContext.Provider value={controls}>{children}</AuthControlsContext.Provider>;
  }

  return (
    <>
      {content}
      <DevAuthBanner personaName={persona?.name ?? null} onSwitch={persona === null ? null : switchPersona} />
    </>
  );
}

/**
 * Local demo sign-in (development builds only, loaded lazily behind `import.meta.env.DEV`):
 * `ConvexProviderWithAuth` whose tokens come from the Vite dev-server middleware for the persona
 * picked in {@link PersonaPicker} (remembered in localStorage). Shows a banner while active.
 */
export default function DevAuthProvider({ client, children }: { client: ConvexReactClient; children: ReactNode }) {
  const [persona, setPersona] = useState<ChosenPersona | null>(readChosenPersona);
  const [tokenError, setTokenError] = useState<string | null>(null);
  const cachedToken = useRef<{ subject: string; token: string; expiresAt: number } | null>(null);
  const subject = persona?.subject ?? null;

  const choosePersona = useCallback((next: ChosenPersona | null) => {
    writeChosenPersona(next);
    cachedToken.current = null;
    setTokenError(null);
    setPersona(next);
  }, []);

  const fetchAccessToken = useCallback<FetchAccessToken>(
    async ({ forceRefreshToken }) => {
      if (subject === null) return null;
      const cached = cachedToken.current;
      if (!forceRefreshToken && cached?.subject === subject && cached.expiresAt - Date.now() > TOKEN_REFRESH_MARGIN_MS) {
        return cached.token;
      }
      try {
        const { token, expiresAt } = await fetchPersonaToken(subject);
        cachedToken.current = { subject, token, expiresAt };
        setTokenError(null);
        return token;
      } catch (error) {
        cachedToken.current = null;
        setTokenError(error instanceof Error ? error.message : String(error));
        return null;
      }
    },
    [subject],
  );

  const state = useMemo<DevAuthState>(
    () => ({ persona, choosePersona, fetchAccessToken, tokenError }),
    [persona, choosePersona, fetchAccessToken, tokenError],
  );

  return (
    <DevAuthStateContext.Provider value={state}>
      <ConvexProviderWithAuth client={client} useAuth={useDevAuthForConvex}>
        <DevAuthGate>{children}</DevAuthGate>
      </ConvexProviderWithAuth>
    </DevAuthStateContext.Provider>
  );
}
