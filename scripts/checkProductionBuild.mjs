#!/usr/bin/env node
/**
 * Fails when a production build (`dist/`) contains any of the local demo sign-in code, or any of the
 * real-browser suite's Convex stand-in (test code under `testing/`).
 *
 * Usage: `node scripts/checkProductionBuild.mjs [distDir]` after `vite build` (default `dist`).
 * Exit code 0: clean; 1: a marker was found (the files are listed); 2: no build to check.
 *
 * The markers are strings that only the dev-auth code contains: its route prefix, the banner text,
 * the persona picker heading, the localStorage key and the dev token issuer. The stand-in's markers
 * are its log prefix and name, and the placeholder origin of convex-test, which it runs on.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export const DEV_AUTH_MARKERS = [
  "/__dev-auth/",
  "__dev-auth",
  "Local demo sign-in",
  "Sign in as a demo persona",
  "sessions-hub:dev-auth",
  "dev-auth.sessions-hub.localhost",
  "DEV_AUTH_PRIVATE_KEY",
];

export const STAND_IN_MARKERS = ["[convex stand-in]", "Convex stand-in", "some-deployment.convex.cloud", "allowsLongDelays"];

/**
 * Lists every file under `directory` (recursively).
 * @param {string} directory
 * @returns {string[]}
 */
function listFiles(directory) {
  return readdirSync(directory).flatMap((name) => {
    const full = path.join(directory, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

/**
 * Finds dev-auth and stand-in markers in the built files.
 * @param {string} distDir
 * @returns {{ file: string; marker: string }[]}
 */
export function findDevAuthMarkers(distDir) {
  const findings = [];
  for (const file of listFiles(distDir)) {
    const text = readFileSync(file, "latin1");
    for (const marker of [...DEV_AUTH_MARKERS, ...STAND_IN_MARKERS]) {
      if (text.includes(marker)) findings.push({ file: path.relative(distDir, file), marker });
    }
  }
  return findings;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isMain) {
  const distDir = path.resolve(process.argv[2] ?? "dist");
  if (!existsSync(distDir)) {
    console.error(`✖ ${distDir} does not exist; run \`vite build\` first.`);
    process.exit(2);
  }
  const findings = findDevAuthMarkers(distDir);
  if (findings.length > 0) {
    console.error("✖ The production build contains local demo sign-in or Convex stand-in code:");
    for (const { file, marker } of findings) console.error(`  ${file}: "${marker}"`);
    process.exit(1);
  }
  console.log(`✔ No demo sign-in or stand-in code in ${path.relative(process.cwd(), distDir) || distDir}.`);
}
