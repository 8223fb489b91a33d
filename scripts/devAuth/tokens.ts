/**
 * Minting of short-lived persona tokens for the zero-account local sign-in. Used only by the Vite
 * dev-server plugin (`vitePlugin.ts`) and tests; never bundled into the client.
 */
import { SignJWT } from "jose";
import { DEV_AUTH_APPLICATION_ID, DEV_AUTH_ISSUER, type Persona } from "../../convex/model/users/personas.ts";
import { DEV_AUTH_ALGORITHM, importPrivateKey, publicJwkFromPrivateKey } from "./keys.mjs";

/** Lifetime of a dev token: 15 minutes, in seconds. The Convex client refreshes before expiry. */
export const DEV_TOKEN_LIFETIME_SECONDS = 15 * 60;

/** A signed token and its expiry (epoch ms). */
export type MintedToken = { token: string; expiresAt: number };

/**
 * Signs an RS256 JWT for `persona` with the local private key.
 *
 * Header: `alg: RS256`, `typ: JWT`, `kid` = thumbprint of the public key (matches the JWKS in
 * `DEV_AUTH_JWKS`). Claims: `iss` = DEV_AUTH_ISSUER, `aud` = DEV_AUTH_APPLICATION_ID,
 * `sub` = persona.subject, `name`, `email`, `email_verified` = true (the demo addresses are verified
 * by construction), `iat` = now, `exp` = now + 15 minutes.
 *
 * @param privateKeyPem PKCS#8 PEM from `DEV_AUTH_PRIVATE_KEY`
 * @param persona the demo person to sign in as
 * @param nowSeconds issue time in epoch seconds (defaults to the current time)
 * @throws when the PEM is not an RSA private key
 */
export async function mintPersonaToken(
  privateKeyPem: string,
  persona: Pick<Persona, "subject" | "name" | "email">,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): Promise<MintedToken> {
  const [privateKey, publicJwk] = await Promise.all([
    importPrivateKey(privateKeyPem),
    publicJwkFromPrivateKey(privateKeyPem),
  ]);
  const expiresAtSeconds = nowSeconds + DEV_TOKEN_LIFETIME_SECONDS;
  const token = await new SignJWT({ name: persona.name, email: persona.email, email_verified: true })
    .setProtectedHeader({ alg: DEV_AUTH_ALGORITHM, typ: "JWT", kid: publicJwk.kid })
    .setIssuer(DEV_AUTH_ISSUER)
    .setAudience(DEV_AUTH_APPLICATION_ID)
    .setSubject(persona.subject)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(expiresAtSeconds)
    .sign(privateKey);
  return { token, expiresAt: expiresAtSeconds * 1000 };
}
