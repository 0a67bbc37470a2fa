/**
 * `lockstep drill downgrade HOST:PORT`: the downgrade drill from a terminal. Prints the drill's
 * own events (its ClientHello, the listener's alert) and a `verdict` record; exits 0 when the
 * listener refused (the expected, safe outcome), 1 when it did not or could not be reached.
 */
import { downgradeDrill } from '../core/drills/downgrade';
import { EventBus } from '../core/events/event-bus';
import { parseAddress } from '../core/net/address';
import type { CliArgs } from './args';
import { printRecord } from './eve';
import type { Output } from './output';

export async function runDrill(args: CliArgs, out: Output): Promise<number> {
  const { host, port } = parseAddress(args.target!);
  const bus = new EventBus();
  bus.subscribe((e) => {
    out.event(e);
    if (e.kind === 'tls.hello' || e.kind === 'tls.error' || e.kind === 'tcp.error') out.say(e.summary);
  });
  const result = await downgradeDrill({ host, port, emit: (e) => bus.emit(e) });
  printRecord(out, args.json, { type: 'verdict', drill: result.drill, outcome: result.outcome, reason: result.reason }, `VERDICT (downgrade, ${result.outcome}): ${result.reason}`);
  return result.outcome === 'defeated' ? 0 : 1;
}
