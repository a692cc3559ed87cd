// A connector config form generated from data, for any plugin: the keys of GET /connector-plugins/{class}/config
// (grouped and ordered as the ConfigDef declares, with display names, documentation and defaults; Connect's own
// groups, which recent workers include, folded after the plugin's), keys that only the validation answer names (a
// transform's), and recommended values as choices. Every change is validated with
// PUT /connector-plugins/{class}/config/validate and the errors are shown at their field; nothing is created or
// changed while an error remains.
import { $, clear, h, shorten, showMessage } from './dom.js';
import { connect, seg } from './api.js';

const NAME_KEYS = new Set(['name', 'connector.class']);
/**
 * The groups Connect itself adds to every connector's definition (ConnectorConfig, SourceConnectorConfig,
 * SinkConnectorConfig: the framework's, not a plugin's); shown folded after the plugin's own groups.
 */
const CONNECT_GROUPS = /^(Common|Transforms|Predicates|Error Handling|Topic Creation|Exactly Once Support|offsets\.topic)(: .*)?$/;
/** The proxy's limit (ConnectProxy.MAX_VALUE_CHARS), checked here first so that the message appears at the field. */
const MAX_VALUE_CHARS = 65536;
let form = null;

/** Client-side twin of the server's name rules (ConnectorNames), for a message while typing. */
export function nameProblem(name) {
  if (!name || !name.trim()) return 'A connector needs a name, such as stock-quotes-source.';
  if (name.length > 200) return `The name is ${name.length} characters long; use at most 200.`;
  if (/[\/\\]/.test(name)) {
    return 'A name cannot contain a slash: Connect\'s REST API addresses a connector by its name in the URL path '
      + '(/connectors/<name>/status). Use letters, digits, ".", "_" or "-".';
  }
  if (/["'`]/.test(name)) {
    return 'A name cannot contain quotes: they break the JSON and shell commands connectors are managed with. '
      + 'Use letters, digits, ".", "_" or "-".';
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return 'A name cannot contain control characters.';
  if (name.trim() !== name) return 'A name cannot start or end with a space.';
  return '';
}

/** Opens the editor for a new connector. */
export async function openNew(onDone) {
  const plugins = await connect('GET', '/connector-plugins?connectorsOnly=true');
  if (!plugins.ok) return message(plugins.message);
  form = { mode: 'create', onDone, values: {}, plugin: null };
  const select = $('#plugin-select');
  clear(select);
  select.append(h('option', { value: '' }, 'Choose a plugin…'));
  for (const plugin of plugins.data) {
    const simple = plugin.class.split('.').pop();
    select.append(h('option', { value: plugin.class }, `${simple} (${plugin.type}, ${plugin.version})`));
  }
  select.disabled = false;
  $('#connector-name').value = '';
  $('#connector-name').disabled = false;
  $('#editor-title').textContent = 'New connector';
  $('#submit-button').textContent = 'Create';
  clear($('#editor-fields'));
  message('');
  $('#name-error').textContent = '';
  $('#editor').hidden = false;
  select.focus();
}

/** Opens the editor on a running connector's config. */
export async function openEdit(name, onDone) {
  const config = await connect('GET', `/connectors/${seg(name)}/config`);
  if (!config.ok) return message(config.message);
  form = { mode: 'edit', onDone, values: { ...config.data }, plugin: null };
  delete form.values.name;
  const select = $('#plugin-select');
  clear(select);
  select.append(h('option', { value: config.data['connector.class'] }, config.data['connector.class']));
  select.disabled = true;
  $('#connector-name').value = name;
  $('#connector-name').disabled = true;
  $('#editor-title').textContent = `Edit ${name}`;
  $('#submit-button').textContent = 'Save';
  message('');
  $('#name-error').textContent = '';
  $('#editor').hidden = false;
  await build(config.data['connector.class']);
}

export function close() {
  form = null;
  $('#editor').hidden = true;
  clear($('#editor-fields'));
}

export function init() {
  $('#plugin-select').addEventListener('change', async (e) => {
    if (form && e.target.value) {
      form.values = {};
      await build(e.target.value);
    }
  });
  $('#connector-name').addEventListener('input', () => {
    $('#name-error').textContent = nameProblem($('#connector-name').value);
    schedule();
  });
  $('#validate-button').addEventListener('click', () => validate());
  $('#cancel-button').addEventListener('click', () => close());
  $('#editor-form').addEventListener('submit', (e) => {
    e.preventDefault();
    submit();
  });
}

function message(text, kind = 'error') {
  showMessage('#form-message', text, kind);
}

/** Renders the form of a plugin: its own keys first, Connect's keys (from the validation answer) after. */
async function build(pluginClass) {
  form.plugin = pluginClass;
  const container = clear($('#editor-fields'));
  container.append(h('p', { class: 'hint' }, 'Loading the plugin\'s definition…'));
  const own = await connect('GET', `/connector-plugins/${seg(pluginClass)}/config`);
  if (!own.ok) {
    clear(container);
    return message(own.message);
  }
  form.fields = new Map();
  form.groups = new Map();
  form.ownKeys = new Set(own.data.map((d) => d.name));
  clear(container);
  const pluginGroups = h('div', { class: 'plugin-groups' });
  const connectGroups = h('details', { class: 'connect-groups' },
    h('summary', {}, 'Connect settings (every connector has these: tasks, converters, transforms, errors, …)'));
  const other = h('fieldset', { class: 'group other', 'data-group': '(other)' },
    h('legend', {}, 'Other settings (not in any definition)'));
  container.append(pluginGroups, connectGroups, other);
  form.containers = { plugin: pluginGroups, connect: connectGroups, other };
  for (const definition of sortDefinitions(own.data)) addField(definition);
  await validate();
  renderOther();
}

function sortDefinitions(definitions) {
  const groupOrder = [];
  for (const d of definitions) if (!groupOrder.includes(d.group ?? '')) groupOrder.push(d.group ?? '');
  return [...definitions].sort((a, b) =>
    (groupOrder.indexOf(a.group ?? '') - groupOrder.indexOf(b.group ?? '')) || ((a.order ?? 0) - (b.order ?? 0)));
}

function groupFieldset(name) {
  const parent = CONNECT_GROUPS.test(name) ? form.containers.connect : form.containers.plugin;
  const key = name;
  if (!form.groups.has(key)) {
    const fieldset = h('fieldset', { class: 'group', 'data-group': name || 'General' }, h('legend', {}, name || 'General'));
    parent.append(fieldset);
    form.groups.set(key, fieldset);
  }
  return form.groups.get(key);
}

let fieldCounter = 0;

function addField(definition) {
  const key = definition.name;
  if (NAME_KEYS.has(key) || form.fields.has(key)) return;
  const id = `f-${++fieldCounter}`;
  const required = definition.required && (definition.default_value === null || definition.default_value === undefined);
  const label = h('label', { for: id },
    definition.display_name || key, ' ', h('code', {}, key), required ? h('span', { class: 'required' }, ' required') : '');
  const control = makeControl(definition, id, []);
  const doc = definition.documentation || '';
  const docEl = doc.length > 180
    ? h('details', { class: 'doc' }, h('summary', {}, doc.slice(0, doc.indexOf('. ') > 0 && doc.indexOf('. ') < 180 ? doc.indexOf('. ') + 1 : 160) + ' …'), doc)
    : h('p', { class: 'doc' }, doc);
  const error = h('p', { class: 'field-error', role: 'alert', id: `${id}-error` });
  const field = h('div', {
    class: `field importance-${(definition.importance || 'low').toLowerCase()}`,
    'data-key': key,
    'data-type': definition.type,
  }, label, control, docEl, error);
  groupFieldset(definition.group || '').append(field);
  form.fields.set(key, { definition, field, control, error, recommended: [] });
}

/** A text input, or a select for booleans and keys with recommended values. */
function makeControl(definition, id, recommended) {
  const key = definition.name;
  const current = form.values[key];
  const def = definition.default_value;
  const defaultText = def === null || def === undefined ? 'no default' : def === '' ? 'default: empty' : `default: ${def}`;
  let control;
  const choices = definition.type === 'BOOLEAN' ? ['true', 'false'] : recommended;
  if (choices.length > 0 && choices.length <= 60) {
    control = h('select', { id, name: key, 'aria-describedby': `${id}-error` },
      h('option', { value: '' }, `(${defaultText})`));
    for (const choice of choices) control.append(h('option', { value: choice }, choice));
    if (current !== undefined && current !== '' && !choices.includes(current)) {
      control.append(h('option', { value: current }, current));
    }
    control.value = current ?? '';
  } else {
    control = h('input', {
      id,
      name: key,
      type: definition.type === 'PASSWORD' ? 'password' : 'text',
      placeholder: defaultText,
      autocomplete: 'off',
      spellcheck: 'false',
      'aria-describedby': `${id}-error`,
    });
    if (['INT', 'LONG', 'SHORT', 'DOUBLE'].includes(definition.type)) control.setAttribute('inputmode', 'decimal');
    control.value = current ?? '';
  }
  const changed = () => {
    const value = control.value;
    if (value === '') delete form.values[key];
    else form.values[key] = value;
    if (value.length > MAX_VALUE_CHARS) {
      const entry = form.fields.get(key);
      entry.error.textContent = `The value is ${value.length.toLocaleString('en-US')} characters long; the console `
        + `accepts at most ${MAX_VALUE_CHARS.toLocaleString('en-US')} per setting.`;
      entry.field.classList.add('invalid');
      return;
    }
    schedule();
  };
  control.addEventListener('input', changed);
  control.addEventListener('change', changed);
  return control;
}

/** Keys in the config that no definition names (consumer overrides, converter settings, …), editable as text. */
function renderOther() {
  const other = form.containers.other;
  while (other.children.length > 1) other.removeChild(other.lastChild);
  const known = (key) => form.fields.has(key) || NAME_KEYS.has(key);
  for (const [key, value] of Object.entries(form.values)) {
    if (known(key)) continue;
    other.append(otherRow(key, value));
  }
  other.append(h('button', {
    type: 'button',
    class: 'add-setting',
    onclick: () => {
      other.insertBefore(otherRow('', ''), other.lastChild);
    },
  }, 'Add a setting'));
}

function otherRow(key, value) {
  let currentKey = key;
  const keyInput = h('input', { class: 'other-key', value: key, placeholder: 'key', spellcheck: 'false', 'aria-label': 'Setting key' });
  const valueInput = h('input', { class: 'other-value', value, placeholder: 'value', spellcheck: 'false', 'aria-label': 'Setting value' });
  const error = h('p', { class: 'field-error', role: 'alert' });
  const sync = () => {
    if (currentKey && form.values[currentKey] !== undefined && !form.fields.has(currentKey)) delete form.values[currentKey];
    currentKey = keyInput.value.trim();
    if (currentKey) form.values[currentKey] = valueInput.value;
    schedule();
  };
  keyInput.addEventListener('change', sync);
  valueInput.addEventListener('input', sync);
  const row = h('div', { class: 'field other-row', 'data-key': key }, keyInput, valueInput,
    h('button', { type: 'button', onclick: () => { if (currentKey) delete form.values[currentKey]; row.remove(); schedule(); } }, 'Remove'),
    error);
  return row;
}

let timer = null;

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(() => validate(), 400);
}

function body() {
  const name = $('#connector-name').value;
  return { ...form.values, 'connector.class': form.plugin, name: name && !nameProblem(name) ? name : 'unnamed-connector' };
}

let sequence = 0;

/** Validates what the form holds; shows errors at their fields; resolves to Connect's answer (or null). */
async function validate() {
  if (!form || !form.plugin) return null;
  const mine = ++sequence;
  const answer = await connect('PUT', `/connector-plugins/${seg(form.plugin)}/config/validate`, body());
  if (mine !== sequence || !form) return null; // a newer validation is under way
  if (!answer.ok) {
    message(answer.message);
    return null;
  }
  update(answer.data);
  return answer.data;
}

/** Errors at their fields, recommended values as choices, hidden keys hidden, new keys (transforms) added. */
function update(answer) {
  const stray = [];
  for (const config of answer.configs) {
    const key = config.definition.name;
    if (!form.fields.has(key) && !NAME_KEYS.has(key)) addField(config.definition);
    const errors = config.value.errors || [];
    if (key === 'name') {
      if (errors.length && $('#connector-name').value) $('#name-error').textContent = shorten(errors.join(' '));
      continue;
    }
    const entry = form.fields.get(key);
    if (!entry) {
      if (errors.length) stray.push(`${key}: ${errors.join(' ')}`);
      continue;
    }
    entry.error.textContent = shorten(errors.join(' '));
    entry.field.classList.toggle('invalid', errors.length > 0);
    entry.control.setAttribute('aria-invalid', errors.length > 0 ? 'true' : 'false');
    entry.field.hidden = config.value.visible === false;
    const recommended = (config.value.recommended_values || []).map(String);
    if (recommended.join('\u0000') !== entry.recommended.join('\u0000') && document.activeElement !== entry.control) {
      entry.recommended = recommended;
      const control = makeControl(entry.definition, entry.control.id, recommended);
      entry.control.replaceWith(control);
      entry.control = control;
    }
  }
  const count = answer.error_count || 0;
  if (stray.length) message(stray.join('\n'));
  else if (count === 0) message('Valid.', 'ok');
  else message(`${count} setting${count === 1 ? ' needs' : 's need'} fixing: see the messages at the fields.`);
  form.errorCount = count;
}

async function submit() {
  if (!form || !form.plugin) return message('Choose a plugin first.');
  const name = $('#connector-name').value;
  const problem = form.mode === 'create' ? nameProblem(name) : '';
  if (problem) {
    $('#name-error').textContent = problem;
    return message(`Not created: ${problem}`);
  }
  clearTimeout(timer);
  const answer = await validate();
  if (!answer) return;
  if (answer.error_count > 0) {
    const first = [...form.fields.values()].find((f) => f.field.classList.contains('invalid'));
    if (first) {
      first.field.closest('details')?.setAttribute('open', '');
      first.control.focus();
    }
    return message(`Not ${form.mode === 'create' ? 'created' : 'saved'}: ${answer.error_count} setting`
      + `${answer.error_count === 1 ? ' needs' : 's need'} fixing (see the messages at the fields).`);
  }
  const config = { ...form.values, 'connector.class': form.plugin };
  const result = form.mode === 'create'
    ? await connect('POST', '/connectors', { name, config: { ...config, name } })
    : await connect('PUT', `/connectors/${seg(name)}/config`, { ...config, name });
  if (!result.ok) return message(`${form.mode === 'create' ? 'Not created' : 'Not saved'}: ${result.message}`);
  const done = form.onDone;
  const verb = form.mode === 'create' ? 'Created' : 'Saved';
  close();
  done?.(`${verb} ${name}.`);
}
