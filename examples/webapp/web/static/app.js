// My Profile page: tabs, and each tab's form sent to the JSON API.
// No framework, no build step.
"use strict";

(() => {
  const api = document.body.dataset.api;
  const L = JSON.parse(document.getElementById("labels").textContent);
  const $ = (sel) => document.querySelector(sel);

  // --- tabs -------------------------------------------------------------
  const tabs = Array.from(document.querySelectorAll('[role="tab"]'));
  function showTab(tab) {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute("aria-selected", String(on));
      document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
    }
  }
  for (const t of tabs) t.addEventListener("click", () => showTab(t));
  if (tabs.length > 0) showTab(tabs[0]);

  // --- API calls --------------------------------------------------------
  // call sends one JSON request and returns {status, data}. State-changing
  // requests carry Content-Type: application/json, which the API requires.
  async function call(method, path, body, headers = {}) {
    const opts = { method, credentials: "same-origin", headers: { Accept: "application/json", ...headers } };
    if (method === "POST" || method === "PUT" || method === "PATCH") {
      opts.headers["Content-Type"] = "application/json";
      opts.body = body === undefined ? "" : JSON.stringify(body);
    }
    const res = await fetch(api + path, opts);
    let data = null;
    if (res.status !== 204) {
      try { data = await res.json(); } catch { data = null; }
    }
    return { status: res.status, data };
  }

  function setStatus(el, text, ok) {
    el.textContent = text;
    el.classList.toggle("ok", ok);
    el.classList.toggle("error", !ok);
  }

  function errorMessage(data) {
    return (data && data.error && data.error.message) || L["error.internal"] || "Error";
  }

  // --- Personal Information Details --------------------------------------
  const personal = $("#personal-form");
  if (personal) {
    personal.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const status = $("#personal-status");
      setStatus(status, "", true);
      for (const p of personal.querySelectorAll(".field-error")) p.textContent = "";
      const body = {};
      for (const input of personal.querySelectorAll("input[name]")) {
        if (!input.readOnly) body[input.name] = input.value;
      }
      const { status: code, data } = await call("PATCH", "/profile", body, { "If-Match": `"${personal.dataset.version}"` });
      if (code === 200) {
        personal.dataset.version = String(data.version);
        for (const input of personal.querySelectorAll("input[name]")) {
          if (input.name in data.profile) input.value = data.profile[input.name];
        }
        setStatus(status, L["ui.saved"], true);
        return;
      }
      for (const v of (data && data.error && data.error.violations) || []) {
        const p = personal.querySelector(`[data-error-for="${CSS.escape(v.field)}"]`);
        if (p) p.textContent = v.message;
      }
      setStatus(status, errorMessage(data), false);
    });
  }

  // --- Preferences -----------------------------------------------------------
  const prefs = $("#preferences-form");
  if (prefs) {
    prefs.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const { status: code, data } = await call("PUT", "/language", { language: $("#language").value });
      if (code === 200) {
        window.location.reload(); // the whole page in the new language
        return;
      }
      setStatus($("#preferences-status"), errorMessage(data), false);
    });
  }

  // --- Password --------------------------------------------------------------
  const pw = $("#password-form");
  if (pw) {
    pw.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const list = $("#password-errors");
      const status = $("#password-status");
      list.replaceChildren();
      status.textContent = "";
      const { status: code, data } = await call("POST", "/password", {
        current_password: $("#current-password").value,
        new_password: $("#new-password").value,
        confirm_password: $("#confirm-password").value,
      });
      if (code === 204) {
        pw.reset();
        setStatus(status, L["ui.password_changed"], true);
        return;
      }
      const vs = (data && data.error && data.error.violations) || [];
      if (vs.length === 0) {
        vs.push({ field: "", rule: data && data.error ? data.error.code : "error", message: errorMessage(data) });
      }
      for (const v of vs) {
        const li = document.createElement("li");
        li.textContent = v.message;
        li.dataset.field = v.field;
        li.dataset.rule = v.rule;
        list.append(li);
      }
    });
  }

  // --- API Token ---------------------------------------------------------------
  const tokenPanel = $("#panel-api_token");
  if (tokenPanel) {
    const value = $("#token-value");
    const copyBtn = $("#token-copy");
    const status = $("#token-status");
    const dialog = $("#regenerate-dialog");

    async function toClipboard(text) {
      try {
        await navigator.clipboard.writeText(text);
        return true;
      } catch {
        value.focus();
        value.select();
        return document.execCommand("copy");
      }
    }

    copyBtn.addEventListener("click", async () => {
      const { status: code, data } = await call("POST", "/token/reveal");
      if (code !== 200) {
        setStatus(status, errorMessage(data), false);
        return;
      }
      value.value = data.token;
      await toClipboard(data.token);
      setStatus(status, L["ui.token.copied"], true);
    });

    $("#token-regenerate").addEventListener("click", () => dialog.showModal());
    dialog.addEventListener("close", async () => {
      if (dialog.returnValue !== "confirm") return;
      const { status: code, data } = await call("POST", "/token/regenerate");
      if (code !== 200) {
        setStatus(status, errorMessage(data), false);
        return;
      }
      value.value = data.token;
      const none = $("#token-none");
      if (none) none.remove();
      const retrievable = tokenPanel.dataset.retrievable === "true";
      copyBtn.hidden = false;
      setStatus(status, L["ui.token.regenerated"] + (retrievable ? "" : " " + L["ui.token.shown_once"]), true);
    });
  }
})();
