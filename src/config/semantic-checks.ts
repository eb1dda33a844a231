/**
 * Checks a JSON Schema cannot express, run on the merged (defaults + site) values: plausibility bounds
 * in order (E6), FiO2 tiers in order (O1), URL patterns, exactly one key source per issuer, and treatment
 * concepts that exist (T-S equivalents, T-P products, regimens).
 * Defensive: values of the wrong type are skipped (the schema reports them).
 */
import type { ConfigProblem } from './config-error.js';
import { DEFAULT_CONFIG } from './defaults.js';
import type { CodeLists } from './types.js';
import { isRecord } from '../is-record.js';
import { isLoopbackHost } from './loopback.js';
import { parseDatabaseUrl } from '../storage/database-url.js';

function at(value: unknown, ...keys: string[]): unknown {
  let node = value;
  for (const key of keys) {
    node = isRecord(node) ? node[key] : undefined;
  }
  return node;
}

const SERVER_PATTERN = /^(https?):\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::(\*|[0-9]{1,5}))?(\/[^?#\s]*)?$/;
const ORIGIN_PATTERN = /^(https?):\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::[0-9]{1,5})?$/;

/** A URL pattern of `fhir.allowedServers`: scheme, host, optional `:port` or `:*`, optional path. */
function isServerPattern(text: string): boolean {
  const match = SERVER_PATTERN.exec(text);
  if (match === null) {
    return false;
  }
  const port = match[3];
  if (port !== undefined && port !== '*' && Number(port) > 65535) {
    return false;
  }
  return URL.canParse(text.replace(':*', ''));
}

function httpUrl(text: string): URL | undefined {
  if (!URL.canParse(text)) {
    return undefined;
  }
  const url = new URL(text);
  return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
}

function checkRanges(config: unknown, problems: ConfigProblem[]): void {
  const plausible = at(config, 'grading', 'plausible');
  if (!isRecord(plausible)) {
    return;
  }
  for (const [key, range] of Object.entries(plausible)) {
    const min = at(range, 'min');
    const max = at(range, 'max');
    if (typeof min === 'number' && typeof max === 'number' && !(min < max)) {
      problems.push({ path: `grading.plausible.${key}`, message: `min (${min}) must be below max (${max})` });
    }
  }
}

/** Node refuses a headers timeout longer than the request timeout it is part of. */
function checkHttpTimeouts(config: unknown, problems: ConfigProblem[]): void {
  const headers = at(config, 'http', 'headersTimeoutMs');
  const request = at(config, 'http', 'requestTimeoutMs');
  if (typeof headers === 'number' && typeof request === 'number' && headers > request) {
    problems.push({ path: 'http.headersTimeoutMs', message: `(${headers}) must be at most http.requestTimeoutMs (${request})` });
  }
}

function checkFhir(config: unknown, problems: ConfigProblem[]): void {
  const servers = at(config, 'fhir', 'allowedServers');
  if (Array.isArray(servers)) {
    servers.forEach((entry, i) => {
      if (typeof entry === 'string' && entry !== '' && !isServerPattern(entry)) {
        problems.push({
          path: `fhir.allowedServers[${i}]`,
          message: 'must be a URL pattern like "https://fhir.example.org/r4" or "http://localhost:*" (http or https, a host, an optional :port or :*, an optional path; no query)',
        });
      }
    });
  }
  const origins = at(config, 'http', 'corsOrigins');
  if (Array.isArray(origins)) {
    origins.forEach((entry, i) => {
      if (typeof entry === 'string' && entry !== '' && entry !== '*' && !ORIGIN_PATTERN.test(entry)) {
        problems.push({ path: `http.corsOrigins[${i}]`, message: 'must be "*" or an origin like "https://ehr.example.org" (no path)' });
      }
    });
  }
}

function checkAuth(config: unknown, problems: ConfigProblem[]): void {
  const audience = at(config, 'auth', 'audience');
  if (typeof audience === 'string' && audience !== '' && httpUrl(audience) === undefined) {
    problems.push({ path: 'auth.audience', message: 'must be an absolute http(s) URL, the public base URL of this service' });
  }
  const issuers = at(config, 'auth', 'trustedIssuers');
  if (!Array.isArray(issuers)) {
    return;
  }
  // Tokens are checked against aud (src/auth): issuers without an audience would stop start-up.
  if (issuers.length > 0 && audience === undefined) {
    problems.push({ path: 'auth.audience', message: 'is required when auth.trustedIssuers is set (the public base URL tokens are issued for)' });
  }
  issuers.forEach((issuer, i) => {
    if (!isRecord(issuer)) {
      return;
    }
    const path = `auth.trustedIssuers[${i}]`;
    const iss = issuer['iss'];
    if (typeof iss === 'string' && iss !== '' && httpUrl(iss) === undefined) {
      problems.push({ path: `${path}.iss`, message: 'must be an absolute http(s) URL' });
    }
    const hasUrl = issuer['jwksUrl'] !== undefined;
    const hasSet = issuer['jwks'] !== undefined;
    if (hasUrl === hasSet) {
      problems.push({ path, message: 'needs exactly one of jwksUrl or jwks' });
    }
    checkKeySetUrl(issuer['jwksUrl'], `${path}.jwksUrl`, problems);
    const jku = issuer['jkuAllowlist'];
    if (Array.isArray(jku)) {
      jku.forEach((entry, j) => checkKeySetUrl(entry, `${path}.jkuAllowlist[${j}]`, problems));
    }
  });
}

/** Keys fetched over plain http could be swapped in transit: only loopback (tests) may use http. */
function checkKeySetUrl(value: unknown, path: string, problems: ConfigProblem[]): void {
  if (typeof value !== 'string' || value === '') {
    return;
  }
  const url = httpUrl(value);
  if (url === undefined || (url.protocol === 'http:' && !isLoopbackHost(url.hostname))) {
    problems.push({ path, message: 'must be an https URL (http only on loopback: localhost, 127.0.0.0/8, [::1])' });
  }
}

/** The URL itself is never echoed: it may carry a password. */
function checkStorage(config: unknown, problems: ConfigProblem[]): void {
  const url = at(config, 'storage', 'url');
  if (typeof url === 'string' && url !== '' && parseDatabaseUrl(url) === undefined) {
    problems.push({ path: 'storage.url', message: 'must be a postgres:// or postgresql:// URL with a host' });
  }
}

function checkApp(config: unknown, problems: ConfigProblem[]): void {
  const launchUrl = at(config, 'app', 'launchUrl');
  if (typeof launchUrl === 'string' && launchUrl !== '' && httpUrl(launchUrl) === undefined) {
    problems.push({ path: 'app.launchUrl', message: 'must be an absolute http(s) URL, e.g. https://cds.example.org/app/launch (CDS Hooks links are absolute)' });
  }
  for (const key of ['authorizationServers', 'frameAncestors']) {
    const origins = at(config, 'app', key);
    if (!Array.isArray(origins)) continue;
    origins.forEach((entry, i) => {
      if (typeof entry === 'string' && entry !== '' && !ORIGIN_PATTERN.test(entry)) {
        problems.push({ path: `app.${key}[${i}]`, message: 'must be an origin like "https://ehr.example.org" (no path, no wildcard)' });
      }
    });
  }
}

function checkTreatmentConcepts(config: unknown, codeLists: CodeLists, problems: ConfigProblem[]): void {
  const toci = at(config, 'treatment', 'tocilizumab', 'concept');
  if (typeof toci === 'string' && codeLists.antiCytokines[toci] === undefined) {
    problems.push({ path: 'treatment.tocilizumab.concept', message: `"${toci}" is not a concept of codeLists.antiCytokines` });
  }
  const steroids = at(config, 'treatment', 'steroids');
  const equivalents = at(config, 'treatment', 'steroidEquivalentMg');
  for (const [key, regimen] of Object.entries(isRecord(steroids) ? steroids : {})) {
    const concept = at(regimen, 'concept');
    if (typeof concept === 'string' && !Object.hasOwn(codeLists.corticosteroids, concept)) {
      problems.push({ path: `treatment.steroids.${key}.concept`, message: `"${concept}" is not a concept of codeLists.corticosteroids` });
    } else if (typeof concept === 'string' && isRecord(equivalents) && !Object.hasOwn(equivalents, concept)) {
      // T-S compares exposure with the regimen in dexamethasone equivalents.
      problems.push({ path: `treatment.steroids.${key}.concept`, message: `"${concept}" needs treatment.steroidEquivalentMg.${concept} (T-S)` });
    }
  }
  // A site-added equivalent must name a corticosteroid (a default one for a removed concept is unused).
  for (const key of Object.keys(isRecord(equivalents) ? equivalents : {})) {
    if (!Object.hasOwn(DEFAULT_CONFIG.treatment.steroidEquivalentMg, key) && !Object.hasOwn(codeLists.corticosteroids, key)) {
      problems.push({ path: `treatment.steroidEquivalentMg.${key}`, message: `"${key}" is not a concept of codeLists.corticosteroids` });
    }
  }
  // T-P names therapies; a typo would silently switch the option off for that product.
  const products = at(config, 'treatment', 'earlySteroidProducts');
  const therapies = { ...codeLists.crsTherapies.carT, ...codeLists.crsTherapies.tCellEngagers };
  (Array.isArray(products) ? products : []).forEach((product, i) => {
    if (typeof product === 'string' && product !== '' && !Object.hasOwn(therapies, product)) {
      problems.push({ path: `treatment.earlySteroidProducts[${i}]`, message: `"${product}" is not a concept of codeLists.crsTherapies` });
    }
  });
}

function checkOxygenTiers(config: unknown, problems: ConfigProblem[]): void {
  const low = at(config, 'grading', 'fio2LowFlowAbovePercent');
  const high = at(config, 'grading', 'fio2HighFlowFromPercent');
  if (typeof low === 'number' && typeof high === 'number' && !(low < high)) {
    problems.push({ path: 'grading.fio2HighFlowFromPercent', message: `must be above fio2LowFlowAbovePercent (${low})` });
  }
}

/**
 * Problems of the merged configuration that the schema cannot see.
 * @param merged - defaults merged with the site's sections (code lists excluded)
 * @param codeLists - the merged code lists, to check the concepts `treatment` refers to
 */
export function semanticProblems(merged: unknown, codeLists: CodeLists): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  checkRanges(merged, problems);
  checkHttpTimeouts(merged, problems);
  checkFhir(merged, problems);
  checkAuth(merged, problems);
  checkStorage(merged, problems);
  checkApp(merged, problems);
  checkTreatmentConcepts(merged, codeLists, problems);
  checkOxygenTiers(merged, problems);
  return problems;
}
