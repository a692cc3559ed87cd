// uPlot (from its WebJar, served by the console) with the few shapes the console needs: time series, candlesticks
// and bars. Each chart keeps its figure's width and redraws on resize.
import uPlot from '/vendor/uplot/uPlot.esm.js';

export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f',
  '#bcbd22', '#17becf', '#393b79', '#637939', '#8c6d31', '#843c39', '#7b4173', '#3182bd'];

const charts = new Set();

/** How many points each chart on the page holds: the benchmark checks that the windows stay bounded. */
window.consoleChartPoints = (within = 'body') => [...charts].filter((c) => c.el.isConnected && c.el.closest(within))
  .map((c) => c.chart.data[0].length);

function width(el) {
  return Math.max(240, Math.floor(el.clientWidth || el.parentElement?.clientWidth || 600));
}

/** A time series chart: x in ms (converted to uPlot's seconds), one y array per series. */
export function timeChart(el, { series, height = 240, yLabel = '' }) {
  const opts = {
    width: width(el),
    height,
    scales: { x: { time: true } },
    axes: [{}, { label: yLabel, size: 70 }],
    series: [{}, ...series.map((s, i) => ({
      label: s.label,
      stroke: s.stroke || PALETTE[i % PALETTE.length],
      width: s.width || 1.5,
      dash: s.dash,
      spanGaps: true,
      points: { show: false },
    }))],
    legend: { live: true },
    cursor: { drag: { x: false, y: false } },
  };
  const chart = new uPlot(opts, [[], ...series.map(() => [])], el);
  charts.add({ chart, el });
  return chart;
}

/** Sets data given as x in ms and y arrays. */
export function setTimeData(chart, xs, ys) {
  chart.setData([xs.map((x) => x / 1000), ...ys]);
}

/** Candlesticks: data [x (s), open, high, low, close]; drawn by a hook, the series only set the scale and legend. */
export function candleChart(el, { height = 260 }) {
  const draw = (u) => {
    const [xs, opens, highs, lows, closes] = u.data;
    if (!xs || xs.length === 0) return;
    const ctx = u.ctx;
    const step = xs.length > 1 ? Math.abs(u.valToPos(xs[1], 'x', true) - u.valToPos(xs[0], 'x', true)) : 20;
    const body = Math.max(2, Math.min(16, step * 0.6));
    ctx.save();
    for (let i = 0; i < xs.length; i++) {
      if (opens[i] === null || closes[i] === null) continue;
      const x = Math.round(u.valToPos(xs[i], 'x', true));
      const up = closes[i] >= opens[i];
      ctx.strokeStyle = ctx.fillStyle = up ? '#2ca02c' : '#d62728';
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(x, u.valToPos(highs[i], 'y', true));
      ctx.lineTo(x, u.valToPos(lows[i], 'y', true));
      ctx.stroke();
      const top = u.valToPos(Math.max(opens[i], closes[i]), 'y', true);
      const bottom = u.valToPos(Math.min(opens[i], closes[i]), 'y', true);
      ctx.fillRect(x - body / 2, top, body, Math.max(1, bottom - top));
    }
    ctx.restore();
  };
  const hidden = (label) => ({ label, stroke: 'transparent', points: { show: false }, paths: () => null });
  const opts = {
    width: width(el),
    height,
    // A day of margin on each side, so that a few days (or one) are drawn as candles, not stretched over years.
    // (From the data, not uPlot's own guess: for a single point it spans 86,400,000 s.)
    scales: {
      x: {
        time: true,
        range: (u) => {
          const xs = u.data[0];
          return xs.length ? [xs[0] - 86400, xs[xs.length - 1] + 86400] : [0, 86400];
        },
      },
    },
    axes: [{}, { size: 70 }],
    series: [{}, hidden('open'), hidden('high'), hidden('low'), hidden('close')],
    hooks: { draw: [draw] },
    cursor: { drag: { x: false, y: false } },
  };
  const chart = new uPlot(opts, [[], [], [], [], []], el);
  charts.add({ chart, el });
  return chart;
}

/** Bars over labels: one value per label. */
export function barChart(el, { labels, values, label, height = 240 }) {
  const opts = {
    width: width(el),
    height,
    scales: { x: { time: false, range: [-0.5, labels.length - 0.5] } },
    axes: [
      { values: (u, splits) => splits.map((v) => (Number.isInteger(v) ? labels[v] ?? '' : '')), space: 20, incrs: [1] },
      { size: 80 },
    ],
    series: [{}, { label, fill: '#1f77b4aa', stroke: '#1f77b4', paths: uPlot.paths.bars({ size: [0.6, 60] }), points: { show: false } }],
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
  };
  const chart = new uPlot(opts, [labels.map((_, i) => i), values], el);
  charts.add({ chart, el });
  return chart;
}

export function destroy(chart) {
  for (const entry of charts) {
    if (entry.chart === chart) charts.delete(entry);
  }
  chart.destroy();
}

let resizeTimer = null;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(resizeAll, 150);
});

/** Fits every chart to its figure (after a view is shown: hidden figures have no width). */
export function resizeAll() {
  for (const { chart, el } of charts) {
    if (!el.isConnected) {
      continue;
    }
    const w = width(el);
    if (w !== chart.width && el.offsetParent !== null) chart.setSize({ width: w, height: chart.height });
  }
}
