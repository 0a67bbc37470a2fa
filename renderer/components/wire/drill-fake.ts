/**
 * Test helper: the hand-written FakeApi plus the drill and export calls, each recorded, failures
 * injectable through the same `failures` map.
 */
import type { ArgOf, ChannelName, ResultOf } from '../../../shared/ipc-contract';
import type { Result } from '../../../shared/views';
import { FakeApi } from '../../test/fake-api';

export class DrillFakeApi extends FakeApi {
  downgradeVerdict: ResultOf<'runDowngradeDrill'> = { drill: 'downgrade', outcome: 'defeated', reason: 'Alice refused TLS 1.2: Lockstep speaks TLS 1.3 only, so the older protocol was never an option.' };
  capture: ResultOf<'exportCapture'> = { fileBase: 'lockstep-c1', pcapBase64: btoa('\xd4\xc3\xb2\xa1pcap'), keys: null, keysWithheld: null };

  private reply<K extends ChannelName>(name: K, arg: ArgOf<K>, value: () => ResultOf<K>): Promise<Result<ResultOf<K>>> {
    this.calls.push({ name, arg });
    const failure = this.failures.get(name);
    return Promise.resolve(failure ? { ok: false, error: failure } : { ok: true, value: value() });
  }

  startEveDrill = (arg: ArgOf<'startEveDrill'>) => this.reply('startEveDrill', arg, () => null);
  stopEveDrill = (arg: ArgOf<'stopEveDrill'>) => this.reply('stopEveDrill', arg, () => null);
  compareClassical = (arg: ArgOf<'compareClassical'>) => this.reply('compareClassical', arg, () => null);
  runDowngradeDrill = (arg: ArgOf<'runDowngradeDrill'>) => this.reply('runDowngradeDrill', arg, () => this.downgradeVerdict);
  exportCapture = (arg: ArgOf<'exportCapture'>) =>
    this.reply('exportCapture', arg, () => ({ ...this.capture, keys: arg.withKeys && !this.capture.keysWithheld ? 'CLIENT_TRAFFIC_SECRET_0 1a2b 3c4d\n' : null }));
}
