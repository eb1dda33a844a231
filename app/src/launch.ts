/** `/app/launch`: starts the SMART authorization and leaves for the EHR's authorize endpoint. */
import FHIR from 'fhirclient';
import { fetchSettings } from './settings.js';
import { authorizeRequest } from './smart-launch.js';
import { showStatus } from './view/status.js';

async function launch(): Promise<void> {
  const settings = await fetchSettings();
  const request = authorizeRequest(window.location.search, settings.clientId, new URL('./', document.baseURI).href);
  if (request === undefined) {
    showStatus('Open the CRS timeline from the EHR, or add ?iss=<FHIR server base URL> for a standalone launch.', 'error');
    return;
  }
  showStatus('Connecting to the EHR…');
  await FHIR.oauth2.authorize({ ...request, pkceMode: 'ifSupported' });
}

launch().catch(() => showStatus('The launch failed: the FHIR server could not be reached or is not allowed for this app.', 'error'));
