import { expect } from 'vitest';

interface InjectedResponse {
  statusCode: number;
  headers: Record<string, unknown>;
  json(): any;
}

/** The response is an RFC 9457 problem with this status (and, if given, an error at `path`). */
export function expectProblem(response: InjectedResponse, status: number, path?: string) {
  expect(response.statusCode, response.statusCode === status ? undefined : JSON.stringify(response.json())).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json();
  expect(body.status).toBe(status);
  if (path) expect(body.errors.map((e: { path: string }) => e.path)).toContain(path);
  return body;
}
