import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";

export interface OAuthTestClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
  token_endpoint_auth_method: "client_secret_basic" | "client_secret_post";
}

export interface OAuthTestServer {
  issuer: string;
  /** RFC 7662 introspection as the given client: is the token live at the provider? */
  isActive(client: OAuthTestClient, token: string): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * Starts oidc-provider (a real OAuth 2 authorization server) in a child process: it is ESM-only,
 * which jest on Node 20 cannot load, so it runs under plain node from oauth-authorization-server.mjs.
 */
export async function startOAuthServer(opts: { clients: OAuthTestClient[]; scopes: string[] }): Promise<OAuthTestServer> {
  const child: ChildProcess = spawn(process.execPath, [path.join(__dirname, "oauth-authorization-server.mjs"), JSON.stringify(opts)], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += String(d)));
  const issuer = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += String(d);
      const nl = out.indexOf("\n");
      if (nl >= 0) resolve((JSON.parse(out.slice(0, nl)) as { issuer: string }).issuer);
    });
    child.once("exit", (code) => reject(new Error(`oauth server exited (${code}): ${stderr}`)));
  });
  return {
    issuer,
    async isActive(client, token) {
      const res = await fetch(`${issuer}/token/introspection`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString("base64")}`,
        },
        body: new URLSearchParams({ token }),
      });
      return ((await res.json()) as { active: boolean }).active;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.stdin!.end();
      }),
  };
}

/**
 * Plays the member's browser: follows redirects (with a cookie jar) from the authorization URL
 * through the provider's login and consent until it is sent to `until`; returns that URL.
 */
export async function authorizeInBrowser(authorizationUrl: string, until: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = authorizationUrl;
  for (let hop = 0; hop < 20; hop++) {
    const res = await fetch(url, { redirect: "manual", headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") } });
    for (const c of res.headers.getSetCookie()) {
      const pair = c.split(";")[0];
      const eq = pair.indexOf("=");
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    const location = res.headers.get("location");
    if (!location) throw new Error(`the provider stopped at ${res.status}: ${await res.text()}`);
    url = new URL(location, url).toString();
    if (url.startsWith(until)) return new URL(url);
  }
  throw new Error("too many redirects");
}

/**
 * A loopback front door whose target is set later: the callback URL must be known before the API
 * (on an ephemeral port) starts, so providers redirect here and it forwards to the API.
 */
export async function startForwarder(): Promise<{ port: number; target: number; stop(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const state = { port: 0, target: 0 };
  const server = net.createServer((client) => {
    const upstream = net.connect(state.target, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.port = (server.address() as net.AddressInfo).port;
  return Object.assign(state, {
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  });
}
