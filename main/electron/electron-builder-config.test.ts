/**
 * electron-builder.yml against electron-builder's own JSON schema, and the settings this app
 * relies on: fuses, unpacked native modules, no in-place rebuild of better-sqlite3, real icons.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
// js-yaml comes with electron-builder, which reads this file with it too.
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

const schema = JSON.parse(readFileSync(join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(schema);

describe('electron-builder.yml', () => {
  it("validates against electron-builder's schema", () => {
    const valid = validate(config);
    expect(validate.errors ?? [], 'schema errors').toEqual([]);
    expect(valid).toBe(true);
  });

  it('would be caught with a misspelt fuse or option (the schema check is live)', () => {
    expect(validate({ ...config, electronFuses: { runAsNod: false } })).toBe(false);
    expect(validate({ ...config, asarUnpak: ['**/*.node'] })).toBe(false);
  });

  it('names the app and puts output and resources where README.md ("Packages", "How it is built") says', () => {
    expect(config).toMatchObject({
      appId: 'app.lockstep.desktop',
      productName: 'Lockstep',
      directories: { output: 'release', buildResources: 'build' },
      protocols: [{ schemes: ['lockstep'] }],
    });
  });

  it('sets every fuse that closes a door', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs the built app only, unpacks native modules and never rebuilds node_modules in place', () => {
    expect(config.files).toEqual(expect.arrayContaining(['package.json', 'out/main/**', 'out/preload/**', 'out/renderer/**', 'out/native/electron/better_sqlite3.node']));
    expect(config.asarUnpack).toEqual(['**/*.node']);
    expect(config).toMatchObject({ asar: true, npmRebuild: false, nodeGypRebuild: false });
  });

  it('targets AppImage and deb, NSIS and DMG', () => {
    expect(config).toMatchObject({ linux: { target: ['AppImage', 'deb'] }, win: { target: 'nsis' }, mac: { target: 'dmg' } });
  });

  it.each([['icon.png', 1024], ['icons/512x512.png', 512], ['icons/256x256.png', 256], ['icons/16x16.png', 16]])('ships build/%s as a real %i px PNG', (file, size) => {
    const png = readFileSync(join(root, 'build', file));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.toString('ascii', 12, 16)).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
  });
});
