// The task page: submit a task, then watch the caller's tasks live (short polling of /v1/tasks),
// with the generated code highlighted, errors shown, and cancel and retry buttons.
"use strict";

(() => {
  const { api, h, badge, time } = TaskGrid;
  const PAGE = 20;
  const terminal = new Set(["completed", "failed", "cancelled", "expired"]);
  const tasks = new Map();        // id → task, in the order shown
  const open = new Set();         // ids whose body is expanded
  let order = [];
  let cursor = null;
  let kind = "codegen";

  const list = document.getElementById("tasks");
  const filter = document.getElementById("status-filter");
  const more = document.getElementById("more");

  document.querySelectorAll("[data-kind]").forEach(button => button.addEventListener("click", () => {
    kind = button.dataset.kind;
    document.querySelectorAll("[data-kind]").forEach(b => b.setAttribute("aria-selected", String(b === button)));
    document.querySelectorAll("[data-kind-panel]").forEach(panel => { panel.hidden = panel.dataset.kindPanel !== kind; });
  }));

  document.getElementById("submit-form").addEventListener("submit", async event => {
    event.preventDefault();
    const error = document.getElementById("submit-error");
    const button = document.getElementById("submit-button");
    error.textContent = "";
    const body = {
      kind,
      priority: Number(document.getElementById("priority").value || 0),
      max_attempts: Number(document.getElementById("max-attempts").value || 3),
    };
    if (kind === "codegen") {
      body.objective = document.getElementById("objective").value.trim();
      body.language = document.getElementById("language").value.trim();
    } else {
      body.source = document.getElementById("source").value;
      body.interpreter = document.getElementById("interpreter").value;
    }
    button.disabled = true;
    try {
      const task = await api("/v1/tasks", { method: "POST", body });
      tasks.set(task.id, task);
      order = [task.id, ...order.filter(id => id !== task.id)];
      open.add(task.id);
      render();
      if (kind === "codegen") document.getElementById("objective").value = "";
    } catch (e) {
      const fields = e.problem?.errors ? Object.entries(e.problem.errors).map(([f, m]) => `${f}: ${m.join(" ")}`).join("; ") : "";
      error.textContent = fields || e.message;
    } finally {
      button.disabled = false;
    }
  });

  filter.addEventListener("change", () => { tasks.clear(); order = []; cursor = null; loadFirst(); });
  more.addEventListener("click", async () => {
    const page = await api(`/v1/tasks?limit=${PAGE}&cursor=${encodeURIComponent(cursor)}${statusQuery()}`);
    for (const task of page.items) { tasks.set(task.id, task); if (!order.includes(task.id)) order.push(task.id); }
    cursor = page.next_cursor;
    render();
  });

  function statusQuery() { return filter.value ? `&status=${filter.value}` : ""; }

  async function loadFirst() {
    const page = await api(`/v1/tasks?limit=${PAGE}${statusQuery()}`);
    const fresh = page.items.map(t => t.id);
    for (const task of page.items) tasks.set(task.id, task);
    order = [...fresh, ...order.filter(id => !fresh.includes(id))];
    if (cursor === null || order.length <= PAGE) cursor = page.next_cursor;
    render();
  }

  // The newest page, plus any unfinished task further down (a few per tick).
  async function refresh() {
    await loadFirst();
    const stale = order.slice(PAGE).filter(id => !terminal.has(tasks.get(id)?.status)).slice(0, 10);
    await Promise.all(stale.map(async id => { tasks.set(id, await api(`/v1/tasks/${id}`)); }));
    if (stale.length) render();
  }

  function render() {
    document.getElementById("list-note").textContent = order.length ? `${order.length} shown · live` : "";
    more.hidden = !cursor;
    if (order.length === 0) {
      list.replaceChildren(h("li", { class: "empty" }, filter.value ? `No ${filter.value} tasks.` : "No tasks yet: submit one above."));
      return;
    }
    const existing = new Map([...list.querySelectorAll("li.task")].map(li => [li.dataset.id, li]));
    const items = order.map(id => {
      const task = tasks.get(id);
      const li = existing.get(id);
      if (li && li.dataset.version === String(task.version) && li.dataset.open === String(open.has(id))) return li;
      return item(task);
    });
    list.replaceChildren(...items);
  }

  function title(task) {
    if (task.kind === "codegen") return task.objective || "(no objective)";
    if (task.kind === "script") return (task.script?.source || "").split("\n")[0] || "(script)";
    return task.kind;
  }

  function item(task) {
    const expanded = open.has(task.id);
    const actions = h("span", { class: "task-actions" },
      ["pending", "running"].includes(task.status) &&
        h("button", { class: "small danger", type: "button", "data-action": "cancel", onclick: e => act(e, task, "cancel") }, "Cancel"),
      ["failed", "cancelled", "expired"].includes(task.status) &&
        h("button", { class: "small", type: "button", "data-action": "retry", onclick: e => act(e, task, "retry") }, "Retry"),
      h("a", { class: "button small", href: `/dashboard#task=${task.id}`, onclick: e => e.stopPropagation(), title: "History on the dashboard" }, "History"));
    const what = task.kind === "codegen" ? task.language : task.kind === "script" ? task.script?.interpreter : task.kind;
    const head = h("div", { class: "task-head", onclick: () => { expanded ? open.delete(task.id) : open.add(task.id); render(); } },
      badge(task.status),
      h("span", { class: "task-title", title: title(task) }, title(task)),
      h("span", { class: "task-meta" }, `${what || ""} · ${time(task.created_at)} · attempt ${task.attempt}/${task.max_attempts}`),
      actions);
    const body = h("div", { class: "task-body", hidden: !expanded }, ...details(task));
    return h("li", { class: `task ${task.status}`, dataset: { id: task.id, version: String(task.version), open: String(expanded), status: task.status } }, head, body);
  }

  function details(task) {
    const parts = [];
    if (task.code) parts.push(Highlight.block(task.code, task.language));
    if (task.output) parts.push(h("pre", { class: "output mono" }, task.output));
    if (task.error && task.status !== "completed") {
      parts.push(h("div", { class: "error-box" }, task.status === "pending" ? `Last attempt failed, retrying: ${task.error}` : task.error));
    }
    if (parts.length === 0) {
      parts.push(h("p", { class: "muted" }, {
        pending: "Waiting for a worker…", running: "Running…", cancelled: "Cancelled.", expired: "Expired before it started.",
      }[task.status] || "No output."));
    }
    if (task.usage) parts.push(h("p", { class: "muted" }, `${task.usage.model}: ${task.usage.total_tokens} tokens`));
    return parts;
  }

  async function act(event, task, action) {
    event.stopPropagation();
    event.target.disabled = true;
    try {
      const changed = await api(`/v1/tasks/${task.id}/${action}`, { method: "POST" });
      tasks.set(changed.id, changed);
      render();
    } catch (e) {
      alert(e.message);
      event.target.disabled = false;
    }
  }

  let started = false;
  TaskGrid.start(() => {
    if (started) { location.reload(); return; } // another key: start over with its tasks
    started = true;
    TaskGrid.every(2000, refresh);
  });
})();
