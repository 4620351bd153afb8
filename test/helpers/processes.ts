import { execFile, spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { waitFor } from "./harness";

/** The repository root; `scripts/ts-run.js` below it runs the TypeScript sources without a build. */
export const repoRoot = path.resolve(__dirname, "../..");

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<number | string | null>;
  /** SIGKILL if still running; resolves when it has exited. */
  kill(): Promise<void>;
}

/** `server/main.ts` of the checkout at `cwd`, as `npm start` runs it (without the build step). */
export function spawnServer(cwd: string, env: NodeJS.ProcessEnv, port: number): ServerProcess {
  const child = spawn(process.execPath, [path.join(cwd, "scripts/ts-run.js"), "server/main.ts"], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const exited = new Promise<number | string | null>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal)));
  return {
    child,
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => out,
    exited,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Waits for `GET /readyz` to answer 200; on timeout the error carries the server's last output. */
export async function waitReady(server: ServerProcess, timeoutMs = 120_000): Promise<void> {
  await waitFor(
    async () => {
      if (server.child.exitCode !== null) throw new Error(`the server exited with ${server.child.exitCode}`);
      return (await fetch(`${server.baseUrl}/readyz`).catch(() => null))?.status === 200 ? true : undefined;
    },
    { timeoutMs, intervalMs: 200 },
  ).catch((err: Error) => {
    throw new Error(`${err.message}; server output:\n${server.output().slice(-3000)}`);
  });
}

/** The admin CLI of the checkout at `cwd`. */
export function runCli(cwd: string, args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [path.join(cwd, "scripts/ts-run.js"), "scripts/admin.ts", ...args], { cwd, env, timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
