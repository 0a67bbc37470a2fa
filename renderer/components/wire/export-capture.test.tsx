import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { DrillFakeApi } from './drill-fake';
import { ExportCapture } from './export-capture';
import { renderWith } from './render-wire';

function captureDownloads() {
  const files: { name: string; blob: Blob }[] = [];
  const blobs = new Map<string, Blob>();
  URL.createObjectURL = (blob: Blob) => {
    const url = `blob:${blobs.size}`;
    blobs.set(url, blob);
    return url;
  };
  URL.revokeObjectURL = () => {};
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    files.push({ name: this.download, blob: blobs.get(this.getAttribute('href')!)! });
  });
  return files;
}

afterEach(() => vi.restoreAllMocks());

describe('export for Wireshark', () => {
  it('downloads the capture without keys in one click', async () => {
    const files = captureDownloads();
    const api = new DrillFakeApi();
    const { user } = await renderWith(api, <ExportCapture conn="c1" />);
    await user.click(screen.getByRole('button', { name: 'Export capture (.pcap)' }));
    expect(api.callsTo('exportCapture')).toEqual([{ conn: 'c1', withKeys: false }]);
    expect(files.map((f) => f.name)).toEqual(['lockstep-c1.pcap']);
    expect(new Uint8Array(await files[0]!.blob.arrayBuffer()).slice(0, 4)).toEqual(new Uint8Array([0xd4, 0xc3, 0xb2, 0xa1]));
  });

  it('asks first, with the warning, before exporting the keys too', async () => {
    const files = captureDownloads();
    const api = new DrillFakeApi();
    const { user } = await renderWith(api, <ExportCapture conn="c1" />);
    await user.click(screen.getByRole('button', { name: 'Export with keys…' }));
    expect(screen.getByRole('alertdialog', { name: 'Export with keys' })).toHaveTextContent(/anyone with this keys file can read this conversation/i);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(api.callsTo('exportCapture')).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Export with keys…' }));
    await user.click(screen.getByRole('button', { name: 'Export capture and keys' }));
    expect(api.callsTo('exportCapture')).toEqual([{ conn: 'c1', withKeys: true }]);
    expect(files.map((f) => f.name)).toEqual(['lockstep-c1.pcap', 'lockstep-c1.keys']);
    expect(await files[1]!.blob.text()).toMatch(/^CLIENT_TRAFFIC_SECRET_0 /);
  });

  it('says why there are no keys for a connection whose peer was never trusted, and saves the pcap alone', async () => {
    const files = captureDownloads();
    const api = new DrillFakeApi();
    api.capture = { ...api.capture, keys: null, keysWithheld: 'peer-refused' };
    const { user } = await renderWith(api, <ExportCapture conn="c1" />);
    await user.click(screen.getByRole('button', { name: 'Export with keys…' }));
    await user.click(screen.getByRole('button', { name: 'Export capture and keys' }));
    expect(files.map((f) => f.name)).toEqual(['lockstep-c1.pcap']);
    expect(screen.getByRole('status')).toHaveTextContent('Saved lockstep-c1.pcap only: no keys for a connection whose peer was refused');
  });
});
