// The cluster dashboard. Everything is an aggregate or a page from the /v1 API, so it reads the
// same at ten thousand grids and a million tasks: headline counts from counters, charts from
// the silos' published samples, grids and failures paged, tasks opened one at a time.
"use strict";

(() => {
  const { api, h, badge, number, seconds, bytes, time, dateTime } = TaskGrid;
  const GRID_PAGE = 10;
  const colors = { completed: "#12a150", failed: "#d92d20", claimed: "#98a2b3", queue: "#3563e9", claimP50: "#3563e9", claimP95: "#93b4ff", runP50: "#dc6803", runP95: "#fdb022" };

  let siloStats = new Map();         // silo → {cpu, memory} from /v1/metrics-like series? from the summary tables
  const gridCursors = [null];        // cursor of each grid page visited; the last is the current page
  let gridNext = null;
  let failuresCursor = null;
  let failuresExtra = [];            // older failures loaded with "Older failures"
  let detail = null;                 // {kind: "task"|"grid", id}

  // ---- summary tiles --------------------------------------------------------------------
  async function summary() {
    const s = await api("/v1/dashboard/summary");
    const set = (id, text) => { document.getElementById(id).textContent = text; };
    set("t-pending", number(s.tasks.pending));
    set("t-running", number(s.tasks.running));
    set("t-inflight", `${number(s.in_flight)} in flight on silos`);
    set("t-completed", number(s.tasks.completed));
    set("t-scope", s.scope === "cluster" ? "whole cluster" : "your tasks");
    set("t-failed", number(s.tasks.failed));
    set("t-other", `${number(s.tasks.cancelled)} cancelled · ${number(s.tasks.expired)} expired`);
    set("t-throughput", number(s.completed_per_second, 2));
    set("t-failrate", number(s.failed_per_second, 2));
    set("t-silos", number(s.silos.alive));
    set("t-dead", s.silos.dead ? `${s.silos.dead} dead` : "alive");
    set("t-workers", number(s.workers));
  }

  // ---- silos and workers ----------------------------------------------------------------
  async function cluster() {
    const [silos, workers] = await Promise.all([api("/v1/silos"), api("/v1/workers")]);
    const rows = silos.map(s => {
      const stats = siloStats.get(s.name) || {};
      return h("tr", { dataset: { silo: s.name, state: s.state } },
        h("td", { class: "mono" }, s.name, h("div", { class: "muted" }, `${s.host} · pid ${s.process_id}`)),
        h("td", {}, badge(s.state)),
        h("td", { class: "num", dataset: { age: s.heartbeat_age_seconds } }, ["active", "draining"].includes(s.state) ? `${s.heartbeat_age_seconds.toFixed(1)} s ago` : time(s.heartbeat_at)),
        h("td", { class: "num" }, number(s.workers)),
        h("td", { class: "num" }, number(s.in_flight)),
        h("td", { class: "num" }, stats.cpu === undefined ? "–" : `${Math.round(stats.cpu * 100)}%`),
        h("td", { class: "num" }, bytes(stats.memory)));
    });
    document.querySelector("#silos tbody").replaceChildren(...(rows.length ? rows : [h("tr", {}, h("td", { colspan: 7, class: "empty" }, "No silo has joined yet."))]));
    const alive = silos.filter(s => ["active", "draining"].includes(s.state)).length;
    document.getElementById("silos-note").textContent = `${alive} alive of ${silos.length}`;
    const workerRows = workers.map(w => h("tr", {},
      h("td", { class: "mono" }, w.id),
      h("td", {}, badge(w.state)),
      h("td", { class: "num" }, number(w.in_flight)),
      h("td", { class: "num" }, number(w.claimed)),
      h("td", { class: "num" }, number(w.completed)),
      h("td", { class: "num" }, number(w.failed)),
      h("td", { class: "num" }, time(w.heartbeat_at))));
    document.querySelector("#workers tbody").replaceChildren(...(workerRows.length ? workerRows : [h("tr", {}, h("td", { colspan: 7, class: "empty" }, "No live workers."))]));
  }

  // Per-silo CPU and memory come from the Prometheus endpoint's silo gauges (published by silos).
  async function siloProcessStats() {
    const response = await fetch("/v1/metrics", { headers: sessionStorage.getItem("taskgrid.apiKey") ? { Authorization: `Bearer ${sessionStorage.getItem("taskgrid.apiKey")}` } : {} });
    if (!response.ok) return; // admins only when TaskGrid:Auth:RequireKeyForMetrics is set
    const text = await response.text();
    const stats = new Map();
    for (const line of text.split("\n")) {
      const m = /^taskgrid_silo_(cpu_usage_ratio|working_set_bytes)\{silo="([^"]+)"\} (\S+)$/.exec(line);
      if (!m) continue;
      const entry = stats.get(m[2]) || {};
      entry[m[1] === "cpu_usage_ratio" ? "cpu" : "memory"] = Number(m[3]);
      stats.set(m[2], entry);
    }
    siloStats = stats;
  }

  // ---- grids ----------------------------------------------------------------------------
  async function grids() {
    const cursor = gridCursors[gridCursors.length - 1];
    const page = await api(`/v1/grids?limit=${GRID_PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    gridNext = page.next_cursor;
    document.getElementById("grids-older").disabled = !gridNext;
    document.getElementById("grids-newer").disabled = gridCursors.length === 1;
    document.getElementById("grids-page").textContent = `page ${gridCursors.length}`;
    const rows = page.items.map(g => h("tr", { class: "clickable", dataset: { grid: g.id, progress: g.progress.toFixed(4) }, onclick: () => openGrid(g.id) },
      h("td", {}, h("div", { class: "task-title" }, g.name), h("div", { class: "muted mono" }, g.id.slice(0, 8))),
      h("td", {}, badge(g.status)),
      h("td", {}, progressBar(g)),
      h("td", { class: "num" }, `${number(g.counts.completed + g.counts.failed + g.counts.cancelled + g.counts.expired)} / ${number(g.total)}`),
      h("td", { class: "num" }, g.throughput_per_second ? `${number(g.throughput_per_second, 1)}/s` : "–"),
      h("td", { class: "num" }, g.status === "finished" ? "done" : seconds(g.eta_seconds))));
    document.querySelector("#grids tbody").replaceChildren(...(rows.length ? rows : [h("tr", {}, h("td", { colspan: 6, class: "empty" }, "No grids."))]));
    document.getElementById("grids-note").textContent = "newest first";
  }

  function progressBar(g) {
    const total = Math.max(g.total, 1);
    const part = state => h("span", { class: state, title: `${state}: ${g.counts[state]}`, style: { width: `${(g.counts[state] / total) * 100}%` } });
    return h("div", { class: "progress-cell", style: { display: "flex", alignItems: "center", gap: "8px" } },
      h("div", { class: "progress", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": Math.round(g.progress * 100) },
        part("completed"), part("failed"), part("cancelled"), part("expired"), part("running")),
      h("span", { class: "pct" }, `${Math.floor(g.progress * 100)}%`));
  }

  document.getElementById("grids-older").addEventListener("click", () => { if (gridNext) { gridCursors.push(gridNext); grids(); } });
  document.getElementById("grids-newer").addEventListener("click", () => { if (gridCursors.length > 1) { gridCursors.pop(); grids(); } });

  // ---- failures -------------------------------------------------------------------------
  async function failures() {
    const page = await api("/v1/dashboard/failures?limit=20");
    if (failuresCursor === null) failuresCursor = page.next_cursor;
    renderFailures([...page.items, ...failuresExtra.filter(f => !page.items.some(p => p.id === f.id))]);
  }

  function renderFailures(items) {
    document.getElementById("failures-more").hidden = !failuresCursor;
    document.getElementById("failures-note").textContent = items.length ? `${items.length} shown` : "";
    const list = document.getElementById("failures");
    if (!items.length) { list.replaceChildren(h("li", { class: "empty" }, "No failures. 🎉")); return; }
    list.replaceChildren(...items.map(f => h("li", { dataset: { task: f.task_id }, onclick: () => openTask(f.task_id) },
      h("div", { class: "line1" }, badge(f.status), h("span", { class: "task-title" }, f.objective || `${f.kind} task ${f.task_id.slice(0, 8)}`),
        h("span", { class: "task-meta" }, `${f.kind} · attempt ${f.attempt} · ${dateTime(f.failed_at)}`)),
      h("div", { class: "err", title: f.error || "" }, f.error || "(no error text)"))));
  }

  document.getElementById("failures-more").addEventListener("click", async () => {
    const page = await api(`/v1/dashboard/failures?limit=20&cursor=${encodeURIComponent(failuresCursor)}`);
    failuresExtra.push(...page.items);
    failuresCursor = page.next_cursor;
    await failures();
  });

  // ---- charts ---------------------------------------------------------------------------
  async function series() {
    const s = await api("/v1/dashboard/series?minutes=15&step_seconds=5");
    const points = s.points.map(p => ({ ...p, at: new Date(p.at) }));
    // A young cluster has only minutes of history: show what there is, at least two minutes.
    const to = new Date(s.to);
    const first = points.length ? points[0].at.getTime() : to.getTime();
    const from = new Date(Math.max(new Date(s.from).getTime(), Math.min(first - 10000, to.getTime() - 120000)));
    document.getElementById("chart-window").textContent = `last ${Math.round((to - from) / 60000)} min`;
    Charts.line(document.getElementById("chart-throughput"), [
      { name: "completed / s", color: colors.completed, points: points.map(p => [p.at, p.completed_per_second]) },
      { name: "failed / s", color: colors.failed, points: points.map(p => [p.at, p.failed_per_second]) },
      { name: "claimed / s", color: colors.claimed, points: points.map(p => [p.at, p.claimed_per_second]) },
    ], { from, to });
    Charts.line(document.getElementById("chart-queue"), [
      { name: "pending", color: colors.queue, points: points.map(p => [p.at, p.queue_depth]) },
      { name: "running", color: colors.completed, points: points.map(p => [p.at, p.in_flight]) },
    ], { from, to, format: v => number(v) });
    Charts.line(document.getElementById("chart-latency"), [
      { name: "claim p50", color: colors.claimP50, points: points.map(p => [p.at, p.claim_latency?.p50 ?? null]) },
      { name: "claim p95", color: colors.claimP95, points: points.map(p => [p.at, p.claim_latency?.p95 ?? null]) },
      { name: "run p50", color: colors.runP50, points: points.map(p => [p.at, p.run_duration?.p50 ?? null]) },
      { name: "run p95", color: colors.runP95, points: points.map(p => [p.at, p.run_duration?.p95 ?? null]) },
    ], { from, to, format: v => seconds(v) });
  }

  // ---- detail drawer: a task with its history, or a grid with its newest tasks --------------
  const drawer = document.getElementById("detail");
  const body = document.getElementById("detail-body");
  document.getElementById("detail-close").addEventListener("click", closeDetail);
  document.getElementById("lookup").addEventListener("submit", event => {
    event.preventDefault();
    const id = document.getElementById("lookup-input").value.trim();
    if (id) openTask(id);
  });
  window.addEventListener("hashchange", fromHash);

  function closeDetail() { detail = null; drawer.hidden = true; history.replaceState(null, "", "/dashboard"); }
  function openTask(id) { detail = { kind: "task", id }; history.replaceState(null, "", `#task=${id}`); drawer.hidden = false; renderDetail(); }
  function openGrid(id) { detail = { kind: "grid", id }; history.replaceState(null, "", `#grid=${id}`); drawer.hidden = false; renderDetail(); }
  function fromHash() {
    const m = /^#(task|grid)=([0-9a-fA-F-]{36})$/.exec(location.hash);
    if (m) (m[1] === "task" ? openTask : openGrid)(m[2]);
  }

  async function renderDetail() {
    if (!detail) return;
    const shown = detail;
    try {
      const nodes = shown.kind === "task" ? await taskDetail(shown.id) : await gridDetail(shown.id);
      if (detail === shown) body.replaceChildren(...nodes);
    } catch (e) {
      if (detail === shown) body.replaceChildren(h("div", { class: "error-box" }, e.status === 404 ? "No such task or grid, or not yours." : e.message));
    }
  }

  async function taskDetail(id) {
    const [task, events] = await Promise.all([api(`/v1/tasks/${id}`), api(`/v1/tasks/${id}/events`)]);
    document.getElementById("detail-title").textContent = task.kind === "codegen" ? task.objective : `${task.kind} task`;
    const fields = [
      ["Status", badge(task.status)], ["Id", h("span", { class: "mono" }, task.id)], ["Kind", task.kind],
      ["Owner", task.user_id], ["Grid", task.grid_id ? h("a", { href: `#grid=${task.grid_id}` }, task.grid_id) : "–"],
      ["Language", task.language || task.script?.interpreter || "–"], ["Priority", task.priority],
      ["Attempt", `${task.attempt} of ${task.max_attempts}`], ["Created", dateTime(task.created_at)],
      ["Started", dateTime(task.started_at) || "–"], ["Finished", dateTime(task.completed_at) || "–"],
    ];
    if (task.usage) fields.push(["Tokens", `${task.usage.total_tokens} (${task.usage.model})`]);
    const nodes = [h("dl", { class: "fields" }, fields.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]))];
    if (task.error && task.status !== "completed") nodes.push(h("div", { class: "error-box" }, task.error));
    if (task.code) nodes.push(Highlight.block(task.code, task.language));
    if (task.output) nodes.push(h("pre", { class: "output mono" }, task.output));
    if (task.script?.source && !task.code) nodes.push(Highlight.block(task.script.source, task.script.interpreter));
    nodes.push(h("h3", { style: { margin: "16px 0 10px" } }, "History"),
      h("ol", { class: "timeline", id: "timeline" }, events.map(e => h("li", { class: e.to },
        h("div", {}, e.from ? `${e.from} → ` : "", h("strong", {}, e.to), e.worker ? h("span", { class: "muted" }, ` · ${e.worker}`) : ""),
        h("div", { class: "when" }, `${dateTime(e.at)} · attempt ${e.attempt}`),
        e.reason ? h("div", { class: "muted" }, e.reason) : null))));
    return nodes;
  }

  async function gridDetail(id) {
    const [grid, tasks] = await Promise.all([api(`/v1/grids/${id}`), api(`/v1/grids/${id}/tasks?limit=50`)]);
    document.getElementById("detail-title").textContent = `Grid ${grid.name}`;
    const c = grid.counts;
    return [
      h("dl", { class: "fields" }, [
        ["Status", badge(grid.status)], ["Id", h("span", { class: "mono" }, grid.id)], ["Owner", grid.user_id],
        ["Progress", progressBar(grid)], ["Counts", `${c.pending} pending · ${c.running} running · ${c.completed} completed · ${c.failed} failed · ${c.cancelled} cancelled · ${c.expired} expired`],
        ["Throughput", grid.throughput_per_second ? `${number(grid.throughput_per_second, 2)} tasks/s` : "–"], ["ETA", seconds(grid.eta_seconds)],
        ["Concurrency", grid.max_concurrency ?? "unlimited"], ["Created", dateTime(grid.created_at)],
      ].flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
      h("h3", { style: { margin: "16px 0 10px" } }, `Newest tasks (${tasks.items.length}${tasks.next_cursor ? "+" : ""})`),
      h("table", {}, h("tbody", {}, tasks.items.map(t => h("tr", { class: "clickable", onclick: () => openTask(t.id) },
        h("td", {}, badge(t.status)), h("td", { class: "task-title" }, t.objective || t.script?.source?.split("\n")[0] || t.kind),
        h("td", { class: "num muted" }, `attempt ${t.attempt}`))))),
    ];
  }

  let started = false;
  TaskGrid.start(() => {
    if (started) { location.reload(); return; }
    started = true;
    fromHash();
    TaskGrid.every(2000, () => Promise.all([summary(), cluster(), failures()]));
    TaskGrid.every(3000, grids);
    TaskGrid.every(5000, () => Promise.all([series(), siloProcessStats()]));
    TaskGrid.every(3000, async () => { if (detail && !drawer.hidden) await renderDetail(); });
  });
})();
