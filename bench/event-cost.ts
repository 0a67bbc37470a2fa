/**
 * What one engine event costs on the bus (main/core/events/event-bus.ts): stamping it, keeping
 * it in the bounded ring, and handing it to listeners — with none, with one, and with the
 * desktop's batching subscriber — for the most frequent shape, a `frame.in`.
 */
import type { EventInput } from '../shared/events';
import { EventBus } from '../main/core/events/event-bus';
import { now } from './stats';

const sample = (i: number): EventInput => ({
  conn: 'in-1',
  dir: 'in',
  layer: 'app',
  kind: 'frame.in',
  summary: `Received "msg" (${200 + (i % 7)} bytes of JSON, carried inside encrypted TLS records).`,
  detail: { type: 'msg', size: 200 + (i % 7), id: `m-${i}` },
});

function perEventNs(setup: (bus: EventBus) => () => void, n: number): number {
  const bus = new EventBus();
  const stop = setup(bus);
  for (let i = 0; i < 20_000; i++) bus.emit(sample(i)); // warm-up, and the ring full
  const t0 = now();
  for (let i = 0; i < n; i++) bus.emit(sample(i));
  const ns = ((now() - t0) * 1e6) / n;
  stop();
  return ns;
}

export function eventCost(n = 200_000): { none: number; one: number; batched: number } {
  let seen = 0;
  return {
    none: perEventNs(() => () => undefined, n),
    one: perEventNs((bus) => bus.subscribe(() => void seen++), n),
    batched: perEventNs((bus) => bus.subscribeBatches((batch) => void (seen += batch.length)), n),
  };
}
