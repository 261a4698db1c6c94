// Small SVG line charts for the dashboard: time on x, one or more series on y.
"use strict";

const Charts = (() => {
  const H = 190, left = 52, right = 12, top = 10, bottom = 22;
  const h = TaskGrid.h;

  // The smallest round step (1, 2, 2.5 or 5 × 10^n) such that four steps reach the value.
  function niceMax(value) {
    if (!(value > 0)) return 1;
    const rough = value / 4;
    const power = Math.pow(10, Math.floor(Math.log10(rough)));
    const scaled = rough / power;
    const nice = scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 2.5 ? 2.5 : scaled <= 5 ? 5 : 10;
    return nice * power * 4;
  }

  // series: [{name, color, points: [[Date, value|null], ...]}]; format: y value → label.
  function line(container, series, { from, to, format = v => TaskGrid.number(v, 2) }) {
    // Drawn at the container's own pixel size, so that text is never stretched.
    const W = Math.max(240, Math.round(container.clientWidth || 480));
    const x0 = from.getTime(), x1 = Math.max(to.getTime(), x0 + 1);
    const values = series.flatMap(s => s.points.map(p => p[1])).filter(v => v !== null && v !== undefined);
    const max = niceMax(Math.max(0, ...values));
    const x = t => left + (t - x0) / (x1 - x0) * (W - left - right);
    const y = v => top + (1 - v / max) * (H - top - bottom);
    const svg = h("svg", { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "img" });
    const grid = h("g", { class: "grid" });
    const axis = h("g", { class: "axis" });
    for (let i = 0; i <= 4; i++) {
      const v = max * i / 4;
      grid.append(h("line", { x1: left, x2: W - right, y1: y(v), y2: y(v) }));
      axis.append(h("text", { x: left - 6, y: y(v) + 3, "text-anchor": "end" }, format(v)));
    }
    const ticks = W < 420 ? 2 : 3;
    for (let i = 0; i <= ticks; i++) {
      const t = x0 + (x1 - x0) * i / ticks;
      axis.append(h("text", { x: x(t), y: H - 6, "text-anchor": i === 0 ? "start" : i === ticks ? "end" : "middle" },
        new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: x1 - x0 < 300000 ? "2-digit" : undefined, hourCycle: "h23" })));
    }
    svg.append(grid, axis);
    for (const s of series) {
      let d = "";
      let pen = false;
      for (const [t, v] of s.points) {
        if (v === null || v === undefined) { pen = false; continue; }
        d += `${pen ? "L" : "M"}${x(t.getTime()).toFixed(1)},${y(v).toFixed(1)}`;
        pen = true;
      }
      if (d) svg.append(h("path", { d, fill: "none", stroke: s.color, "stroke-width": 2, "stroke-linejoin": "round", "data-series": s.name }));
    }
    if (values.length === 0) {
      svg.append(h("text", { class: "nodata", x: W / 2, y: H / 2, "text-anchor": "middle" }, "No samples yet: silos publish every few seconds"));
    }
    const legend = h("div", { class: "legend" }, series.map(s => h("span", { style: { "--swatch": s.color } }, s.name)));
    legend.querySelectorAll("span").forEach((span, i) => span.style.setProperty("--swatch", series[i].color));
    container.replaceChildren(svg, legend);
  }

  return { line };
})();
