// The login form: POST /api/v1/login, then go to ?next= (a local path
// only), else to the dashboard.

const form = document.getElementById('login-form');
const user = document.getElementById('login-user');
const password = document.getElementById('login-password');
const submit = document.getElementById('login-submit');
const error = document.getElementById('login-error');

// Only "/..." paths on this origin; never "//host" or "/\host".
function nextPath() {
  const next = new URLSearchParams(location.search).get('next') || '/';
  if (!/^\/(?![/\\])/.test(next) || /[\u0000-\u001f]/.test(next)) return '/';
  try {
    const u = new URL(next, location.origin);
    return u.origin === location.origin ? u.pathname + u.search + u.hash : '/';
  } catch (e) {
    return '/';
  }
}

function showError(msg) {
  error.textContent = msg;
  error.hidden = false;
}

async function login(ev) {
  ev.preventDefault();
  error.hidden = true;
  if (!user.value || !password.value) {
    showError('Enter your user name and password.');
    return;
  }
  submit.disabled = true;
  try {
    const res = await fetch('/api/v1/login', {
      method: 'POST', credentials: 'same-origin', cache: 'no-store',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ user: user.value, password: password.value }),
    });
    if (res.ok) {
      location.replace(nextPath());
      return;
    }
    let msg = null;
    try {
      const d = await res.json();
      if (d && d.error && typeof d.error.message === 'string') msg = d.error.message;
    } catch (e) { /* not JSON */ }
    if (res.status === 401) msg = 'Wrong user name or password.';
    else if (res.status === 429) {
      const after = Number.parseInt(res.headers.get('Retry-After') || '', 10);
      msg = 'Too many attempts. Try again' + (after > 0 ? ' in ' + after + ' seconds.' : ' later.');
    } else if (res.status === 404 || res.status === 405) {
      msg = 'This server has no login yet: open the dashboard directly.';
    }
    showError(msg || 'Login failed (HTTP ' + res.status + ').');
  } catch (e) {
    showError('The server did not answer. Try again.');
  } finally {
    submit.disabled = false;
  }
}

form.addEventListener('submit', login);
user.focus();
