/**
 * Headless Chromium (Debian's `/usr/bin/chromium`) driven by playwright-core, with a fresh profile per
 * launch and no background traffic. Callers hold the shared heavy-work lock (`flock`) around the suite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ChromiumSession {
  readonly context: BrowserContext;
  readonly close: () => Promise<void>;
}

/** Launches Chromium with a new user-data directory (removed on close). */
export async function openChromium(): Promise<ChromiumSession> {
  const profile = mkdtempSync(join(tmpdir(), 'crs-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
