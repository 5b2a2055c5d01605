/**
 * The JSON API as the console uses it: same-origin requests carrying the session cookie,
 * and the service's one error shape `{ error: { code, message, requestId } }` as ApiError.
 */

export class ApiError extends Error {
  constructor(status, code, message, requestId) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

const listeners = new Set();
/** Called whenever a request answers 401: the session is gone. */
export const onSignedOut = (listener) => listeners.add(listener);

export async function api(path, { method = 'GET', body } = {}) {
  let response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(0, 'network', error instanceof Error ? error.message : String(error));
  }
  if (response.status === 204) return undefined;
  const payload = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = payload?.error ?? {};
    const failure = new ApiError(
      response.status,
      error.code ?? 'http_error',
      error.message ?? `HTTP ${response.status}`,
      error.requestId,
    );
    if (response.status === 401 && path !== '/v1/auth/login')
      listeners.forEach((listener) => listener(failure));
    throw failure;
  }
  return payload;
}

export const signIn = (username, password) =>
  api('/v1/auth/login', { method: 'POST', body: { username, password } });
export const signOut = () => api('/v1/auth/logout', { method: 'POST' });
export const me = () => api('/v1/auth/me');
export const actionCounts = () => api('/v1/stats/agent-actions');
export const ticket = (id) => api(`/v1/tickets/${encodeURIComponent(id)}`);
export const act = (id, action) =>
  api(`/v1/tickets/${encodeURIComponent(id)}/actions`, { method: 'POST', body: action });

export function queue({ status = 'active', assignee } = {}) {
  const query = new URLSearchParams({ status, limit: '200' });
  if (assignee) query.set('assignee', assignee);
  return api(`/v1/tickets?${query}`);
}
