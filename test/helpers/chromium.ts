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

let pending: Promise<string | null> | undefined;

/**
 * The Chromium executable, installed with apt (`apt-get install -y chromium`, about 30 s) when
 * missing. Under CI=true a failed install fails the run; elsewhere this prints why and returns
 * null, and the caller skips its browser tests.
 */
export function ensureChromium(): Promise<string | null> {
  return (pending ??= locateOrInstall());
}

async function locateOrInstall(): Promise<string | null> {
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
    const why = `Chromium is not at ${CHROMIUM_PATH} and could not be installed: ${(err as Error).message.split("\n")[0]}`;
    if (process.env.CI === "true") throw new Error(`${why}; CI requires it`);
    console.warn(`[test] skipping browser tests: ${why}`);
    return null;
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
