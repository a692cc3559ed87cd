// Small DOM and formatting helpers. Text always goes in as text nodes (never innerHTML), so connector names,
// configs, traces and query results cannot inject markup.

/** Creates an element: h('td', {class: 'x', 'data-value': '1', onclick: f}, 'text', child, ...). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      el.className = value;
    } else if (key === 'hidden' || key === 'disabled' || key === 'checked' || key === 'selected') {
      el[key] = Boolean(value);
    } else if (key === 'value') {
      el.value = value;
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** Sets an element's text, showing a dash for nothing. */
export function setText(el, text) {
  const value = text === undefined || text === null || text === '' ? '–' : String(text);
  if (el.textContent !== value) el.textContent = value;
}

/** Shows a message (shortened) in the element of the selector; kind ('error', 'ok', ...) styles it. */
export function showMessage(selector, text, kind = 'error') {
  const el = $(selector);
  el.textContent = shorten(text);
  el.dataset.kind = kind;
}

/** At most max characters of a message, so that a huge value echoed back cannot flood the page. */
export function shorten(text, max = 2000) {
  const s = String(text ?? '');
  return s.length > max ? s.slice(0, max) + ` … (${(s.length - max).toLocaleString('en-US')} more characters)` : s;
}

export function fmtNumber(value, digits = 2) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (typeof value !== 'number') return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const abs = Math.abs(value);
  const fraction = abs >= 1000 ? digits : abs >= 1 ? Math.max(digits, 2) : 6;
  return value.toLocaleString('en-US', { maximumFractionDigits: fraction });
}

export function fmtBytes(n) {
  if (n === null || n === undefined) return '–';
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return (u === 0 ? v.toLocaleString('en-US') : v.toFixed(1)) + ' ' + units[u];
}

export function fmtAge(ms) {
  if (ms === null || ms === undefined) return '–';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

/** HH:MM:SS in the browser's time zone. */
export function fmtTime(ms) {
  if (!ms) return '–';
  return new Date(ms).toLocaleTimeString('en-GB', { hour12: false });
}
