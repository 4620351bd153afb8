import net from "node:net";

/**
 * Whether a loopback service (broker) accepts TCP connections. Under CI=true a missing service
 * fails the run; elsewhere the caller skips its tests and this prints why.
 */
export async function serviceAvailable(name: string, port: number, host = "127.0.0.1"): Promise<boolean> {
  const ok = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host, port });
    const done = (v: boolean) => {
      socket.destroy();
      resolve(v);
    };
    socket.setTimeout(1500, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
  if (ok) return true;
  if (process.env.CI === "true") throw new Error(`${name} is not reachable on ${host}:${port}; CI requires it`);
  console.warn(`[test] skipping ${name} tests: nothing listening on ${host}:${port}`);
  return false;
}

