// TaskGrid's browser client: the API key (asked once, kept in sessionStorage for this tab's
// session) and small helpers shared by the page and the dashboard. Only /v1 is called.
"use strict";

const TaskGrid = (() => {
  const KEY = "taskgrid.apiKey";
  let me = null;
  let onSignedIn = () => {};

  class ApiError extends Error {
    constructor(status, problem) {
      super(problem?.detail || problem?.title || `HTTP ${status}`);
      this.status = status;
      this.problem = problem;
    }
  }

  function key() { return sessionStorage.getItem(KEY); }

  async function api(path, options = {}) {
    const headers = { Accept: "application/json", ...(options.headers || {}) };
    const k = key();
    if (k) headers.Authorization = `Bearer ${k}`;
    let body = options.body;
    if (body !== undefined && typeof body !== "string") {
      body = JSON.stringify(body);
      headers["Content-Type"] = "application/json";
    }
    const response = await fetch(path, { method: options.method || "GET", headers, body, cache: "no-store" });
    const text = await response.text();
    const data = text ? safeJson(text) : null;
    if (response.status === 401) {
      askForKey("The key was refused (unknown, revoked, or its user is disabled). Enter another one.");
    }
    if (!response.ok) throw new ApiError(response.status, data);
    return data;
  }

  function safeJson(text) { try { return JSON.parse(text); } catch { return { detail: text }; } }

  // Small DOM builder: h("div", {class: "x", onclick: f}, "text", child).
  function h(tag, attrs, ...children) {
    const svg = ["svg", "path", "line", "text", "g", "rect", "polyline", "circle"].includes(tag);
    const el = svg ? document.createElementNS("http://www.w3.org/2000/svg", tag) : document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
      else if (name === "style") Object.assign(el.style, value);
      else if (name === "dataset") Object.assign(el.dataset, value);
      else el.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  function badge(status) { return h("span", { class: `badge ${status}` }, status); }

  function time(iso) {
    if (!iso) return "";
    return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }

  function dateTime(iso) {
    if (!iso) return "";
    return new Date(iso).toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }

  function number(value, digits = 0) {
    if (value === null || value === undefined || Number.isNaN(value)) return "–";
    return Number(value).toLocaleString(undefined, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  }

  function seconds(value) {
    if (value === null || value === undefined) return "–";
    if (value < 1) return `${Math.round(value * 1000)} ms`;
    if (value < 90) return `${value.toFixed(1)} s`;
    if (value < 5400) return `${Math.round(value / 60)} min`;
    return `${(value / 3600).toFixed(1)} h`;
  }

  function bytes(value) {
    if (!value) return "–";
    const units = ["B", "KiB", "MiB", "GiB"];
    let i = 0;
    while (value >= 1024 && i < units.length - 1) { value /= 1024; i++; }
    return `${value.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
  }

  function askForKey(message) {
    const dialog = document.getElementById("key-dialog");
    if (!dialog || dialog.open) return;
    document.getElementById("key-message").textContent = message || "";
    document.getElementById("key-input").value = "";
    dialog.showModal();
  }

  async function signIn(candidate) {
    sessionStorage.setItem(KEY, candidate.trim());
    try {
      me = await api("/v1/users/me");
    } catch (error) {
      sessionStorage.removeItem(KEY);
      throw error;
    }
    renderWho();
    onSignedIn(me);
    return me;
  }

  function signOut() {
    sessionStorage.removeItem(KEY);
    me = null;
    renderWho();
    askForKey("");
  }

  function renderWho() {
    const who = document.getElementById("who");
    if (!who) return;
    who.replaceChildren();
    if (!me) return;
    who.append(
      h("span", { class: "live-dot", id: "live-dot", title: "Updating live" }),
      h("span", {}, `${me.name} · ${me.role}`),
      h("button", { class: "small", type: "button", onclick: signOut, title: "Forget the key in this tab" }, "Forget key"));
  }

  function setLive(ok) {
    document.getElementById("live-dot")?.classList.toggle("stale", !ok);
  }

  // Wires the key dialog; calls ready(user) once a key works (now, if the tab already has one).
  async function start(ready) {
    onSignedIn = ready;
    const form = document.getElementById("key-form");
    form.addEventListener("submit", async event => {
      event.preventDefault();
      const error = document.getElementById("key-error");
      error.textContent = "";
      try {
        await signIn(document.getElementById("key-input").value);
        document.getElementById("key-dialog").close();
      } catch (e) {
        error.textContent = e.status === 401 ? "That key was not accepted." : e.message;
        if (!document.getElementById("key-dialog").open) document.getElementById("key-dialog").showModal();
      }
    });
    document.getElementById("key-dialog").addEventListener("cancel", event => event.preventDefault());
    if (key()) {
      try { await signIn(key()); return; } catch { /* asks below */ }
    }
    askForKey("");
  }

  // Runs task() now and every `every` ms while the tab is visible; a failure marks the feed stale.
  function every(ms, task) {
    let timer = null;
    const run = async () => {
      try { await task(); setLive(true); } catch (error) { setLive(false); console.warn(error); }
      timer = setTimeout(run, document.hidden ? ms * 5 : ms);
    };
    run();
    return () => clearTimeout(timer);
  }

  return { api, h, badge, time, dateTime, number, seconds, bytes, start, every, ApiError, get me() { return me; } };
})();
