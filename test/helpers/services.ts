import { spawnSync } from "node:child_process";

/** The loopback brokers the integration tests use, by the name they are reported under. */
export const SERVICES = { RabbitMQ: 5672, NATS: 4222, Redis: 6379 } as const;
export type ServiceName = keyof typeof SERVICES;

// Runs in a child node: connects to each port, prints the ones that answered.
const PROBE = `
const net = require("node:net");
const ports = process.argv.slice(1).map(Number);
Promise.all(ports.map((port) => new Promise((resolve) => {
  const s = net.connect({ host: "127.0.0.1", port });
  const done = (ok) => { s.destroy(); resolve(ok ? port : null); };
  s.setTimeout(1500, () => done(false));
  s.once("connect", () => done(true));
  s.once("error", () => done(false));
}))).then((up) => process.stdout.write(JSON.stringify(up.filter(Boolean))));
`;

/**
 * Which of `names` accept TCP connections, decided synchronously when a test file loads (before
 * its tests are defined), so tests that need a missing one are reported as skipped. Under
 * CI=true a missing service throws here and fails the file loudly; elsewhere it prints why.
 */
export function servicesUp<N extends ServiceName>(...names: N[]): Record<N, boolean> {
  const ports = names.map((n) => SERVICES[n]);
  const probe = spawnSync(process.execPath, ["-e", PROBE, ...ports.map(String)], { encoding: "utf8", timeout: 10_000 });
  const open = new Set<number>(probe.status === 0 ? JSON.parse(probe.stdout) : []);
  const up = Object.fromEntries(names.map((n) => [n, open.has(SERVICES[n])])) as Record<N, boolean>;
  const missing = names.filter((n) => !up[n]);
  if (missing.length && process.env.CI === "true") {
    throw new Error(`${missing.map((n) => `${n} (127.0.0.1:${SERVICES[n]})`).join(", ")} not reachable; CI requires it`);
  }
  for (const n of missing) console.warn(`[test] skipping ${n} tests: nothing listening on 127.0.0.1:${SERVICES[n]}`);
  return up;
}

/** `it` when the condition holds, else `it.skip` (reported as skipped). */
export const itIf = (ok: boolean): jest.It => (ok ? it : it.skip);
