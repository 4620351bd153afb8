import { execFile } from "node:child_process";
import fs from "node:fs";
import { promisify } from "node:util";
import type { LaunchOptions } from "playwright-core";

const run = promisify(execFile);

/** Debian's `chromium` package (playwright-core downloads no browser, and this machine could not fetch one). */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/**
 * Headless, loopback only: the resolver maps every host name except 127.0.0.1 to "not found", and
 * the background services that phone home are off, so a test page cannot reach the network.
 */
export const CHROMIUM_LAUNCH: LaunchOptions = {
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
  ],
};

/**
 * Decided when a test file loads, before any test runs: Chromium is there, or this process can
 * install it (root with apt-get). Tests that need it are skipped (and reported as skipped) when
 * neither holds; under CI=true that fails the file instead. A failed install later is a failure.
 */
export function chromiumObtainable(): boolean {
  if (executable(CHROMIUM_PATH)) return true;
  const installable = process.getuid?.() === 0 && ["/usr/bin/apt-get", "/bin/apt-get"].some(executable);
  if (installable) return true;
  const why = `Chromium is not at ${CHROMIUM_PATH} and this process cannot install it (needs root and apt-get)`;
  if (process.env.CI === "true") throw new Error(`${why}; CI requires it`);
  console.warn(`[test] skipping browser tests: ${why}`);
  return false;
}

let pending: Promise<string> | undefined;

/** The Chromium executable, installed with apt (`apt-get install -y chromium`, about 30 s) when missing; rejects if that fails. */
export function ensureChromium(): Promise<string> {
  return (pending ??= locateOrInstall());
}

async function locateOrInstall(): Promise<string> {
  if (executable(CHROMIUM_PATH)) return CHROMIUM_PATH;
  const started = Date.now();
  try {
    if (process.getuid?.() !== 0) throw new Error("installing it needs root (apt-get)");
    const apt = (...args: string[]) =>
      run("apt-get", ["-o", "DPkg::Lock::Timeout=180", ...args], {
        env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
        timeout: 300_000,
        maxBuffer: 64 * 1024 * 1024,
      });
    await apt("update");
    await apt("install", "-y", "chromium");
    if (!executable(CHROMIUM_PATH)) throw new Error(`apt-get installed chromium but ${CHROMIUM_PATH} is missing`);
    console.info(`[test] installed Debian chromium in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return CHROMIUM_PATH;
  } catch (err) {
    throw new Error(`Chromium is not at ${CHROMIUM_PATH} and could not be installed: ${(err as Error).message.split("\n")[0]}`);
  }
}

function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
