/**
 * The desktop services of the stand-in, as on a headless Linux box without a keyring: a light
 * theme, one 1920×1080 screen, a clipboard, a "browser" that only records what it was asked to
 * open, error boxes and notifications that are reported rather than drawn, and safeStorage with
 * Electron's `basic_text` backend (no OS keystore: encryption unavailable).
 */
import { EventEmitter } from 'node:events';

import { report } from './control';

export const nativeTheme = { shouldUseDarkColors: false, themeSource: 'system' as 'system' | 'light' | 'dark' };

export type NativeTheme = typeof nativeTheme;

export interface Display {
  id: number;
  bounds: { x: number; y: number; width: number; height: number };
  workArea: { x: number; y: number; width: number; height: number };
  size: { width: number; height: number };
  scaleFactor: number;
}

const WORK_AREA = { x: 0, y: 0, width: 1920, height: 1080 };
export const screen = {
  getPrimaryDisplay: (): Display => ({ id: 1, bounds: { ...WORK_AREA }, workArea: { ...WORK_AREA }, size: { width: WORK_AREA.width, height: WORK_AREA.height }, scaleFactor: 1 }),
};

let clipboardText = '';
/** Electron's clipboard calls are synchronous. */
export const clipboard = {
  writeText(text: string): void {
    clipboardText = text;
    report({ kind: 'clipboard', text });
  },
  readText(): string {
    return clipboardText;
  },
};

export type Clipboard = typeof clipboard;

export const shell = {
  /** Resolves once the OS has the URL; nothing is opened here. */
  async openExternal(url: string, _options?: { activate?: boolean }): Promise<void> {
    report({ kind: 'open-external', url });
  },
};

export type Shell = typeof shell;

export const dialog = {
  showErrorBox(title: string, content: string): void {
    report({ kind: 'error-box', title, message: content });
  },
};

export type Dialog = typeof dialog;
export type Screen = typeof screen;

export const safeStorage = {
  isEncryptionAvailable: () => false,
  getSelectedStorageBackend: () => 'basic_text' as const,
  encryptString(_plainText: string): Buffer {
    throw new Error('Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.');
  },
  decryptString(_encrypted: Buffer): string {
    throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString. Decryption is not available.');
  },
};

export type SafeStorage = typeof safeStorage;

export class Notification extends EventEmitter {
  static isSupported(): boolean {
    return true;
  }
  constructor(private readonly options: { title?: string; body?: string } = {}) {
    super();
  }
  show(): void {
    report({ kind: 'notification', title: this.options.title ?? '', body: this.options.body ?? '' });
    this.emit('show');
  }
  close(): void {
    this.emit('close');
  }
}
