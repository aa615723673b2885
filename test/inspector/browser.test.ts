/**
 * The local inspector in a real browser: `demo --inspect` runs in-process, stays up with a live
 * call, and Debian's chromium (driven by playwright-core, no browser download) opens the page,
 * selects the leg, and follows a hold requested through the simulator.
 * CTI_UPDATE_SCREENSHOT=1 also saves the page to docs/inspector.png.
 */
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { collectingIo, type CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/run-cli.js';
import { programAvailable } from '../support/require-program.js';

const CHROMIUM = '/usr/bin/chromium';
const browserAvailable = programAvailable(CHROMIUM, 'chromium').available;
const screenshotPath = fileURLToPath(new URL('../../docs/inspector.png', import.meta.url));
// No wall-clock bounds here: waits end when the page shows what is awaited (vitest's own limit applies).
const untilShown = { timeout: 0 } as const;

type Live = Parameters<NonNullable<CliIo['onDemoLive']>>[0];

async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // playwright-core gives the browser a fresh profile of its own; the rest keeps it off the network.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

async function rowTexts(page: Page): Promise<string[]> {
  // The tsconfig has no DOM library: the rows are read through the one field used.
  type Row = { dataset: Record<string, string | undefined> };
  return page.$$eval('#timeline-body tr', (rows) =>
    rows.map((row) => `${(row as unknown as Row).dataset.direction ?? 'machine'} ${(row as unknown as Row).dataset.name}`),
  );
}

describe.skipIf(!browserAvailable)('local inspector page in chromium', () => {
  it('shows the demo\'s live leg; a hold moves the highlight to HELD and adds the request and `held` to the timeline', async () => {
    const stop = new AbortController();
    let reportLive!: (live: Live) => void;
    const live = new Promise<Live>((resolve) => {
      reportLive = resolve;
    });
    const io = collectingIo({ signal: stop.signal, onDemoLive: (value) => reportLive(value) });
    const demo = runCli(['demo', '--inspect'], io);
    let browser: Browser | undefined;
    try {
      const { simulator, target, inspectorUrl } = await live;
      expect(inspectorUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(io.err()).toContain(`inspector: ${inspectorUrl}`);
      const legId = target.split('.').pop() as string;

      browser = await launch();
      const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      // Everything the page loads comes from the inspector itself.
      const foreign: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith(inspectorUrl)) foreign.push(request.url());
      });
      await page.goto(inspectorUrl);
      // The day's legs stay listed (ended) next to the live one.
      await page.waitForSelector(`#leg-list li.live[data-leg="${legId}"]`, untilShown);
      expect(await page.locator('#leg-list li.ended').count()).toBeGreaterThan(0);
      // On first load the page watches the live leg without being told to.
      await page.waitForSelector(`#leg-list li.selected[data-leg="${legId}"]`, untilShown);
      await page.click(`#leg-list li[data-leg="${legId}"]`);
      await page.waitForSelector(`#leg-list li.selected[data-leg="${legId}"]`, untilShown);
      expect(await page.textContent('#leg-title')).toContain(target);

      // The statechart is drawn and its active states lit; the call is TALKING.
      await page.waitForSelector('#diagram svg g.active[id="state:lifecycle.ready"]', untilShown);
      await page.waitForSelector('#diagram svg g.active[id="state:operation.idle"]', untilShown);
      await page.waitForSelector('#diagram svg g.active[id="state:call.TALKING"]', untilShown);
      await page.waitForSelector('#call-model .call-state.active[data-state="TALKING"]', untilShown);
      expect(await page.locator('#call-model .call-state.active[data-state="HELD"]').count()).toBe(0);
      expect(await page.textContent('#context-body')).toContain('Robin Live');
      const before = await rowTexts(page);
      expect(before).not.toContain('bridge->client conversation.request.hold');

      const response = await simulator.request(target, 'hold');
      expect(response.header.result).toBe('SUCCESS');

      // The diagram's own HELD state lights up, and TALKING goes dark.
      await page.waitForSelector('#diagram svg g.active[id="state:call.HELD"]', untilShown);
      expect(await page.locator('#diagram svg g.active[id="state:call.TALKING"]').count()).toBe(0);
      await page.waitForSelector('#call-model .call-state.active[data-state="HELD"]', untilShown);
      expect(await page.locator('#call-model .call-state.active').count()).toBe(1);
      await page.waitForSelector('#timeline-body tr[data-direction="client->bridge"][data-name="conversation.held"]', untilShown);
      const after = await rowTexts(page);
      const added = after.slice(before.length);
      expect(added).toContain('bridge->client conversation.request.hold');
      expect(added).toContain('client->phone hold');
      expect(added).toContain('phone->client held');
      expect(added).toContain('client->bridge conversation.held');
      expect(added.indexOf('bridge->client conversation.request.hold')).toBeLessThan(added.indexOf('client->bridge conversation.held'));
      // The phone's `held` report carries the transition it caused.
      const heldRow = page.locator('#timeline-body tr[data-direction="phone->client"][data-name="held"]').last();
      // The edge just taken is lit in the drawing.
      await page.waitForSelector('#diagram svg g.edge.taken', untilShown);
      expect(await heldRow.locator('td.transition').textContent()).toContain('call.TALKING → call.HELD');
      // And the request started an operation: the statechart's operation region moved.
      const requestRow = page.locator('#timeline-body tr[data-direction="bridge->client"][data-name="conversation.request.hold"]').last();
      expect(await requestRow.locator('td.transition').textContent()).toContain('operation.idle → operation.running');

      expect(pageErrors).toEqual([]);
      expect(foreign).toEqual([]);

      if (process.env.CTI_UPDATE_SCREENSHOT === '1') {
        await page.screenshot({ path: screenshotPath, fullPage: false });
      }
    } finally {
      await browser?.close();
      stop.abort();
      await demo;
    }
  });
});
