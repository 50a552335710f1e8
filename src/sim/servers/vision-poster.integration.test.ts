/**
 * The camera posting to a real webhook receiver (node:http): signed so the HTTP connector's own HMAC check accepts
 * it, held and retried in order while the receiver is down or busy, dropped only when refused as bad input.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { describe, it } from 'node:test';
import { freePort } from '../../../test/support/brokers.js';
import { assertNothingLeftBehind, resourceCounts, until } from '../../../test/support/wait.js';
import { verifyHmac } from '../../connectors/http/signature.js';
import type { VisionUpdate } from '../model/types.js';
import { SIGNATURE_HEADER, VisionPoster } from './vision-poster.js';

const SECRET = 'camera-secret';
const HMAC = { secretEnv: 'X', header: SIGNATURE_HEADER, algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=', toleranceSeconds: 300 } as const;

function detection(serial: string, detectionKind: VisionUpdate['detection'] = 'defect'): VisionUpdate {
  return {
    kind: 'vision', camera: 'cam-1', equipment: 'assembly-2', detection: detectionKind, ...(detectionKind === 'defect' ? { defect: 'scratch' } : {}),
    confidence: 0.91, serial, workOrder: 'WO-10003', ts: Date.parse('2026-01-05T05:50:27+01:00'),
  };
}

interface Receiver {
  bodies: Array<Record<string, unknown>>;
  statuses: number[];
  close(): Promise<void>;
}

async function receiver(port: number, answer: (body: Record<string, unknown>, index: number) => number): Promise<Receiver> {
  const bodies: Array<Record<string, unknown>> = [];
  const statuses: number[] = [];
  let count = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const signed = verifyHmac(raw, (name) => req.headers[name] as string | undefined, SECRET, HMAC, Date.now());
      const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      const status = signed.ok ? answer(body, count++) : 401;
      statuses.push(status);
      if (status === 200) bodies.push(body);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return {
    bodies,
    statuses,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

describe('VisionPoster', () => {
  it('delivers signed detections in order, retrying while the receiver is down or busy', async () => {
    const before = resourceCounts();
    const port = await freePort();
    const poster = new VisionPoster({ url: `http://127.0.0.1:${port}/hooks/vision`, secret: SECRET });
    let server: Receiver | undefined;
    try {
      poster.enqueue(detection('line-2-000001'));
      poster.enqueue(detection('line-2-000002', 'label-unreadable'));
      poster.start();
      poster.enqueue(detection('line-2-000003'));
      await until('a failed attempt', () => poster.lastError?.includes('retrying'));
      assert.equal(poster.counts.pending, 3, 'nothing is lost while the receiver is down');

      server = await receiver(port, (_body, index) => (index === 0 ? 503 : 200));
      await until('all delivered', () => poster.counts.delivered === 3);
      assert.deepEqual(server.statuses, [503, 200, 200, 200], 'the busy answer was retried, and every request was signed');
      assert.deepEqual(server.bodies.map((body) => body.serial), ['line-2-000001', 'line-2-000002', 'line-2-000003']);
      assert.deepEqual(server.bodies[1], {
        id: 'cam-1-line-2-000002-label-unreadable', camera: 'cam-1', equipment: 'assembly-2', detection: 'label-unreadable',
        confidence: 0.91, serial: 'line-2-000002', workOrder: 'WO-10003', ts: '2026-01-05T04:50:27.000Z',
      });
      assert.equal(server.bodies[0]!.defect, 'scratch');
      await server.close();

      server = await receiver(port, (body) => (body.serial === 'bad' ? 400 : 200));
      poster.enqueue(detection('bad'));
      poster.enqueue(detection('line-2-000004'));
      await until('the next one after a refusal', () => poster.counts.delivered === 4);
      assert.equal(poster.counts.rejected, 1, 'a 400 is not retried');
      assert.match(poster.lastError ?? '', /answered 400/);
    } finally {
      await poster.stop();
      await server?.close();
    }
    await assertNothingLeftBehind(before);
  });
});
