/**
 * Static scan of the shell, the renderer and the built output with electronegativity: no HIGH
 * finding. The tool phones home (Electron's release list, translations), so it runs with the
 * network cut (`unshare -n`); where that is not permitted the scan is skipped, saying why. It
 * exits 0 even with findings, so its CSV report is what counts.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { mainWindowOptions } from './window-options';

const root = join(import.meta.dirname, '..', '..');
const scanner = join(root, 'node_modules/@doyensec/electronegativity/dist/index.js');
const offlineShim = join(import.meta.dirname, 'testing', 'electronegativity-offline.cjs');

interface Finding {
  issue: string;
  severity: string;
  confidence: string;
  file: string;
  location: string;
  sample: string;
}

function whyNot(): string | null {
  if (!existsSync(scanner)) return '@doyensec/electronegativity is not installed';
  const probe = spawnSync('unshare', ['-n', 'true']);
  if (probe.error || probe.status !== 0) return '`unshare -n` is not permitted here, and the scanner must not reach the network';
  return null;
}

const skipReason = whyNot();
if (skipReason) console.log(`electronegativity scan skipped: ${skipReason}`);

/**
 * The sources and build output, without tests (they hold deliberately bad inputs) and without
 * main/electron/testing/ (the stand-in for Electron, which opens windows as a test asks; never shipped).
 */
function stage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lockstep-scan-'));
  const notTest = (path: string) => !/\.test\.tsx?$/.test(path) && basename(path) !== 'test' && basename(path) !== 'testing' && !path.endsWith('test-setup.ts');
  cpSync(join(root, 'main/electron'), join(dir, 'main-electron'), { recursive: true, filter: notTest });
  if (existsSync(join(root, 'renderer'))) cpSync(join(root, 'renderer'), join(dir, 'renderer'), { recursive: true, filter: notTest });
  for (const part of ['main', 'preload', 'renderer']) {
    const built = join(root, 'out', part);
    if (existsSync(built)) cpSync(built, join(dir, 'out', part), { recursive: true, filter: (path) => !path.endsWith('.map') });
    else console.log(`electronegativity: out/${part} is not built, scanning the sources only for it`);
  }
  return dir;
}

/** RFC 4180 fields: quoted fields may hold commas, newlines and doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field.trim());
    field = '';
  };
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i += 1;
    } else if (c === '"') quoted = !quoted;
    else if (quoted || (c !== ',' && c !== '\n' && c !== '\r')) field += c;
    else if (c === ',') endField();
    else if (c === '\n') {
      endField();
      rows.push(row);
      row = [];
    }
  }
  if (field || row.length > 0) rows.push([...row, field.trim()]);
  return rows;
}

function scan(dir: string): Finding[] {
  const report = join(dir, 'report.csv');
  const run = spawnSync('unshare', ['-n', process.execPath, '--require', offlineShim, scanner, '-i', dir, '-o', report, '-r', '-v', 'false', '-e', electronVersion()], {
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (!existsSync(report)) throw new Error(`electronegativity wrote no report (exit ${run.status}):\n${run.stderr}`);
  const [, ...rows] = parseCsv(readFileSync(report, 'utf8')).filter((row) => row.length >= 6);
  return rows.map(([issue, severity, confidence, file, location, sample]) => ({
    issue: issue ?? '', severity: severity ?? '', confidence: confidence ?? '', file: file ?? '', location: location ?? '', sample: sample ?? '',
  }));
}

function electronVersion(): string {
  return (JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
}

let staged = '';
afterAll(() => {
  if (staged) rmSync(staged, { recursive: true, force: true });
});

describe.skipIf(skipReason !== null)('electronegativity', () => {
  it('finds nothing HIGH in the shell, the renderer or the build', () => {
    staged = stage();
    const findings = scan(staged);
    const counts = new Map<string, number>();
    for (const finding of findings) counts.set(finding.severity, (counts.get(finding.severity) ?? 0) + 1);
    console.log(`electronegativity: ${[...counts].map(([level, n]) => `${n} ${level}`).join(', ') || 'no findings'}`);
    for (const finding of findings) console.log(`  ${finding.severity.padEnd(13)} ${finding.issue} ${finding.file}:${finding.location}`);
    const high = findings.filter((finding) => finding.severity === 'HIGH');
    expect(high).toEqual([]);
  }, 300_000);

  it('sees the same switches in the builder that the call spells out', () => {
    expect(mainWindowOptions('/p.cjs').webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
  });
});
