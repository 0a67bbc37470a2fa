/** Opening a profile's store: the database, its key, and the stores built on them. */
import type { AtRestView } from '../../../shared/views';
import { authenticateLegacyTrust, ContactStore, sealLegacyNames } from './contacts';
import { type Db, hasSealedData, openDatabase } from './database';
import { type KeyProtector, loadDatabaseKey, recordTrustMacsInForce } from './database-key';
import { MessageStore } from './messages';
import { RowSealer } from './row-sealer';
import { TrustMac } from './trust-mac';

export interface Store {
  db: Db;
  contacts: ContactStore;
  messages: MessageStore;
  protection: AtRestView;
}

export function openStore(profileDir: string, options: { nativeBinding?: string; protector?: KeyProtector | null } = {}): Store {
  const db = openDatabase(profileDir, { nativeBinding: options.nativeBinding });
  try {
    const protector = options.protector ?? null;
    const { key, protection, trustMacsInForce } = loadDatabaseKey(profileDir, protector, hasSealedData(db));
    const sealer = new RowSealer(key);
    const mac = new TrustMac(key);
    sealLegacyNames(db, sealer);
    authenticateLegacyTrust(db, mac, { allowed: !trustMacsInForce });
    // From now on the keystore-wrapped key says so, and a database rolled back to look older
    // gets no MACs for free. (A failing keystore leaves the old wrapping: tried again next time.)
    if (protector && protection.mode === 'os-keystore' && !trustMacsInForce) recordTrustMacsInForce(profileDir, protector, key);
    return { db, contacts: new ContactStore(db, sealer, mac), messages: new MessageStore(db, sealer, mac), protection: { ...protection, cipher: sealer.cipher } };
  } catch (err) {
    db.close();
    throw err;
  }
}
