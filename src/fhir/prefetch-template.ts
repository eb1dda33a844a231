/**
 * Fills a CDS Hooks 2.0 prefetch template from the hook context. Only the 2.0 tokens are known:
 * `{{context.<field>}}` for string fields and the user tokens derived from `context.userId`
 * (`{{userPractitionerId}}`, `{{userPractitionerRoleId}}`, `{{userPatientId}}`, `{{userRelatedPersonId}}`).
 * Values are URL-encoded, so an id can never add a query parameter or a path segment.
 */

const USER_TOKENS: Readonly<Record<string, string>> = {
  userPractitionerId: 'Practitioner',
  userPractitionerRoleId: 'PractitionerRole',
  userPatientId: 'Patient',
  userRelatedPersonId: 'RelatedPerson',
};

const TOKEN = /\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g;

/** The value of one token, or `undefined` when the context cannot fill it. */
function tokenValue(token: string, context: Readonly<Record<string, unknown>>): string | undefined {
  if (token.startsWith('context.')) {
    const value = context[token.slice('context.'.length)];
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  }
  const resourceType = USER_TOKENS[token];
  const userId = context.userId;
  if (resourceType === undefined || typeof userId !== 'string') {
    return undefined;
  }
  const [type, id] = userId.split('/');
  return type === resourceType && id !== undefined && id.length > 0 ? id : undefined;
}

/**
 * Replaces every token of `template`.
 * @param template - e.g. `Observation?patient=Patient/{{context.patientId}}&code=...`
 * @param context - the validated hook context
 * @returns the relative FHIR URL, or `undefined` when a token is unknown or cannot be filled (the key is then unobtainable)
 */
export function fillPrefetchTemplate(template: string, context: Readonly<Record<string, unknown>>): string | undefined {
  let missing = false;
  const filled = template.replace(TOKEN, (_whole, token: string) => {
    const value = tokenValue(token, context);
    if (value === undefined) {
      missing = true;
      return '';
    }
    return encodeURIComponent(value);
  });
  // Anything left between braces is a token we do not know (FHIRPath, dates): not fillable.
  return missing || filled.includes('{{') ? undefined : filled;
}
