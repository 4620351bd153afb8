/** The dashboard shell: static markup only (nudges are added by dashboard.js with text nodes). */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <meta name="referrer" content="no-referrer" />
  <title>Thrive live nudges</title>
  <link rel="icon" href="/dashboard/favicon.svg" type="image/svg+xml" />
  <link rel="stylesheet" href="/dashboard/dashboard.css" />
</head>
<body>
  <header class="bar">
    <h1>Live nudges</h1>
    <p id="status" class="status" data-state="signed-out" role="status" aria-live="polite"><span class="dot" aria-hidden="true"></span><span id="status-text">Signed out</span></p>
  </header>
  <main>
    <form id="signin" class="signin" method="post" autocomplete="off">
      <label for="tenant-key">Tenant key</label>
      <input id="tenant-key" name="tenant-key" type="password" autocomplete="off" spellcheck="false" required placeholder="Paste a tenant key" />
      <button id="signin-button" type="submit">Sign in</button>
      <p class="hint">The key stays in this tab's memory only: it is not stored, and reloading the page forgets it.</p>
    </form>
    <div id="session" class="session" hidden>
      <p><span id="count">0 nudges</span> since sign-in</p>
      <button id="signout" type="button">Sign out</button>
    </div>
    <p id="error" class="error" role="alert" hidden></p>
    <p id="empty" class="empty" hidden>Waiting for nudges&hellip;</p>
    <ol id="nudges" class="nudges" aria-label="Nudges, newest first"></ol>
  </main>
  <script src="/dashboard/graphql-ws.js"></script>
  <script src="/dashboard/dashboard.js"></script>
</body>
</html>
`;

export const DASHBOARD_CSS = `:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; background: #f3f5f7; }
body { margin: 0; }
.bar { display: flex; align-items: center; justify-content: space-between; padding: 12px 24px; background: #16324f; color: #ffffff; }
.bar h1 { margin: 0; font-size: 20px; }
.status { display: flex; align-items: center; gap: 8px; margin: 0; font-size: 14px; }
.dot { display: inline-block; width: 14px; height: 14px; border-radius: 50%; background: #8c959f; }
.status[data-state="connecting"] .dot, .status[data-state="reconnecting"] .dot { background: #d4a72c; }
.status[data-state="connected"] .dot { background: #1a7f37; }
.status[data-state="rejected"] .dot, .status[data-state="error"] .dot { background: #cf222e; }
main { max-width: 880px; margin: 0 auto; padding: 16px 24px; }
.signin { display: grid; grid-template-columns: auto 1fr auto; gap: 8px 12px; align-items: center; padding: 16px; background: #ffffff; border-radius: 8px; }
.signin input { font: inherit; padding: 6px 8px; border: 1px solid #8c959f; border-radius: 6px; }
.signin .hint { grid-column: 1 / -1; margin: 0; font-size: 13px; color: #59636e; }
button { font: inherit; padding: 6px 14px; border: 0; border-radius: 6px; background: #16324f; color: #ffffff; cursor: pointer; }
.session { display: flex; align-items: center; justify-content: space-between; }
.error { padding: 10px 14px; border-radius: 6px; background: #ffebe9; color: #82071e; border: 1px solid #cf222e; }
.empty { color: #59636e; }
.nudges { list-style: none; margin: 0; padding: 0; display: grid; gap: 10px; }
.nudge { padding: 12px 16px; background: #ffffff; border-left: 8px solid #0b6bcb; border-radius: 6px; }
.nudge-head { display: flex; justify-content: space-between; gap: 12px; }
.trigger { font-weight: 600; }
.nudge time { color: #59636e; font-size: 13px; }
.nudge dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 6px 0 0; font-size: 13px; }
.nudge dt { color: #59636e; }
.nudge dd { margin: 0; font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
.card { margin-top: 8px; padding: 8px 12px; background: #eef5fc; border-radius: 6px; }
.card h3 { margin: 0 0 4px; font-size: 15px; }
.card p { margin: 0; }
.card .description { color: #59636e; font-size: 13px; margin-top: 4px; }
[hidden] { display: none !important; }
`;

export const DASHBOARD_ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#16324f"/><circle cx="8" cy="8" r="3" fill="#1a7f37"/></svg>`;
