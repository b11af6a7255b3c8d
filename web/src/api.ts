import { apiKey } from './api-key';

/** An answer that is not a success, in the API's one error shape; `field` names the request part at fault. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface Posted<T> {
  statusCode: number;
  body: T;
}

async function send(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(path, init);
  } catch {
    throw new ApiError(0, 'the API did not answer: check the connection and try again');
  }
}

async function bodyOf<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => ({}))) as T & { message?: string; field?: string };
  if (!response.ok) throw new ApiError(response.status, body.message ?? `${response.status} ${response.statusText}`, body.field);
  return body;
}

/** GETs a JSON resource of the API. GETs never need the API key. */
export async function getJson<T>(path: string): Promise<T> {
  return bodyOf<T>(await send(path, { headers: { accept: 'application/json' } }));
}

/** POSTs JSON with the API key of this tab, and an Idempotency-Key when given. */
export async function postJson<T>(path: string, body: unknown, idempotencyKey?: string): Promise<Posted<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  const key = apiKey();
  if (key) headers['x-api-key'] = key;
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  const response = await send(path, { method: 'POST', headers, body: JSON.stringify(body) });
  return { statusCode: response.status, body: await bodyOf<T>(response) };
}
