/**
 * The dashboard page (GET /admin). The page holds no data: it asks for the administrator token, keeps it
 * in memory only (never in storage, a cookie or a URL), and sends it as a bearer header to /analytics.
 */
import type { Analytics } from '../../src/analytics/types.js';
import { renderReport } from './render.js';
import './styles.css';

const DAY_MS = 24 * 60 * 60 * 1000;

function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`#${id} missing`);
  return node as T;
}

const tokenForm = byId<HTMLFormElement>('token-form');
const tokenInput = byId<HTMLInputElement>('token');
const filters = byId<HTMLFormElement>('filters');
const fromInput = byId<HTMLInputElement>('from');
const toInput = byId<HTMLInputElement>('to');
const serviceSelect = byId<HTMLSelectElement>('service');
const status = byId<HTMLParagraphElement>('status');
const report = byId<HTMLElement>('report');

let token: string | undefined;

function say(text: string, error = false): void {
  status.textContent = text;
  status.classList.toggle('error', error);
}

const day = (t: number): string => new Date(t).toISOString().slice(0, 10);
toInput.value = day(Date.now());
fromInput.value = day(Date.now() - 90 * DAY_MS);

/** The first diagnostics of an OperationOutcome body, if any. */
async function diagnostics(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { issue?: { diagnostics?: string }[] };
    return body.issue?.[0]?.diagnostics ?? `HTTP ${res.status}`;
  } catch {
    return `HTTP ${res.status}`;
  }
}

async function load(): Promise<void> {
  if (token === undefined) return;
  const query = new URLSearchParams({ from: fromInput.value, to: toInput.value });
  if (serviceSelect.value !== '') query.set('service', serviceSelect.value);
  say('Loading…');
  const res = await fetch(`/analytics?${query.toString()}`, { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
  if (res.status === 401) {
    token = undefined;
    tokenForm.hidden = false;
    filters.hidden = true;
    report.hidden = true;
    say('The token was refused.', true);
    tokenInput.focus();
    return;
  }
  if (!res.ok) {
    say(await diagnostics(res), true);
    return;
  }
  const analytics = (await res.json()) as Analytics;
  report.hidden = false;
  renderReport(byId('totals'), byId('charts'), analytics);
  say(`${analytics.totals.cards} cards from ${analytics.from.slice(0, 10)} to ${day(Date.parse(analytics.to) - 1)}${analytics.service === undefined ? '' : ` (${analytics.service})`}.`);
}

tokenForm.addEventListener('submit', (event) => {
  event.preventDefault();
  token = tokenInput.value.trim();
  tokenInput.value = '';
  tokenForm.hidden = true;
  filters.hidden = false;
  void load().catch(() => say('Could not reach the server.', true));
});

filters.addEventListener('submit', (event) => {
  event.preventDefault();
  void load().catch(() => say('Could not reach the server.', true));
});

tokenInput.focus();
