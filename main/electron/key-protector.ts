/**
 * The OS keystore for the engine's history key, from Electron's safeStorage (Keychain on macOS,
 * DPAPI on Windows, libsecret or KWallet on Linux). The engine takes it as a small interface so
 * it never imports electron. safeStorage encrypts strings, so the key's bytes travel as base64.
 */
import type { SafeStorage } from 'electron';

import type { KeyProtector } from '../core/store/database-key';

type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'getSelectedStorageBackend' | 'encryptString' | 'decryptString'>;

/** Names the engine shows on the at-rest card; on Linux, Electron's own backend name. */
const PLATFORM_BACKENDS: Record<string, string> = { darwin: 'macOS Keychain', win32: 'Windows DPAPI' };

/**
 * Electron 45 deprecates the synchronous calls in favour of async ones, but the engine's
 * interface is synchronous and the key is read once at startup; they still work.
 */
export function safeStorageProtector(safeStorage: SafeStorageLike, platform: string = process.platform): KeyProtector {
  return {
    isAvailable: () => safeStorage.isEncryptionAvailable(),
    backend: () => (platform === 'linux' ? safeStorage.getSelectedStorageBackend() : (PLATFORM_BACKENDS[platform] ?? platform)),
    encrypt: (data) => safeStorage.encryptString(data.toString('base64')),
    decrypt: (data) => Buffer.from(safeStorage.decryptString(data), 'base64'),
  };
}
