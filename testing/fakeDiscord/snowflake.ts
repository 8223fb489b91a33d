/** Discord-style ids for the fake: 64-bit snowflakes (ms since the Discord epoch << 22), as decimal strings. */

const DISCORD_EPOCH_MS = 1420070400000n;
let lastIssued = 0n;

/** A new snowflake, unique and increasing within this process (17–19 digits, like Discord's). */
export function nextSnowflake(): string {
  const fromClock = (BigInt(Date.now()) - DISCORD_EPOCH_MS) << 22n;
  lastIssued = fromClock > lastIssued ? fromClock : lastIssued + 1n;
  return lastIssued.toString();
}

/** Whether `value` looks like a snowflake (what the OpenAPI `SnowflakeType` pattern allows). */
export function isSnowflake(value: string): boolean {
  return /^(0|[1-9][0-9]*)$/.test(value) && value.length <= 20;
}
