// The page: three views (connectors, stream, lake) switched by the URL's #fragment, fed by one event stream.
import { $, $$ } from './dom.js';
import { connectEvents, on } from './events.js';
import * as connectors from './connectors.js';
import * as stream from './stream.js';
import * as lake from './lake.js';

const views = { connectors, stream, lake };

function show() {
  const name = (location.hash || '#connectors').slice(1);
  const current = views[name] ? name : 'connectors';
  for (const view of Object.keys(views)) {
    $(`#view-${view}`).hidden = view !== current;
    $(`#nav-${view}`).classList.toggle('current', view === current);
    if (view === current) $(`#nav-${view}`).setAttribute('aria-current', 'page');
    else $(`#nav-${view}`).removeAttribute('aria-current');
  }
  views[current].shown?.();
  document.body.dataset.view = current;
}

on('info', (info) => {
  $('#connect-url').textContent = `Connect REST API: ${info.connectUrl}`;
  $('#stream-where').textContent = `Topic ${info.topic} on ${info.bootstrap}`;
});

for (const view of Object.values(views)) view.init();
window.addEventListener('hashchange', show);
show();
connectEvents(['info', 'connectors', 'stream', 'stream-snapshot', 'lake']);
document.body.dataset.ready = 'true';
