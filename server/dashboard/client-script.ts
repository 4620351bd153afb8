/**
 * dashboard.js, the page's only own script (plain ES2017, no build step; kept as a string so `tsc`
 * output needs no asset copying, like the docs router). It uses the global `graphqlWs` from the
 * graphql-ws UMD build served next to it.
 *
 * Privacy and safety rules it keeps:
 * - the tenant key lives only in the closure of `connect()` (and graphql-ws's memory): never in
 *   storage, cookies, the URL or the DOM (the input is cleared on submit);
 * - all data becomes text nodes (`textContent`), never markup;
 * - a rejected key (close code 4403) stops the client: no retry loop with a bad key.
 * No template literals inside: this file is itself a template literal.
 */
export const DASHBOARD_JS = `(function () {
  "use strict";
  var QUERY = "subscription DashboardNudges { nudgeCreated { eventId userId triggerName targetType targetId occurredAt data } }";
  var FORBIDDEN = 4403;
  var MAX_ITEMS = 200;
  var byId = function (id) { return document.getElementById(id); };
  var form = byId("signin"), keyInput = byId("tenant-key"), statusEl = byId("status"), statusText = byId("status-text");
  var errorEl = byId("error"), sessionEl = byId("session"), countEl = byId("count"), emptyEl = byId("empty");
  var list = byId("nudges"), signOutButton = byId("signout");
  /** The live session: { client, unsubscribe }. */
  var session = null;
  var seen = new Set();
  var count = 0;

  function setStatus(state, text) { statusEl.setAttribute("data-state", state); statusText.textContent = text; }
  function showError(message) { errorEl.textContent = message || ""; errorEl.hidden = !message; }
  function isCloseEvent(e) { return !!e && typeof e === "object" && "code" in e && "reason" in e; }

  function endSession() {
    var s = session;
    if (!s) return;
    session = null;
    if (s.unsubscribe) s.unsubscribe();
    s.client.dispose();
  }

  function signOut(state, text) {
    endSession();
    form.hidden = false;
    sessionEl.hidden = true;
    emptyEl.hidden = true;
    setStatus(state, text);
  }

  function rejected(s) {
    if (session !== s) return;
    showError("The tenant key was rejected. Check that it was copied whole and has not been revoked or rotated.");
    signOut("rejected", "Key rejected");
    keyInput.focus();
  }

  function describeErrors(errors) {
    return "The server refused the live feed: " + errors.map(function (e) {
      var code = e && e.extensions && e.extensions.code;
      return (code ? code + ": " : "") + (e && e.message ? e.message : "error");
    }).join("; ");
  }

  function connect(key) {
    var s = {};
    session = s;
    s.client = graphqlWs.createClient({
      url: (location.protocol === "https:" ? "wss:" : "ws:") + "//" + location.host + "/graphql",
      connectionParams: { "taih-tenant-key": key },
      retryAttempts: Infinity,
      retryWait: function (retries) {
        return new Promise(function (resolve) { setTimeout(resolve, Math.min(1000 * Math.pow(2, retries), 15000)); });
      },
      shouldRetry: function (e) { return !(isCloseEvent(e) && e.code === FORBIDDEN); },
      keepAlive: 15000,
      on: {
        connecting: function (retrying) {
          if (session === s) setStatus(retrying ? "reconnecting" : "connecting", retrying ? "Reconnecting\\u2026" : "Connecting\\u2026");
        },
        connected: function () {
          if (session !== s) return;
          showError("");
          setStatus("connected", "Live");
        },
        closed: function (e) {
          if (session !== s) return;
          if (isCloseEvent(e) && e.code === FORBIDDEN) rejected(s);
          else setStatus("reconnecting", "Connection lost, reconnecting\\u2026");
        }
      }
    });
    s.unsubscribe = s.client.subscribe({ query: QUERY }, {
      next: function (result) {
        if (session !== s) return;
        if (result.errors && result.errors.length) showError(describeErrors(result.errors));
        else if (result.data && result.data.nudgeCreated) addNudge(result.data.nudgeCreated);
      },
      error: function (err) {
        if (session !== s) return;
        if (isCloseEvent(err) && err.code === FORBIDDEN) return rejected(s);
        showError(Array.isArray(err) ? describeErrors(err) : "The live connection failed. Sign in again to retry.");
        signOut("error", "Disconnected");
      },
      complete: function () { if (session === s) signOut("signed-out", "Signed out"); }
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function str(v) { return typeof v === "string" && v ? v : null; }

  /** Header and body of an inline card (full delivery) or health action; null when there is none. */
  function cardText(d) {
    if (!d || typeof d !== "object") return null;
    var body = d.item_body && typeof d.item_body === "object" ? d.item_body : {};
    var header = str(d.item_header) || str(body.header) || str(d.title);
    var main = str(body.main) || str(d.item_body);
    var description = str(body.description) || str(d.description);
    return header || main || description ? { header: header, main: main, description: description } : null;
  }

  function formatTime(iso) {
    var t = new Date(iso);
    return isNaN(t.getTime()) ? String(iso) : t.toLocaleString();
  }

  function addNudge(n) {
    if (seen.has(n.eventId)) return;
    seen.add(n.eventId);
    count += 1;
    countEl.textContent = count === 1 ? "1 nudge" : count + " nudges";
    emptyEl.hidden = true;

    var item = el("li", "nudge");
    item.setAttribute("data-event-id", String(n.eventId));
    var head = el("div", "nudge-head");
    head.appendChild(el("span", "trigger", n.triggerName));
    var time = el("time", null, formatTime(n.occurredAt));
    time.setAttribute("datetime", String(n.occurredAt));
    head.appendChild(time);
    item.appendChild(head);

    var facts = el("dl");
    [["Target", n.targetType + " " + n.targetId], ["Member", n.userId]].forEach(function (pair) {
      facts.appendChild(el("dt", null, pair[0]));
      facts.appendChild(el("dd", null, pair[1]));
    });
    item.appendChild(facts);

    var card = cardText(n.data);
    if (card) {
      var box = el("div", "card");
      if (card.header) box.appendChild(el("h3", null, card.header));
      if (card.main) box.appendChild(el("p", "main", card.main));
      if (card.description) box.appendChild(el("p", "description", card.description));
      item.appendChild(box);
    }

    list.insertBefore(item, list.firstChild);
    while (list.children.length > MAX_ITEMS) list.removeChild(list.lastChild);
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var key = keyInput.value.trim();
    keyInput.value = "";
    if (!key) { showError("Paste a tenant key to sign in."); return; }
    endSession();
    showError("");
    list.textContent = "";
    seen.clear();
    count = 0;
    countEl.textContent = "0 nudges";
    form.hidden = true;
    sessionEl.hidden = false;
    emptyEl.hidden = false;
    setStatus("connecting", "Connecting\\u2026");
    connect(key);
  });

  signOutButton.addEventListener("click", function () {
    showError("");
    signOut("signed-out", "Signed out");
    keyInput.focus();
  });

  window.addEventListener("pagehide", endSession);
})();
`;
