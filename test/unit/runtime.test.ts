import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/**
 * The project runs on Node 24 LTS whatever Node the machine has: the `node` dependency puts its
 * binary first on every npm script's PATH. These fail if jest, a process it spawns, or a bare
 * `node` on an npm script's PATH is an older runtime.
 */
const major = (v: string) => Number(v.trim().replace(/^v/, "").split(".")[0]);
const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "../../package.json"), "utf8")) as { engines: { node: string }; dependencies: Record<string, string> };

describe("runtime", () => {
  it("runs the suite on Node 24 or later, as package.json's engines says", () => {
    expect(major(process.versions.node)).toBeGreaterThanOrEqual(24);
    expect(major(pkg.engines.node.replace(/^>=/, ""))).toBe(24);
    expect(major(pkg.dependencies.node)).toBe(24);
  });

  it("spawns the same Node 24 through process.execPath and through a bare `node` on the script PATH", () => {
    expect(major(execFileSync(process.execPath, ["-p", "process.versions.node"], { encoding: "utf8" }))).toBeGreaterThanOrEqual(24);
    const bare = execFileSync("node", ["-p", "process.execPath"], { encoding: "utf8" }).trim();
    expect(path.resolve(bare)).toContain(path.join("node_modules", "node", "bin"));
  });
});
