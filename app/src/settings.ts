/** The site's effective configuration the app grades with, from the service (`/app/config.json`). */
import type { AppSettings } from '../../src/app-host/app-routes.js';

export type { AppSettings };

/** Fetches the settings from the page's own origin (`/app/config.json`). */
export async function fetchSettings(): Promise<AppSettings> {
  const response = await fetch(new URL('config.json', document.baseURI), { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`the service answered ${response.status} for the app's configuration`);
  return (await response.json()) as AppSettings;
}
