import express from "express";
import path from "node:path";

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Thrive AI Health Partner API reference</title>
  <link rel="stylesheet" href="/docs/api-reference/assets/swagger-ui.css" />
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/api-reference/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/api-reference/init.js"></script>
</body>
</html>`;

const INIT = `window.ui = SwaggerUIBundle({ url: "/v1/openapi.json", dom_id: "#swagger-ui", deepLinking: true, tryItOutEnabled: true });`;

/** The interactive reference, served from the swagger-ui-dist npm package (no CDN). */
export function createDocsRouter(): express.Router {
  const router = express.Router();
  const assets = path.dirname(require.resolve("swagger-ui-dist/package.json"));
  router.get("/", (_req, res) => void res.type("html").send(PAGE));
  router.get("/init.js", (_req, res) => void res.type("application/javascript").send(INIT));
  router.use("/assets", express.static(assets, { index: false, maxAge: "1h" }));
  return router;
}
