/**
 * Reading and updating `.env`-style files without disturbing what other tools wrote there
 * (the Convex CLI keeps `CONVEX_DEPLOYMENT`, `VITE_CONVEX_URL` and `VITE_CONVEX_SITE_URL` in `.env.local`).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";

/**
 * Parses an env file; a missing file reads as empty.
 * @param {string} filePath
 * @returns {Record<string, string>}
 */
export function readEnvFile(filePath) {
  if (!existsSync(filePath)) return {};
  return /** @type {Record<string, string>} */ (parseEnv(readFileSync(filePath, "utf8")));
}

/**
 * The variables the Convex CLI sees when it picks a deployment: the process environment first,
 * then `.env.local`, then `.env` (the CLI loads both with dotenv, which never overrides).
 * @param {string} root project directory
 * @param {Record<string, string | undefined>} [processEnv]
 * @returns {Record<string, string | undefined>}
 */
export function convexCliEnv(root, processEnv = process.env) {
  return {
    ...readEnvFile(path.join(root, ".env")),
    ...readEnvFile(path.join(root, ".env.local")),
    ...Object.fromEntries(Object.entries(processEnv).filter(([, value]) => value !== undefined && value !== "")),
  };
}

/**
 * Sets `key=value` in an env file, replacing an existing assignment of `key` or appending one
 * (preceded by `comment` lines). Every other line is kept byte for byte. Values are written in
 * double quotes with newlines escaped as `\n`, which dotenv, Vite and Node's parser all read back.
 * @param {string} filePath
 * @param {string} key
 * @param {string} value
 * @param {string} [comment] written as `# ...` above a newly appended assignment
 */
export function upsertEnvFileValue(filePath, key, value, comment) {
  const assignment = `${key}="${value.replace(/\r?\n/g, "\\n")}"`;
  const original = existsSync(filePath) ? readFileSync(filePath, "utf8") : "";
  const lines = original === "" ? [] : original.replace(/\n$/, "").split("\n");
  const pattern = new RegExp(`^\\s*(export\\s+)?${key}\\s*=`);
  const index = lines.findIndex((line) => pattern.test(line));
  if (index >= 0) {
    lines[index] = assignment;
  } else {
    if (lines.length > 0 && lines[lines.length - 1].trim() !== "") lines.push("");
    if (comment) lines.push(...comment.split("\n").map((line) => `# ${line}`));
    lines.push(assignment);
  }
  writeFileSync(filePath, lines.join("\n") + "\n");
}
