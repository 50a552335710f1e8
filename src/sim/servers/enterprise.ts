/**
 * The demo plant's enterprise systems on one small HTTP server (node:http): ERP releases work orders (a cursor-paged
 * list a REST poller can follow) and receives confirmations; CMMS receives maintenance orders; QMS receives
 * nonconformances; WMS receives material moves (a move to a short line ends its shortage). Every system records
 * what it received, readable at `GET /<system>/received`. Bad input is answered 400 with the project's JSON error.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { describeError, InputError, NotFoundError, PlantfabricError } from '../../core/errors.js';
import { registerFormats } from '../../core/formats.js';
import type { WorkOrder } from '../model/types.js';
import { ConfirmationSchema, MaintenanceOrderSchema, MoveSchema, NonconformanceSchema, type Move } from './enterprise-schemas.js';

/** The enterprise systems served. */
export const SYSTEMS = ['erp', 'cmms', 'qms', 'wms'] as const;
export type EnterpriseSystem = (typeof SYSTEMS)[number];

const BODY_LIMIT = 1_048_576;
const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

/** One request a system received. */
export interface ReceivedRecord {
  id: string;
  system: EnterpriseSystem;
  path: string;
  /** Real time it arrived. */
  receivedAt: string;
  /** Simulated plant time it arrived. */
  simTime: string;
  body: Record<string, unknown>;
}

interface Intake {
  system: EnterpriseSystem;
  path: string;
  schema: TSchema;
  prefix: string;
}

const INTAKES: readonly Intake[] = [
  { system: 'erp', path: '/erp/confirmations', schema: ConfirmationSchema, prefix: 'CONF' },
  { system: 'cmms', path: '/cmms/maintenance-orders', schema: MaintenanceOrderSchema, prefix: 'MO' },
  { system: 'qms', path: '/qms/nonconformances', schema: NonconformanceSchema, prefix: 'NC' },
  { system: 'wms', path: '/wms/moves', schema: MoveSchema, prefix: 'MV' },
];

/** What the enterprise server serves and where. */
export interface EnterpriseOptions {
  host: string;
  /** 0 picks a free port; a restart reuses the port first picked. */
  port: number;
  /** Orders released so far, oldest first (the list only grows). */
  orders(): readonly WorkOrder[];
  /** Simulated now. */
  now(): number;
  /** Called for every accepted WMS move (the plant ends a shortage with it). */
  onMove?(move: Move): void;
}

/** The ERP, CMMS, QMS and WMS endpoints on one HTTP server. */
export class EnterpriseServer {
  readonly #options: EnterpriseOptions;
  readonly #received = new Map<EnterpriseSystem, ReceivedRecord[]>(SYSTEMS.map((system) => [system, []]));
  #port: number;
  #server: Server | undefined;

  constructor(options: EnterpriseOptions) {
    registerFormats();
    this.#options = options;
    this.#port = options.port;
  }

  /** http://host:port, without a trailing slash; each system lives under /<system>. */
  get baseUrl(): string {
    return `http://${this.#options.host}:${this.#port}`;
  }

  get running(): boolean {
    return this.#server !== undefined;
  }

  /** What a system has received so far, oldest first. */
  received(system: EnterpriseSystem): readonly ReceivedRecord[] {
    return this.#received.get(system)!;
  }

  async start(): Promise<void> {
    if (this.#server !== undefined) return;
    const server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        const problem = error instanceof PlantfabricError ? error : new PlantfabricError('PF_ERR_INTERNAL', describeError(error), { cause: error });
        this.#problem(res, problem.httpStatus, problem);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, this.#options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  /** Closes the server and every open connection. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server === undefined) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const method = req.method ?? 'GET';
    if (method === 'GET' && url.pathname === '/erp/work-orders') return this.#workOrders(url, res);
    const received = /^\/(erp|cmms|qms|wms)\/received$/.exec(url.pathname);
    if (method === 'GET' && received !== null) {
      this.#send(res, 200, { items: this.#received.get(received[1] as EnterpriseSystem) });
      return;
    }
    const intake = INTAKES.find((candidate) => candidate.path === url.pathname);
    if (method === 'POST' && intake !== undefined) return this.#accept(intake, req, res);
    throw new NotFoundError('PF_ERR_NOT_FOUND', `no route ${method} ${url.pathname}`);
  }

  #workOrders(url: URL, res: ServerResponse): void {
    const since = this.#integerParam(url, 'since', 0, 0);
    const limit = Math.min(MAX_PAGE, this.#integerParam(url, 'limit', DEFAULT_PAGE, 1));
    const orders = this.#options.orders();
    const page = orders.slice(since, since + limit).map((order, index) => ({ cursor: String(since + index + 1), ...order }));
    const more = since + page.length < orders.length;
    this.#send(res, 200, { items: page, ...(more ? { nextCursor: String(since + page.length) } : {}) });
  }

  #integerParam(url: URL, name: string, fallback: number, minimum: number): number {
    const text = url.searchParams.get(name);
    if (text === null || text === '') return fallback;
    if (!/^\d+$/.test(text) || Number(text) < minimum) {
      throw new InputError('PF_ERR_REQUEST_INVALID', `query parameter ${name} must be an integer ≥ ${minimum}, got '${text}'`);
    }
    return Number(text);
  }

  async #accept(intake: Intake, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await this.#readBody(req);
    if (raw === undefined) {
      this.#problem(res, 413, new InputError('PF_ERR_REQUEST_INVALID', `body larger than ${BODY_LIMIT} bytes`, { details: { limitBytes: BODY_LIMIT } }));
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch (error) {
      throw new InputError('PF_ERR_REQUEST_INVALID', `body is not JSON: ${describeError(error)}`, { cause: error });
    }
    if (!Value.Check(intake.schema, body)) {
      const issues = [...Value.Errors(intake.schema, body)].map((issue) => ({ path: issue.path || '/', message: issue.message }));
      throw new InputError('PF_ERR_REQUEST_INVALID', `${intake.path}: the body does not match the schema`, { details: { issues } });
    }
    const records = this.#received.get(intake.system)!;
    const record: ReceivedRecord = {
      id: `${intake.prefix}-${String(records.length + 1).padStart(6, '0')}`,
      system: intake.system,
      path: intake.path,
      receivedAt: new Date().toISOString(),
      simTime: new Date(this.#options.now()).toISOString(),
      body: body as Record<string, unknown>,
    };
    records.push(record);
    if (intake.system === 'wms') this.#options.onMove?.(body as Move);
    this.#send(res, 201, { id: record.id, receivedAt: record.receivedAt });
  }

  /** The body, or undefined when it is larger than the limit (the rest is not read). */
  async #readBody(req: IncomingMessage): Promise<Buffer | undefined> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > BODY_LIMIT) return undefined;
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  #problem(res: ServerResponse, status: number, error: PlantfabricError): void {
    this.#send(res, status, { error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } });
  }

  #send(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }
}
