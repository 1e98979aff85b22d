// The JSON API client: same-origin fetch, the CSRF token on every
// state-changing request, and one place that sends a logged-out user to
// /login. Errors come back as ApiError with the server's message verbatim.

let csrfToken = null;
let leaving = false; // set once the page is navigating away

// Leave for url. Requests still in flight are then cut off by the
// browser; their errors are expected and not shown (see isLeaving).
export function leave(url) {
  leaving = true;
  location.assign(url);
}

// True once leave() was called: callers drop errors instead of showing them.
export function isLeaving() {
  return leaving;
}

export class ApiError extends Error {
  constructor(status, message, param) {
    super(message);
    this.status = status;
    this.param = param || null;
  }
}

// The session's CSRF token, for requests not made through api() (an
// upload with progress uses XMLHttpRequest).
export function csrf() {
  return csrfToken;
}

export function setCsrf(token) {
  csrfToken = typeof token === 'string' && token !== '' ? token : null;
}

// /login?next=<where we are now>; next is always a local path.
export function loginUrl() {
  const here = location.pathname + location.search + location.hash;
  return '/login?next=' + encodeURIComponent(here);
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// Fetch path (which must start with /api/) and parse JSON. Throws ApiError
// for any status but 2xx; a 401 also leaves for the login page unless
// opts.noRedirect is set.
export async function api(path, opts = {}) {
  const method = (opts.method || 'GET').toUpperCase();
  const headers = { Accept: 'application/json' };
  if (opts.contentType) headers['Content-Type'] = opts.contentType;
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
  if (UNSAFE.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch(path, {
      method, headers, body: opts.body, credentials: 'same-origin',
      cache: 'no-store', signal: opts.signal,
    });
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'The server did not answer (' + e.message + ').');
  }
  let data = null;
  const type = res.headers.get('Content-Type') || '';
  if (type.startsWith('application/json')) {
    try { data = await res.json(); } catch (e) { data = null; }
  }
  if (res.ok) return data;
  if (res.status === 401 && !opts.noRedirect) {
    leave(loginUrl());
  }
  const err = data && typeof data.error === 'object' && data.error ? data.error : {};
  const msg = typeof err.message === 'string' && err.message !== ''
    ? err.message : 'HTTP ' + res.status + ' ' + res.statusText;
  const e = new ApiError(res.status, msg, typeof err.param === 'string' ? err.param : null);
  if (res.status === 429) e.retryAfter = res.headers.get('Retry-After');
  if (data && Array.isArray(data.errors)) e.errors = data.errors; // every problem (POST /api/v1/posts)
  throw e;
}

// Like api(), but a 404 or 405 (an endpoint this server does not have yet)
// gives null instead of an error, so callers can fall back.
export async function apiOptional(path, opts) {
  try {
    return await api(path, opts);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 405)) return null;
    throw e;
  }
}

// A query string from an object, skipping null, undefined and ''.
export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== '') u.set(k, String(v));
  }
  const s = u.toString();
  return s ? '?' + s : '';
}
