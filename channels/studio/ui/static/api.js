// api.js: the Studio API (docs/studio-api.md) with the signed-in key.

const KEY = 'frontdesk.studio.key';

export const session = {
  get key() { return sessionStorage.getItem(KEY); },
  set key(v) { if (v) sessionStorage.setItem(KEY, v); else sessionStorage.removeItem(KEY); },
};

// ApiError carries the API's error: code, message and, for some, problems or the gate verdict.
export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || 'http_' + status;
    this.problems = body && body.problems;
    this.gate = body && body.gate;
  }
}

// api calls the API; it throws ApiError for an error answer. A 401 signs out.
export async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: { Authorization: 'Bearer ' + session.key, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await res.json().catch(() => null) : await res.text();
  if (!res.ok) {
    const err = new ApiError(res.status, typeof data === 'object' ? data : null);
    if (res.status === 401) window.dispatchEvent(new CustomEvent('studio:signout', { detail: err }));
    throw err;
  }
  return data;
}

// Paths of the Studio API, built with the names escaped.
const e = encodeURIComponent;
export const paths = {
  me: '/v1/studio/me',
  policies: '/v1/studio/policies',
  policy: (p) => `/v1/studio/policies/${e(p)}`,
  versions: (p) => `/v1/studio/policies/${e(p)}/versions`,
  version: (p, v) => `/v1/studio/policies/${e(p)}/versions/${e(v)}`,
  move: (p, v, to) => `/v1/studio/policies/${e(p)}/versions/${e(v)}/${to}`,
  gate: (p, v) => `/v1/studio/policies/${e(p)}/versions/${e(v)}/gate`,
  rollback: (p) => `/v1/studio/policies/${e(p)}/rollback`,
  tests: (p) => `/v1/studio/policies/${e(p)}/tests`,
  test: (p, name) => `/v1/studio/policies/${e(p)}/tests/${e(name)}`,
  runTests: (p, v) => `/v1/studio/policies/${e(p)}/versions/${e(v)}/tests/run`,
  simulate: (p, v) => `/v1/studio/policies/${e(p)}/versions/${e(v)}/simulate`,
  analytics: (p, q) => `/v1/studio/policies/${e(p)}/analytics` + (q ? '?' + new URLSearchParams(q) : ''),
  validate: '/v1/studio/validate',
  experiments: (policy) => '/v1/studio/experiments' + (policy ? '?policy=' + e(policy) : ''),
  experiment: (name) => `/v1/studio/experiments/${e(name)}`,
  playground: '/v1/studio/executors/run',
  keys: '/v1/studio/keys',
  key: (id) => `/v1/studio/keys/${e(id)}`,
  audit: (q) => '/v1/studio/audit' + (q ? '?' + new URLSearchParams(q) : ''),
  decode: '/studio/api/decode',
  encode: '/studio/api/encode',
};
