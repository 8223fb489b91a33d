/**
 * Key material for the zero-account local sign-in ("dev auth").
 *
 * One RS256 key pair per checkout. The private key lives only in the git-ignored `.env.local` as
 * `DEV_AUTH_PRIVATE_KEY` (PKCS#8 PEM); the public half is published to the LOCAL Convex deployment
 * as the `DEV_AUTH_JWKS` environment variable, a `data:` URI holding a JSON Web Key Set, which
 * `convex/auth.config.ts` turns into a `customJwt` provider. The key id (`kid`) is the RFC 7638
 * thumbprint of the public key, so the JWKS and the tokens always agree without storing the kid.
 *
 * Plain ESM with JSDoc types: imported by `scripts/devAuth/setup.mjs` (run by Node 20 directly) and
 * by the Vite dev-server plugin.
 */
import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, importPKCS8 } from "jose";

/** Signing algorithm of dev tokens; must match `algorithm` in the customJwt provider. */
export const DEV_AUTH_ALGORITHM = "RS256";

/** Prefix of the JWKS data URI, in the form the Convex custom JWT docs show. */
export const JWKS_DATA_URI_PREFIX = "data:text/plain;charset=utf-8;base64,";

/**
 * @typedef {{ kty: string; n: string; e: string; kid: string; alg: string; use: string }} PublicJwk
 * @typedef {{ keys: PublicJwk[] }} PublicJwks
 */

/**
 * Generates a fresh RS256 key pair (2048-bit modulus).
 * @returns {Promise<string>} the private key as a PKCS#8 PEM string (the public key is derived from it)
 */
export async function generatePrivateKeyPem() {
  const { privateKey } = await generateKeyPair(DEV_AUTH_ALGORITHM, { extractable: true, modulusLength: 2048 });
  return exportPKCS8(privateKey);
}

/**
 * Normalises a PEM read from an env file: values written on one line carry literal `\n` sequences.
 * @param {string} pem
 * @returns {string}
 */
export function normalizePem(pem) {
  return pem.replace(/\\n/g, "\n").trim() + "\n";
}

/**
 * Imports the private key for signing.
 * @param {string} privateKeyPem PKCS#8 PEM (as stored in `DEV_AUTH_PRIVATE_KEY`)
 * @returns {Promise<CryptoKey>}
 * @throws when the PEM is not an RSA PKCS#8 private key
 */
export async function importPrivateKey(privateKeyPem) {
  return importPKCS8(normalizePem(privateKeyPem), DEV_AUTH_ALGORITHM, { extractable: true });
}

/**
 * Derives the public JWK (with `kid`, `alg`, `use`) from the private key.
 * @param {string} privateKeyPem PKCS#8 PEM
 * @returns {Promise<PublicJwk>}
 */
export async function publicJwkFromPrivateKey(privateKeyPem) {
  const privateJwk = await exportJWK(await importPrivateKey(privateKeyPem));
  if (privateJwk.kty !== "RSA" || !privateJwk.n || !privateJwk.e) {
    throw new Error("DEV_AUTH_PRIVATE_KEY is not an RSA private key");
  }
  const publicPart = { kty: privateJwk.kty, n: privateJwk.n, e: privateJwk.e };
  const kid = await calculateJwkThumbprint(publicPart, "sha256");
  return { ...publicPart, kid, alg: DEV_AUTH_ALGORITHM, use: "sig" };
}

/**
 * The JSON Web Key Set Convex uses to verify dev tokens.
 * @param {string} privateKeyPem PKCS#8 PEM
 * @returns {Promise<PublicJwks>}
 */
export async function publicJwksFromPrivateKey(privateKeyPem) {
  return { keys: [await publicJwkFromPrivateKey(privateKeyPem)] };
}

/**
 * Encodes a JWKS as the `data:` URI stored in the `DEV_AUTH_JWKS` deployment variable.
 * @param {PublicJwks} jwks
 * @returns {string}
 */
export function jwksToDataUri(jwks) {
  return JWKS_DATA_URI_PREFIX + Buffer.from(JSON.stringify(jwks), "utf8").toString("base64");
}

/**
 * Decodes a base64 `data:` URI back into a JWKS (used by tests and diagnostics).
 * @param {string} dataUri
 * @returns {PublicJwks}
 * @throws when the value is not a base64 data URI holding a JSON object with a `keys` array
 */
export function jwksFromDataUri(dataUri) {
  const match = /^data:[^,]*;base64,(.*)$/s.exec(dataUri);
  if (!match) throw new Error("expected a base64 data: URI");
  const parsed = JSON.parse(Buffer.from(match[1], "base64").toString("utf8"));
  if (!parsed || !Array.isArray(parsed.keys)) throw new Error("the data: URI does not hold a JSON Web Key Set");
  return parsed;
}
