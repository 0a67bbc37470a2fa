/**
 * 10,000 events in one burst (a bulk transfer's records and frames on one connection) pushed as
 * one batch on the events channel (webContents.send) into the window showing that connection's panel: the page must stay usable — it
 * answers, it draws the newest step, and typing still works. No timing is asserted here; the
 * numbers against the 100 ms target come from event-burst-bench.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';

import { burstFor, sendBurst, stageConnectedChat, type BurstStage } from './harness/burst';
import { closePeer } from './harness/peer';
import { useStage } from './harness/stage';
import { renderedDiagramSteps, screenshot } from './harness/ui';

const BURST = 10_000;

const lab = useStage();
let stage: BurstStage | undefined;

afterAll(async () => {
  if (stage) await closePeer(stage.alice);
});

describe('a burst of 10,000 events', () => {
  it('leaves the page responsive, with the newest step drawn in the panel', async () => {
    stage = await stageConnectedChat(lab.setup);
    const { alice } = stage;
    const page = alice.page;
    const panel = page.getByRole('region', { name: 'Under the hood' });
    const diagram = panel.getByRole('group', { name: 'Sequence diagram' });
    await diagram.waitFor();

    const marker = `newest of ${BURST}: the burst is over`;
    const events = burstFor(stage, BURST, marker);
    expect(events).toHaveLength(BURST);
    expect(new Set(events.map((e) => e.kind))).toEqual(new Set(['tls.record', 'frame.out', 'frame.in']));
    expect(events.every((e) => e.conn === stage!.conn)).toBe(true);

    // One batch on the events channel, as main's forwarder sends one (numbered past the engine's own).
    sendBurst(stage, events);

    // The page answers…
    expect(await page.evaluate(() => 6 * 7)).toBe(42);
    // …draws the newest step (the panel follows new steps)…
    await diagram.getByText(marker).last().waitFor({ timeout: 60_000 });
    // …and still takes typing.
    const composer = page.getByRole('textbox', { name: 'Message' });
    await composer.fill('still typing after the burst');
    expect(await composer.inputValue()).toBe('still typing after the burst');
    await composer.fill('');

    // The diagram ends with the burst's newest step: the message that came in last.
    const tail = (await renderedDiagramSteps(page)).slice(-2);
    const newest = tail.find((s) => s.note.includes(marker));
    expect(newest, `the last steps drawn: ${JSON.stringify(tail)}`).toBeDefined();
    expect(newest?.who).toBe('Bob to Alice:');
    await screenshot(page, '08-after-burst-alice');
    expect(alice.problems.all).toEqual([]);
  }, 300_000);
});
