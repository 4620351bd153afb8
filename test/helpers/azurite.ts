import os from "node:os";
import path from "node:path";

/** Azurite's public, well-known development account (see ../shared/stack-more.md §2). */
export const AZURITE_ACCOUNT = "devstoreaccount1";
export const AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/** A running in-process Azurite queue service. */
export interface AzuriteQueue {
  /** Path-style queue endpoint, e.g. `http://127.0.0.1:PORT/devstoreaccount1` (no trailing slash). */
  endpoint: string;
  /** Full connection string with the dev key and this endpoint (never `UseDevelopmentStorage=true`, trap T4). */
  connectionString: string;
  /** Closes the server and drops its in-memory data. Idempotent. */
  stop(): Promise<void>;
}

interface AzuriteServer {
  start(): Promise<void>;
  close(): Promise<void>;
  clean(): Promise<void>;
  getHttpServerAddress(): string;
}

/**
 * Starts Azurite's queue service in this process on 127.0.0.1 and a free port: in memory, no API
 * version check (trap T1), no telemetry, no access or debug log. The Loki paths point into the OS
 * temp dir so nothing can ever land in the repo even if a future Azurite flushes them.
 * The constructor arguments are Azurite internals (positional); re-check them when upgrading Azurite.
 */
export async function startAzuriteQueue(): Promise<AzuriteQueue> {
  // Lazy require(): Azurite's internals ship no types and load only in the tests that start a queue service.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const QueueServer = require("azurite/dist/src/queue/QueueServer").default;
  const QueueConfiguration = require("azurite/dist/src/queue/QueueConfiguration").default;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const tmp = path.join(os.tmpdir(), `thrive-azurite-${process.pid}-${Date.now()}`);
  const config = new QueueConfiguration(
    "127.0.0.1", // host
    0, // port: any free one
    undefined, // keepAliveTimeout
    path.join(tmp, "queue.json"), // metadataDBPath (in memory, never written)
    path.join(tmp, "extent.json"), // extentDBPath (in memory, never written)
    [{ locationId: "Default", locationPath: tmp, maxConcurrency: 1 }], // persistencePathArray (unused in memory)
    false, // enableAccessLog
    undefined, // accessLogWriteStream
    false, // enableDebugLog
    undefined, // debugLogFilePath
    false, // loose
    true, // skipApiVersionCheck
    "", // cert
    "", // key
    "", // pwd
    undefined, // oauth
    false, // disableProductStyleUrl
    true, // isMemoryPersistence
  );
  const server: AzuriteServer = new QueueServer(config);
  await server.start();
  const port = new URL(server.getHttpServerAddress()).port;
  const endpoint = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};QueueEndpoint=${endpoint};`,
    stop: () => (stopped ??= server.close().then(() => server.clean())),
  };
}
