import express, { type NextFunction, type Request, type Response } from "express";
import fs from "node:fs";
import path from "node:path";
import { DASHBOARD_CSS, DASHBOARD_HTML, DASHBOARD_ICON } from "./page";
import { DASHBOARD_JS } from "./client-script";

/**
 * Self only: the page, its script, its stylesheet and the graphql-ws client all come from this
 * server, and the only connection it opens is the same-origin WebSocket (CSP3 `'self'` covers
 * ws:/wss: to the same host). No inline script or style, so injected markup could not run even if
 * escaping failed. `form-action 'none'`: if the script did not load, submitting the sign-in form
 * goes nowhere instead of putting the key into a URL.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * The live nudge dashboard (`GET /dashboard`): an operator pastes a tenant key, the page keeps it
 * in memory only and sends it as graphql-ws `connectionParams`, then shows `nudgeCreated` as it
 * arrives. Not part of the /v1 facade or its OpenAPI document.
 *
 * The browser client is graphql-ws's own UMD build (`graphql-ws/umd/graphql-ws.min.js`), served
 * from the installed package, so the page speaks exactly the protocol version the server runs.
 */
export function createDashboardRouter(): express.Router {
  const graphqlWsUmd = fs.readFileSync(path.join(path.dirname(require.resolve("graphql-ws/package.json")), "umd", "graphql-ws.min.js"));
  const router = express.Router();
  router.use((_req: Request, res: Response, next: NextFunction) => {
    res.set({
      "Content-Security-Policy": DASHBOARD_CSP,
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
      "Cross-Origin-Opener-Policy": "same-origin",
      "Cache-Control": "no-store",
    });
    next();
  });
  router.get("/", (_req, res) => void res.type("html").send(DASHBOARD_HTML));
  router.get("/dashboard.js", (_req, res) => void res.type("application/javascript").send(DASHBOARD_JS));
  router.get("/dashboard.css", (_req, res) => void res.type("text/css").send(DASHBOARD_CSS));
  router.get("/favicon.svg", (_req, res) => void res.type("image/svg+xml").send(DASHBOARD_ICON));
  router.get("/graphql-ws.js", (_req, res) => void res.type("application/javascript").send(graphqlWsUmd));
  return router;
}
