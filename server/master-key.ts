import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import type { Config } from "./config";

/** MASTER_KEY from config, or (outside production) one created once under DATA_DIR with mode 0600. */
export function resolveMasterKey(config: Config): Buffer {
  if (config.masterKey) return Buffer.from(config.masterKey, "base64");
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o755 });
  const file = path.join(config.dataDir, "master.key");
  try {
    fs.writeFileSync(file, crypto.randomBytes(32).toString("base64"), { flag: "wx", mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  const key = Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
  return key;
}
