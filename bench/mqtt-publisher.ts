/**
 * Load generator for the MQTT benchmark, run as its own process so it does not share the measured process's CPU:
 * publishes N QoS 1 messages over 1,000 topics as fast as the broker takes them, then exits. It prints `publishing` when
 * the first message is about to go out.
 * Usage: node --import tsx bench/mqtt-publisher.ts <url> <count>
 */
import mqtt from 'mqtt';

const [url, countText] = process.argv.slice(2);
const count = Number(countText);
const client = await mqtt.connectAsync(url!, { clientId: `bench-publisher-${process.pid}` });
(client.stream as { setNoDelay?: (value: boolean) => void }).setNoDelay?.(true);
const started = Date.UTC(2026, 0, 1);
// The parent times from this line, so process start-up and connecting are outside every measured figure.
process.stdout.write('publishing\n');
const inFlight = new Set<Promise<unknown>>();
for (let index = 0; index < count; index += 1) {
  const sent = client.publishAsync(`bench/s${index % 1000}/v`, JSON.stringify({ value: index, ts: started + index }), { qos: 1 });
  inFlight.add(sent);
  void sent.finally(() => inFlight.delete(sent));
  // Keep a bounded window in flight, like a real gateway; unbounded, the publisher measures its own memory.
  if (inFlight.size >= 1000) await Promise.race(inFlight);
}
await Promise.all(inFlight);
await client.endAsync();
