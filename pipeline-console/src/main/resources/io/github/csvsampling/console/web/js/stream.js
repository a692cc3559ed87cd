// The stream, live: target and achieved records/s, records in the topic, the latest quote per index and a chart of
// each index's sampled close (selectable indices; in its currency, in USD, or in USD indexed to 100). Every series
// keeps the server's window (10 minutes), so a page left open all day holds no more than after 10 minutes.
import { $, $$, clear, fmtNumber, fmtTime, h, setText } from './dom.js';
import { on } from './events.js';
import { PALETTE, destroy, resizeAll, setTimeData, timeChart } from './charts.js';

let windowMs = 600_000;
const rate = { t: [], target: [], achieved: [] };
const closes = new Map(); // index -> {t: [], close: [], usd: []}
let quotes = [];
let selected = null; // Set of indices shown; null = all
let mode = 'local';
let rateChart = null;
let indexCharts = [];
let chartsKey = '';
let dirty = true;

export function init() {
  on('stream-snapshot', (s) => {
    windowMs = (s.window || 600) * 1000;
    rate.t = []; rate.target = []; rate.achieved = [];
    closes.clear();
    apply(s);
  });
  on('stream', apply);
  $('#close-mode').addEventListener('change', (e) => {
    mode = e.target.value;
    chartsKey = '';
    draw();
  });
  $('#indices-all').addEventListener('click', () => { selected = null; syncPicker(); chartsKey = ''; draw(); });
  $('#indices-none').addEventListener('click', () => { selected = new Set(); syncPicker(); chartsKey = ''; draw(); });
}

export function shown() {
  dirty = true;
  requestAnimationFrame(() => { resizeAll(); draw(); });
}

function visible() {
  return !$('#view-stream').hidden && document.visibilityState === 'visible';
}

function apply(s) {
  for (const [t, target, achieved] of s.rate || []) {
    rate.t.push(t); rate.target.push(target); rate.achieved.push(achieved);
  }
  for (const [index, points] of Object.entries(s.closes || {})) {
    if (!closes.has(index)) closes.set(index, { t: [], close: [], usd: [] });
    const series = closes.get(index);
    for (const [t, close, usd] of points) {
      series.t.push(t); series.close.push(close); series.usd.push(usd);
    }
  }
  trim();
  quotes = s.quotes || [];
  const figure = $('#rate-chart');
  figure.dataset.lastTarget = s.target ?? '';
  figure.dataset.lastAchieved = s.achieved ?? '';
  setText($('#stat-target'), s.target === null || s.target === undefined ? 'unknown' : fmtNumber(s.target));
  setText($('#stat-achieved'), fmtNumber(s.achieved));
  setText($('#stat-records'), fmtNumber(s.records));
  setText($('#stat-reader'), s.reader || '');
  renderQuotes();
  syncPicker();
  dirty = true;
  if (visible()) draw();
}

/** Drops what is older than the window (the newest point is the reference). */
function trim() {
  const cut = (series, keys) => {
    if (series.t.length === 0) return;
    const oldest = series.t[series.t.length - 1] - windowMs;
    let n = 0;
    while (n < series.t.length && series.t[n] <= oldest) n++;
    if (n > 0) for (const key of keys) series[key].splice(0, n);
  };
  cut(rate, ['t', 'target', 'achieved']);
  for (const series of closes.values()) cut(series, ['t', 'close', 'usd']);
}

/** Updates the table in place (a row per index, a cell's text only when it changed): it is redrawn every second. */
function renderQuotes() {
  const tbody = $('#latest-quotes tbody');
  const rows = new Map($$('tr', tbody).map((tr) => [tr.dataset.index, tr]));
  let order = true;
  quotes.forEach((q, i) => {
    let tr = rows.get(q.index);
    if (!tr) {
      tr = h('tr', { 'data-index': q.index }, h('td', {}, q.index), ...Array.from({ length: 8 }, () => h('td')));
      rows.set(q.index, tr);
      order = false;
    } else if (tbody.children[i] !== tr) {
      order = false;
    }
    const values = [q.date ?? '–', q.open, q.high, q.low, q.close, q.closeUsd, q.volume, fmtTime(q.timestamp)];
    values.forEach((value, c) => {
      const td = tr.cells[c + 1];
      const numeric = c >= 1 && c <= 6;
      const text = numeric ? fmtNumber(value) : value;
      if (td.textContent !== text) td.textContent = text;
      if (numeric) {
        const raw = value === null || value === undefined ? '' : String(value);
        if (td.dataset.value !== raw) td.dataset.value = raw;
        td.className = 'num';
      }
    });
  });
  if (!order || tbody.children.length !== quotes.length) {
    clear(tbody);
    for (const q of quotes) tbody.append(rows.get(q.index));
  }
}

function indices() {
  return quotes.map((q) => q.index);
}

function syncPicker() {
  const picker = $('#index-picker');
  const known = new Set($$('input', picker).map((i) => i.value));
  if (indices().some((index) => !known.has(index))) {
    // A new index: the boxes again, in the table's order.
    for (const label of $$('label', picker)) label.remove();
    for (const index of indices()) {
      picker.append(h('label', {}, h('input', {
        type: 'checkbox',
        value: index,
        onchange: () => {
          selected = new Set($$('input:checked', picker).map((i) => i.value));
          chartsKey = '';
          draw();
        },
      }), index));
    }
  }
  for (const input of $$('input', picker)) input.checked = selected === null || selected.has(input.value);
}

function shownIndices() {
  return indices().filter((i) => selected === null || selected.has(i));
}

function draw() {
  if (!dirty || !visible()) return;
  dirty = false;
  const figure = $('#rate-chart .plot');
  if (!rateChart) {
    rateChart = timeChart(figure, {
      yLabel: 'records/s',
      series: [{ label: 'target', stroke: '#555', dash: [6, 4] }, { label: 'achieved', stroke: '#1f77b4', width: 2 }],
    });
  }
  setTimeData(rateChart, rate.t, [rate.target, rate.achieved]);
  drawIndexCharts();
}

function drawIndexCharts() {
  const shown = shownIndices();
  const key = `${mode}|${shown.join(',')}`;
  const grid = $('#index-charts');
  if (key !== chartsKey) {
    for (const c of indexCharts) destroy(c.chart);
    indexCharts = [];
    clear(grid);
    chartsKey = key;
    grid.classList.toggle('single', mode === 'indexed');
    if (mode === 'indexed') {
      const figure = h('figure', { class: 'chart wide', 'data-chart': 'indexed' },
        h('figcaption', {}, 'Close in USD, indexed to 100 at the first point of the window'), h('div', { class: 'plot' }));
      grid.append(figure);
      if (shown.length) {
        const chart = timeChart(figure.querySelector('.plot'), {
          height: 320,
          yLabel: 'USD, first = 100',
          series: shown.map((index, i) => ({ label: index, stroke: PALETTE[i % PALETTE.length] })),
        });
        indexCharts.push({ chart, indices: shown });
      }
    } else {
      shown.forEach((index, i) => {
        const figure = h('figure', { class: 'chart small', 'data-chart': index },
          h('figcaption', {}, `${index} ${mode === 'usd' ? 'close in USD' : 'close'}`), h('div', { class: 'plot' }));
        grid.append(figure);
        const chart = timeChart(figure.querySelector('.plot'), {
          height: 160,
          series: [{ label: index, stroke: PALETTE[i % PALETTE.length] }],
        });
        indexCharts.push({ chart, indices: [index] });
      });
    }
  }
  for (const c of indexCharts) {
    if (mode === 'indexed') {
      const [xs, ys] = indexed(c.indices);
      setTimeData(c.chart, xs, ys);
    } else {
      const series = closes.get(c.indices[0]) || { t: [], close: [], usd: [] };
      setTimeData(c.chart, series.t, [mode === 'usd' ? series.usd : series.close]);
    }
  }
}

/** One x axis for all indices (the union of their seconds), each series divided by its first value, times 100. */
function indexed(list) {
  const times = new Set();
  for (const index of list) for (const t of closes.get(index)?.t || []) times.add(t);
  const xs = [...times].sort((a, b) => a - b);
  const position = new Map(xs.map((t, i) => [t, i]));
  const ys = list.map((index) => {
    const series = closes.get(index) || { t: [], usd: [] };
    const y = new Array(xs.length).fill(null);
    const base = series.usd.find((v) => v !== null && v !== 0);
    series.t.forEach((t, i) => {
      if (base && series.usd[i] !== null) y[position.get(t)] = (series.usd[i] / base) * 100;
    });
    return y;
  });
  return [xs, ys];
}
