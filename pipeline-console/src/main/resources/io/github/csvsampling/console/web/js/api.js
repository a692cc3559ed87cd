// The page's only way to its server: same origin, the session token on every request that changes something,
// and every failure turned into a message for the page (never an exception or a raw body).
const token = document.querySelector('meta[name="console-token"]').content;

/** Calls the console; resolves to {ok, status, data, message}. */
export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD') headers['X-Console-Token'] = token;
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', cache: 'no-store' });
  } catch (e) {
    return { ok: false, status: 0, data: null, message: 'The console does not answer: is it still running?' };
  }
  let data = null;
  try {
    const text = await response.text();
    data = text ? JSON.parse(text) : null;
  } catch (e) {
    data = null;
  }
  const message = data && typeof data.message === 'string' ? data.message
    : response.ok ? '' : `The console answered ${response.status} ${response.statusText}`;
  return { ok: response.ok, status: response.status, data, message };
}

/** The Connect REST API through the console's proxy: connect('GET', '/connectors?expand=status'). */
export function connect(method, path, body) {
  return api(method, '/api/connect' + path, body);
}

/** One path segment, encoded as the proxy expects it. */
export const seg = (text) => encodeURIComponent(text);
