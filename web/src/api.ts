/**
 * The UI's one way to the server: JSON over the HTTP API with the session cookie. Errors keep the API's stable code,
 * so pages branch on `PF_ERR_*`, never on message text. Response shapes come from the server's core types (type-only
 * imports: nothing of the server runs in the browser).
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const parsed: unknown = text === '' ? undefined : JSON.parse(text);
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? 'PF_ERR_INTERNAL', error?.message ?? `${response.status} ${response.statusText}`);
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
};

/** Query string from defined values only. */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

export interface Me {
  id: string;
  name: string;
  grants: Array<{ role: string; areas: string[] }>;
}

export interface PlantNode {
  path: string;
  id: string;
  level: string;
  name: string;
  class?: string;
  children: PlantNode[];
}

export type { EquipmentStatus } from '../../src/core/plant-status.js';

export interface StoredEvent {
  id: string;
  position: number;
  type: string;
  occurredAt: string;
  receivedAt: string;
  source: { system: string; connector?: string; address?: string };
  subject: Record<string, string | undefined>;
  data: Record<string, unknown>;
  quality: string;
}

export interface ConnectorStatus {
  id: string;
  kind: string;
  system: string;
  enabled: boolean;
  buffered: number;
  health: { state: string; since: string; lastError?: { message: string; at: string }; details?: Record<string, unknown> };
}

export interface DeadLetter {
  id: string;
  createdAt: string;
  stage: string;
  code: string;
  message: string;
  status: string;
  attempts: number;
  source: { system?: string; connector?: string; address?: string };
  rawPreview: string;
}
