// A real OAuth 2 authorization server (oidc-provider) on loopback for the device OAuth tests.
// Plain node (oidc-provider is ESM-only): `node oauth-authorization-server.mjs '<json>'` with
// {"clients":[{client_id, client_secret, redirect_uris, token_endpoint_auth_method, scope?}], "scopes":[...]}.
// Prints one JSON line {"issuer"} once listening; exits when stdin closes.
// Login and consent are granted automatically (the test plays the member's browser).
import http from "node:http";
import Provider from "oidc-provider";

const opts = JSON.parse(process.argv[2] ?? "{}");
const server = http.createServer();
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: opts.clients.map((c) => ({ grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], ...c })),
  scopes: opts.scopes ?? ["openid", "offline_access"],
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false }, revocation: { enabled: true }, introspection: { enabled: true } },
  findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ["oauth-test-server-cookie-key"] },
  // Like most wearable providers: a refresh token for every code exchange (no offline_access + prompt=consent dance).
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
  // Rotate on every refresh (a reused refresh token is then invalid_grant and revokes the grant).
  rotateRefreshToken: true,
});
provider.on("server_error", (_ctx, err) => process.stderr.write(`oauth server error: ${err.stack}\n`));

const handler = provider.callback();
server.on("request", async (req, res) => {
  if (!req.url.startsWith("/interaction/")) return handler(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    let result;
    if (details.prompt.name === "login") {
      result = { login: { accountId: "wearable-member-1" } };
    } else {
      const grant = new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
      const missing = details.prompt.details.missingOIDCScope;
      if (missing) grant.addOIDCScope(missing.join(" "));
      for (const [indicator, scopes] of Object.entries(details.prompt.details.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(" "));
      result = { consent: { grantId: await grant.save() } };
    }
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  } catch (err) {
    res.statusCode = 500;
    res.end(String(err));
  }
});

process.stdout.write(`${JSON.stringify({ issuer })}\n`);
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
