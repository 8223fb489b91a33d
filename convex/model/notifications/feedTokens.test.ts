import { describe, expect, test } from "vitest";
import { FEED_TOKEN_PATTERN, hashFeedToken, newFeedToken, sha256, toHex } from "./feedTokens";

async function subtleHex(bytes: Uint8Array): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(bytes))));
}

describe("feed tokens", () => {
  test("SHA-256 matches the standard test vectors and WebCrypto for many lengths", async () => {
    const encode = (text: string) => new TextEncoder().encode(text);
    expect(toHex(sha256(encode("")))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(toHex(sha256(encode("abc")))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(toHex(sha256(encode("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")))).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
    for (let length = 0; length < 200; length += 7) {
      const bytes = crypto.getRandomValues(new Uint8Array(length));
      expect(toHex(sha256(bytes))).toBe(await subtleHex(bytes));
    }
  });

  test("tokens carry 256 random bits as 43 base64url characters and are stored only as their hash", async () => {
    const tokens = new Set(Array.from({ length: 50 }, () => newFeedToken()));
    expect(tokens.size).toBe(50);
    for (const token of tokens) expect(token).toMatch(FEED_TOKEN_PATTERN);
    const [token] = tokens;
    expect(hashFeedToken(token)).toBe(await subtleHex(new TextEncoder().encode(token)));
    expect(hashFeedToken(token)).toMatch(/^[0-9a-f]{64}$/);
  });
});
