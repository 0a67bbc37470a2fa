/** Opening a profile's store: the database, its key, and the stores built on them. */
import type { AtRestView } from '../../../shared/views';
import { authenticateLegacyTrust, ContactStore, sealLegacyNames } from './contacts';
import { type Db, hasSealedData, openDatabase } from './database';
import { type KeyProtector, loadDatabaseKey } from './database-key';
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
    const { key, protection } = loadDatabaseKey(profileDir, options.protector ?? null, hasSealedData(db));
    const sealer = new RowSealer(key);
    const mac = new TrustMac(key);
    sealLegacyNames(db, sealer);
    authenticateLegacyTrust(db, mac);
    return { db, contacts: new ContactStore(db, sealer, mac), messages: new MessageStore(db, sealer, mac), protection };
  } catch (err) {
    db.close();
    throw err;
  }
}
