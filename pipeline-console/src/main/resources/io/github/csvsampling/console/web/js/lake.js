// The lake: objects, bytes, the newest object's age and the sink's lag, pushed every few seconds; the named queries
// of athena-queries.sql run on DuckDB, fetched when a new round is ready, each as a table and, where its columns
// have a chart's shape, as a chart: candlesticks (open/high/low/close by day), lines (moving averages by day), bars
// (a ranking: the column a *_rank column ranks).
import { $, clear, fmtAge, fmtBytes, fmtNumber, fmtTime, h, setText, shorten } from './dom.js';
import { api } from './api.js';
import { on } from './events.js';
import { barChart, candleChart, destroy, resizeAll, setTimeData, timeChart } from './charts.js';

const TABLE_ROWS = 200;
let loadedVersion = -1;
let renderedVersion = -1;
let round = null;
let lake = null;
const charts = [];
const filters = new Map(); // query name -> chosen index

export function init() {
  on('lake', (data) => {
    lake = data;
    render();
    if (data.queries && data.queries.version !== loadedVersion) load();
  });
  $('#queries-run').addEventListener('click', async () => {
    const result = await api('POST', '/api/lake/queries/run');
    setText($('#queries-meta'), result.ok ? 'Running the queries…' : result.message);
  });
  setInterval(() => {
    if (lake?.newest) setText($('#lake-newest'), fmtAge(Date.now() - lake.newest));
  }, 1000);
  $('#sql-form').addEventListener('submit', (e) => {
    e.preventDefault();
    runSql();
  });
}

/** Showing the view draws a round of results once; switching back and forth only fits the charts. */
export function shown() {
  requestAnimationFrame(() => {
    if (round && renderedVersion !== round.version) renderQueries();
    else resizeAll();
  });
}

function render() {
  setText($('#lake-where'), `Bucket ${lake.bucket}: ${lake.where}`);
  setText($('#lake-objects'), fmtNumber(lake.objects));
  setText($('#lake-bytes'), fmtBytes(lake.bytes));
  setText($('#lake-newest'), lake.newest ? fmtAge(Date.now() - lake.newest) : 'none');
  setText($('#lake-lag'), lake.sinkLag === null ? '–' : fmtNumber(lake.sinkLag));
  setText($('#lake-lag-note'), lake.sinkLag === null ? lake.lagNote : 'offsets not yet in the bucket');
  setText($('#lake-sink'), lake.sink ? `${lake.sink.name} (${lake.sink.state})` : 'none');
  const note = [lake.listError, lake.note, lake.writerProblem].filter(Boolean).join(' ');
  $('#lake-note').hidden = !note;
  $('#lake-note').textContent = note;
  $('#sql-off').hidden = lake.allowSql;
  $('#sql-form').hidden = !lake.allowSql;
}

async function load() {
  const result = await api('GET', '/api/lake/queries');
  if (!result.ok) {
    setText($('#queries-meta'), result.message);
    return;
  }
  round = result.data;
  loadedVersion = round.version;
  if (!$('#view-lake').hidden) renderQueries();
}

function describeRound(r) {
  if (!r || r.version === 0) return 'Not computed yet.';
  const over = r.source === 'bucket'
    ? `over ${fmtNumber(r.objects)} object${r.objects === 1 ? '' : 's'} of the bucket`
    : `over ${fmtNumber(r.records)} records of the topic (${fmtNumber(r.objects)} file${r.objects === 1 ? '' : 's'} written as the sink would write them)`;
  return `Computed at ${fmtTime(r.computedAt)} ${over} in ${fmtNumber(r.millis)} ms.`;
}

function renderQueries() {
  renderedVersion = round.version;
  const meta = $('#queries-meta');
  meta.textContent = describeRound(round);
  meta.dataset.version = round.version;
  meta.dataset.source = round.source;
  const label = $('#queries-source');
  label.hidden = round.source !== 'topic';
  label.textContent = 'From the topic, not the bucket: the bucket holds no objects, so these results come from the '
    + 'records read from the topic, written as the S3 sink would write them.';
  for (const chart of charts.splice(0)) destroy(chart);
  const container = clear($('#queries'));
  for (const result of round.results) container.append(article(result));
}

function article(result) {
  const el = h('article', { class: 'query', 'data-query': result.name },
    h('h4', {}, result.name),
    h('p', { class: 'description' }, result.description),
    h('p', { class: 'meta' }, round.source === 'topic' ? 'From the topic, not the bucket. ' : '', describeRound(round),
      result.error ? '' : ` ${fmtNumber(result.totalRows)} row${result.totalRows === 1 ? '' : 's'}, ${fmtNumber(result.millis)} ms.`));
  if (result.error) {
    el.append(h('p', { class: 'error' }, shorten(result.error)));
    return el;
  }
  const indexColumn = result.columns.indexOf('index');
  const chartKind = shape(result.columns);
  let rows = result.rows;
  let filteredBy = null;
  if (indexColumn >= 0 && chartKind && chartKind !== 'bars') {
    const indices = [...new Set(rows.map((r) => r[indexColumn]))];
    const chosen = filters.get(result.name) ?? indices[0];
    const select = h('select', { class: 'query-filter', 'aria-label': 'Index' }, indices.map((i) => h('option', { value: i, selected: i === chosen }, i)));
    select.addEventListener('change', () => {
      filters.set(result.name, select.value);
      el.replaceWith(article(result));
    });
    el.append(h('label', { class: 'filter' }, 'Index ', select));
    rows = rows.filter((r) => r[indexColumn] === chosen);
    filteredBy = chosen;
  }
  if (chartKind) {
    const figure = h('figure', { class: 'chart', 'data-chart': chartKind }, h('div', { class: 'plot' }));
    el.append(figure);
    requestAnimationFrame(() => chart(figure.querySelector('.plot'), chartKind, result.columns, rows));
  }
  el.append(table(result.columns, rows, filteredBy === null ? result.totalRows : rows.length, filteredBy, result.totalRows));
  el.append(h('details', { class: 'sql' }, h('summary', {}, 'SQL'), h('pre', {}, result.sql)));
  return el;
}

/** Which chart fits the columns: candles, lines or bars; null for a table only. */
function shape(columns) {
  const day = columns.find((c) => /(_day|date)$/.test(c));
  if (day && ['open', 'high', 'low', 'close'].every((c) => columns.includes(c))) return 'candles';
  if (day && columns.some((c) => /^ma_\d+$/.test(c))) return 'lines';
  if (columns.some((c) => /_rank$/.test(c)) && columns.includes('index')) return 'bars';
  return null;
}

function dayMs(text) {
  return Date.parse(`${String(text).slice(0, 10)}T00:00:00Z`);
}

function chart(el, kind, columns, rows) {
  if (!el.isConnected || rows.length === 0) return;
  const col = (name) => rows.map((r) => r[columns.indexOf(name)]);
  const day = columns.find((c) => /(_day|date)$/.test(c));
  if (kind === 'candles') {
    const c = candleChart(el, {});
    c.setData([col(day).map((d) => dayMs(d) / 1000), col('open'), col('high'), col('low'), col('close')]);
    charts.push(c);
  } else if (kind === 'lines') {
    const names = ['close', ...columns.filter((c) => /^ma_\d+$/.test(c))].filter((n) => columns.includes(n));
    const c = timeChart(el, { series: names.map((n) => ({ label: n })) });
    setTimeData(c, col(day).map(dayMs), names.map(col));
    charts.push(c);
  } else if (kind === 'bars') {
    const rank = columns.find((c) => /_rank$/.test(c));
    const stem = rank.replace(/_rank$/, '');
    const valueColumn = columns.find((c) => c !== rank && c.includes(stem)) || columns[1];
    const c = barChart(el, { labels: col('index'), values: col(valueColumn), label: valueColumn });
    el.closest('figure').append(h('figcaption', {}, `${valueColumn} by index`));
    charts.push(c);
  }
}

function table(columns, rows, total, filteredBy = null, all = total) {
  const shownRows = rows.slice(0, TABLE_ROWS);
  const t = h('table', { class: 'data numbers result' },
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', {}, c)))),
    h('tbody', {}, shownRows.map((row) => h('tr', {}, row.map((value) =>
      h('td', { 'data-value': JSON.stringify(value), class: typeof value === 'number' ? 'num' : null },
        typeof value === 'number' ? fmtNumber(value) : value ?? 'NULL'))))));
  const wrapper = h('div', { class: 'table-wrap' }, t);
  if (filteredBy !== null) {
    const of = shownRows.length === total ? `${fmtNumber(total)} row${total === 1 ? '' : 's'}`
      : `${fmtNumber(shownRows.length)} of the ${fmtNumber(total)} rows`;
    wrapper.append(h('p', { class: 'hint' }, `Showing ${of} of ${filteredBy} (${fmtNumber(all)} rows in all).`));
  } else if (rows.length > TABLE_ROWS || total > rows.length) {
    wrapper.append(h('p', { class: 'hint' }, `Showing ${fmtNumber(shownRows.length)} of ${fmtNumber(total)} rows.`));
  }
  return wrapper;
}

async function runSql() {
  const text = $('#sql-text').value;
  setText($('#sql-message'), 'Running…');
  const result = await api('POST', '/api/lake/sql', { sql: text });
  const out = clear($('#sql-result'));
  if (!result.ok) {
    $('#sql-message').textContent = shorten(result.message);
    $('#sql-message').dataset.kind = 'error';
    return;
  }
  const r = result.data.result;
  $('#sql-message').dataset.kind = 'ok';
  $('#sql-message').textContent = `${fmtNumber(r.rows.length)} row${r.rows.length === 1 ? '' : 's'} in ${fmtNumber(r.millis)} ms`
    + (result.data.truncated ? ' (the first 1,000 only)' : '') + (result.data.source === 'topic' ? ', from the topic, not the bucket.' : '.');
  out.append(table(r.columns, r.rows.slice(0, 1000), r.rows.length));
}
