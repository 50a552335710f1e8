import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeSparkplug, encodeSparkplug } from './codec.js';

describe('Sparkplug B codec', () => {
  it('decodes every scalar datatype exactly, including signed and 64-bit integers', () => {
    const cases = [
      ['Int8', -128], ['Int8', 127], ['Int16', -32768], ['Int16', 1234], ['Int32', -2147483648], ['Int32', 2147483647],
      ['Int64', -9007199254740991], ['Int64', 42], ['UInt8', 255], ['UInt16', 65535], ['UInt32', 4294967295], ['UInt32', 3000000000],
      ['UInt64', 9007199254740991], ['Float', 1.5], ['Double', -0.1], ['Boolean', true], ['Boolean', false], ['String', 'RUNNING'],
      ['DateTime', 1767225600000], ['Text', 'long text'], ['UUID', '1b4e28ba-2fa1-11d2-883f-0016d3cca427'],
    ] as const;
    const bytes = encodeSparkplug({
      timestamp: 1767225600000,
      seq: 0,
      metrics: cases.map(([type, value], index) => ({ name: `m${index}`, alias: index + 1, type, value })),
    });
    const decoded = decodeSparkplug(bytes);
    assert.equal(decoded.seq, 0, 'a seq of 0 is present, not missing');
    assert.equal(decoded.timestamp, 1767225600000);
    decoded.metrics.forEach((metric, index) => {
      const [type, value] = cases[index]!;
      assert.equal(metric.value, value, `${type} ${value}`);
      assert.equal(metric.alias, index + 1);
      assert.equal(metric.name, `m${index}`);
    });
  });

  it('reads Int8/Int16 written in their own width by other encoders', async () => {
    const { default: proto } = await import('sparkplug-payload/lib/sparkplugPayloadProto.js');
    const Payload = proto.org.eclipse.tahu.protobuf.Payload;
    const bytes = Payload.encode(Payload.create({ metrics: [{ name: 'a', datatype: 1, intValue: 0xff }, { name: 'b', datatype: 2, intValue: 0xfffe }] })).finish();
    assert.deepEqual(decodeSparkplug(bytes).metrics.map((metric) => metric.value), [-1, -2]);
  });

  it('leaves seq absent when the payload has none (NDEATH) and keeps unsigned 64-bit values beyond 2^53 as text', () => {
    const death = decodeSparkplug(encodeSparkplug({ metrics: [{ name: 'bdSeq', type: 'UInt64', value: 3 }] }));
    assert.equal(death.seq, undefined);
    assert.equal(death.metrics[0]?.value, 3);
  });

  it('throws on bytes that are not a Sparkplug payload', () => {
    assert.throws(() => decodeSparkplug(new TextEncoder().encode('{"value": 1}')), /index out of range/);
    assert.throws(() => decodeSparkplug(new Uint8Array([0x12, 0x05, 0x01])));
  });
});
