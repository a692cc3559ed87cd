// The connectors of the Connect cluster, pushed by the server every time they change: type, state, tasks and the
// worker each runs on, a failed task's trace, and the actions (edit, pause, resume, stop, restart, offsets, delete).
import { $, clear, h, shorten, showMessage } from './dom.js';
import { connect, seg } from './api.js';
import { on } from './events.js';
import * as form from './form.js';

let connectors = {};
let offsetsOf = null;

export function init() {
  form.init();
  on('connectors', render);
  $('#new-connector').addEventListener('click', () => {
    closeOffsets();
    form.openNew(done);
  });
  $('#offsets-close').addEventListener('click', closeOffsets);
  $('#offsets-stop').addEventListener('click', () => offsetsOf && act(offsetsOf, 'stop').then(() => loadOffsets()));
  $('#offsets-reset').addEventListener('click', resetOffsets);
  $('#offsets-apply').addEventListener('click', applyOffsets);
}

export function shown() {}

function done(text) {
  say(text, 'ok');
}

function say(text, kind = 'error') {
  showMessage('#connectors-message', text, kind);
}

function render(data) {
  const banner = $('#banner');
  if (!data.ok) {
    banner.textContent = data.message;
    banner.hidden = false;
    return;
  }
  banner.hidden = true;
  connectors = data.connectors || {};
  const tbody = clear($('#connectors-table tbody'));
  const names = Object.keys(connectors).sort();
  $('#connectors-empty').hidden = names.length > 0;
  for (const name of names) {
    const entry = connectors[name];
    const status = entry.status || {};
    const info = entry.info || {};
    const state = status.connector?.state || 'UNKNOWN';
    const tasks = status.tasks || [];
    const failed = [status.connector, ...tasks].filter((s) => s && s.state === 'FAILED' && s.trace);
    const cls = info.config?.['connector.class'] || '';
    tbody.append(h('tr', { 'data-connector': name, 'data-state': state },
      h('td', { class: 'name' }, name),
      h('td', {}, info.type || status.type || ''),
      h('td', { title: cls }, cls.split('.').pop()),
      h('td', {}, h('span', { class: `state state-${state}` }, state)),
      h('td', { class: 'tasks' }, tasks.length === 0 ? '–' : tasks.map((t) =>
        h('span', { class: `task state-${t.state}`, 'data-task': t.id }, `${t.id}: ${t.state}`, h('small', {}, ` ${t.worker_id}`)))),
      h('td', { class: 'actions' }, actions(name, state))));
    for (const failure of failed) {
      const lines = failure.trace.split('\n');
      const cause = lines.filter((l) => l.startsWith('Caused by: ')).pop();
      const first = lines[0] + (cause ? ` (${cause.replace(/^Caused by: /, 'cause: ')})` : '');
      tbody.append(h('tr', { class: 'trace-row', 'data-trace-of': name },
        h('td', { colspan: 6 },
          h('details', {},
            h('summary', {}, `${failure.id === undefined ? 'Connector' : `Task ${failure.id}`} failed: ${shorten(first, 300)}`),
            h('pre', { class: 'trace' }, shorten(failure.trace, 20000))))));
    }
  }
  if (offsetsOf && !connectors[offsetsOf]) closeOffsets();
  if (offsetsOf) $('#offsets-reset').disabled = stateOf(offsetsOf) !== 'STOPPED';
}

function stateOf(name) {
  return connectors[name]?.status?.connector?.state;
}

function actions(name, state) {
  const button = (label, handler, extra = {}) => h('button', { type: 'button', 'data-action': label.toLowerCase(), onclick: handler, ...extra }, label);
  const list = [button('Edit', () => { closeOffsets(); form.openEdit(name, done); })];
  if (state === 'RUNNING') list.push(button('Pause', () => act(name, 'pause')));
  if (state === 'PAUSED' || state === 'STOPPED') list.push(button('Resume', () => act(name, 'resume')));
  if (state !== 'STOPPED') list.push(button('Stop', () => act(name, 'stop')));
  list.push(button('Restart', () => act(name, 'restart')));
  list.push(button('Offsets', () => openOffsets(name)));
  list.push(button('Delete', () => remove(name), { class: 'danger' }));
  return list;
}

async function act(name, action) {
  const result = action === 'restart'
    ? await connect('POST', `/connectors/${seg(name)}/restart?includeTasks=true&onlyFailed=false`)
    : await connect('PUT', `/connectors/${seg(name)}/${action}`);
  if (result.ok) say(`${name}: ${action} requested.`, 'ok');
  else say(`${name}: ${action} refused: ${result.message}`);
  return result;
}

async function remove(name) {
  const dialog = $('#confirm');
  $('#confirm-text').textContent = `Delete the connector ${name}? Its tasks stop and its config is removed; `
    + 'its committed offsets stay in Connect\'s offsets topic.';
  dialog.returnValue = '';
  dialog.showModal();
  dialog.addEventListener('close', async () => {
    if (dialog.returnValue !== 'ok') return;
    const result = await connect('DELETE', `/connectors/${seg(name)}`);
    if (result.ok) say(`Deleted ${name}.`, 'ok');
    else say(`${name}: not deleted: ${result.message}`);
  }, { once: true });
}

async function openOffsets(name) {
  form.close();
  offsetsOf = name;
  $('#offsets-title').textContent = `Offsets of ${name}`;
  $('#offsets').hidden = false;
  $('#offsets-message').textContent = '';
  await loadOffsets();
}

function closeOffsets() {
  offsetsOf = null;
  $('#offsets').hidden = true;
}

async function loadOffsets() {
  if (!offsetsOf) return;
  const name = offsetsOf;
  const result = await connect('GET', `/connectors/${seg(name)}/offsets`);
  const tbody = clear($('#offsets-table tbody'));
  $('#offsets-reset').disabled = stateOf(name) !== 'STOPPED';
  $('#offsets-stop').disabled = stateOf(name) === 'STOPPED';
  if (!result.ok) {
    offsetsMessage(result.message);
    return;
  }
  const offsets = result.data.offsets || [];
  $('#offsets-empty').hidden = offsets.length > 0;
  for (const entry of offsets) {
    tbody.append(h('tr', {}, h('td', {}, h('code', {}, JSON.stringify(entry.partition))),
      h('td', {}, h('code', {}, JSON.stringify(entry.offset)))));
  }
  $('#offsets-json').value = JSON.stringify({ offsets }, null, 2);
}

function offsetsMessage(text, kind = 'error') {
  showMessage('#offsets-message', text, kind);
}

async function resetOffsets() {
  if (!offsetsOf) return;
  if (stateOf(offsetsOf) !== 'STOPPED') {
    offsetsMessage('Stop the connector first: Connect changes offsets only while a connector is STOPPED (KIP-875).');
    return;
  }
  const result = await connect('DELETE', `/connectors/${seg(offsetsOf)}/offsets`);
  offsetsMessage(result.ok ? (result.data?.message || 'Offsets reset.') : `Not reset: ${result.message}`, result.ok ? 'ok' : 'error');
  await loadOffsets();
}

async function applyOffsets() {
  if (!offsetsOf) return;
  let body;
  try {
    body = JSON.parse($('#offsets-json').value);
  } catch (e) {
    offsetsMessage(`Not valid JSON: ${e.message}`);
    return;
  }
  const result = await connect('PATCH', `/connectors/${seg(offsetsOf)}/offsets`, body);
  offsetsMessage(result.ok ? (result.data?.message || 'Offsets changed.') : `Not changed: ${result.message}`, result.ok ? 'ok' : 'error');
  await loadOffsets();
}
