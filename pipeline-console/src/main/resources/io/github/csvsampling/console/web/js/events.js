// One Server-Sent Events stream per page: the server pushes every section's data; EventSource reconnects by
// itself (the server then sends a fresh snapshot).
import { $ } from './dom.js';

const listeners = new Map();

/** Time the page spends handling pushed events (count, total and worst, in ms): the benchmark reads it. */
window.consoleEventTime = { count: 0, totalMs: 0, maxMs: 0 };

export function on(name, handler) {
  if (!listeners.has(name)) listeners.set(name, []);
  listeners.get(name).push(handler);
}

export function connectEvents(names) {
  const live = $('#live');
  const source = new EventSource('/api/events');
  source.onopen = () => { live.textContent = 'live'; live.className = 'live on'; };
  source.onerror = () => { live.textContent = 'reconnecting…'; live.className = 'live off'; };
  for (const name of names) {
    source.addEventListener(name, (event) => {
      let data;
      try {
        data = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      const t0 = performance.now();
      for (const handler of listeners.get(name) || []) {
        try {
          handler(data);
        } catch (e) {
          console.error(`handling ${name}`, e);
        }
      }
      const ms = performance.now() - t0;
      const time = window.consoleEventTime;
      time.count++;
      time.totalMs += ms;
      time.maxMs = Math.max(time.maxMs, ms);
    });
  }
  return source;
}
