/** Opening a profile's store: the database, its key, and the stores built on them. */
import type { AtRestView } from '../../../shared/views';
import { ContactStore, sealLegacyNames } from './contacts';
import { type Db, hasSealedData, openDatabase } from './database';
import { type KeyProtector, loadDatabaseKey } from './database-key';
import { MessageStore } from './messages';
import { RowSealer } from './row-sealer';

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
    sealLegacyNames(db, sealer);
    return { db, contacts: new ContactStore(db, sealer), messages: new MessageStore(db, sealer), protection };
  } catch (err) {
    db.close();
    throw err;
  }
}
