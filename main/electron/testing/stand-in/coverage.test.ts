/**
 * The stand-in keeps up with the shell: every part of Electron the shell uses (read from the
 * shell's source, electron-api-usage.ts) must exist in the stand-in — as a named export of its
 * `electron` module, as a member of the stand-in's class or type of the same name, or, for an
 * event the shell listens for, as an event the stand-in emits. A few events cannot happen here;
 * each is listed with the reason, so the gap is visible and nothing else slips through.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import ts from 'typescript';
import { describe, expect, it } from 'vitest';

import { electronUses, shellFiles, type ElectronUse } from '../electron-api-usage';

const shellDir = join(import.meta.dirname, '..', '..');
const standInDir = import.meta.dirname;
const standInFiles = readdirSync(standInDir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => join(standInDir, f));

/** Events the shell listens for that the stand-in never emits, and why. */
const NOT_EMITTED: Record<string, string> = {
  'App.on:open-url': 'macOS only: Electron emits it for clicked links on macOS; Linux passes them in argv',
  'WebContents.on:will-attach-webview': 'Chromium has no <webview>; only Electron (with webviewTag on) could raise it',
  'WebContents.on:will-redirect': 'not modelled: Chromium follows a redirect without asking the stand-in (navigation-guard.test.ts covers the handler)',
  'Notification.on:click': 'no notification is drawn, so none is clicked',
};

function standInProgram() {
  const program = ts.createProgram(standInFiles, { strict: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022, skipLibCheck: true, types: ['node'] });
  const checker = program.getTypeChecker();
  const exports = new Map<string, { file: string; symbol: ts.Symbol }[]>();
  for (const file of standInFiles) {
    const source = program.getSourceFile(file);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) continue;
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      exports.set(exported.name, [...(exports.get(exported.name) ?? []), { file, symbol }]);
    }
  }
  return { checker, exports };
}

const { checker, exports } = standInProgram();
const standInSource = standInFiles.map((f) => readFileSync(f, 'utf8')).join('\n');

/** The types a stand-in name stands for: a class's instances and its static side, an interface, a value. */
function typesOf(name: string): ts.Type[] {
  const found = [...(exports.get(name) ?? []), ...(exports.get(name[0]!.toLowerCase() + name.slice(1)) ?? [])];
  return found.flatMap(({ symbol }) => {
    const types: ts.Type[] = [];
    if (symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) types.push(checker.getDeclaredTypeOfSymbol(symbol));
    if (symbol.flags & ts.SymbolFlags.Value && symbol.valueDeclaration) types.push(checker.getTypeOfSymbolAtLocation(symbol, symbol.valueDeclaration));
    return types;
  });
}

function hasMember(owner: string, member: string): boolean {
  return typesOf(owner).some((type) => checker.getPropertyOfType(type, member) !== undefined);
}

/** Why the stand-in does not cover a use, or null when it does. */
function missing(use: ElectronUse): string | null {
  const [owner, rest] = [use.name.slice(0, use.name.indexOf('.')), use.name.slice(use.name.indexOf('.') + 1)];
  if (owner === 'electron') {
    // The preload's `electron` is the renderer side's (renderer-side.ts); main's is electron.ts.
    if (use.at.includes('preload.ts')) return hasMember('RendererElectron', rest) ? null : `the renderer side gives the preload no ${rest}`;
    const inMain = (exports.get(rest) ?? []).some((e) => e.file.endsWith('electron.ts'));
    return inMain ? null : `the stand-in's electron module exports no ${rest}`;
  }
  if (rest.startsWith('on:')) {
    const event = rest.slice(3);
    if (NOT_EMITTED[use.name]) return null;
    return standInSource.includes(`emit('${event}'`) ? null : `the stand-in never emits ${owner} "${event}"`;
  }
  return hasMember(owner, rest) ? null : `the stand-in's ${owner} has no ${rest}`;
}

describe('the Electron stand-in', () => {
  const uses = electronUses(shellFiles(shellDir));

  it('finds the Electron the shell uses (the scan itself works)', () => {
    const names = uses.map((u) => u.name);
    // A few uses that main.ts and its modules certainly make: if these vanish, the scan is broken.
    expect(names).toEqual(expect.arrayContaining(['electron.app', 'electron.BrowserWindow', 'App.whenReady', 'BrowserWindow.loadURL', 'Protocol.handle', 'WebRequest.onHeadersReceived', 'IpcRenderer.invoke', 'App.on:window-all-closed']));
  });

  it('has every one of them', () => {
    const gaps = uses.flatMap((use) => {
      const why = missing(use);
      return why ? [`${use.name} (used at ${use.at.slice(shellDir.length + 1)}): ${why}`] : [];
    });
    expect(gaps).toEqual([]);
  });

  it('lists as not emitted only events the shell really listens for', () => {
    const names = new Set(uses.map((u) => u.name));
    expect(Object.keys(NOT_EMITTED).filter((name) => !names.has(name))).toEqual([]);
  });

  it('fails for an API the stand-in lacks', () => {
    expect(missing({ name: 'BrowserWindow.setFullScreen', at: 'main.ts:1' })).toMatch(/has no setFullScreen/);
    expect(missing({ name: 'electron.powerMonitor', at: 'main.ts:1' })).toMatch(/exports no powerMonitor/);
    expect(missing({ name: 'App.on:activate', at: 'main.ts:1' })).toMatch(/never emits App "activate"/);
  });
});
