/** The hand-written prose of docs/configuration.md; the tables around it are generated (config-docs.ts). */

export const INTRODUCTION = `crs-cds reads one configuration file, YAML (\`.yaml\`, \`.yml\`) or JSON (\`.json\`), named by the
environment variable \`CRS_CDS_CONFIG\`. Without it the service runs on the built-in defaults, which are
the defaults of the clinical rules (crs-rules.md); rule ids (F1, H2, T-L, ...) below point there.

- **Every key is optional.** Write only what your site changes.
- **Sections merge key by key** with the defaults: \`grading: { sbpBelow: 95 }\` changes one threshold
  and keeps every other.
- **Lists replace their default** (\`fhir.allowedServers\`, \`auth.trustedIssuers\`, \`http.corsOrigins\`,
  \`grading.displayScales\`, \`treatment.earlySteroidProducts\`): write the whole list.
- **Code lists are the exception**: they are changed by *adding* or *removing* entries, never restated
  (see "Code lists" below).
- **Unknown keys are errors**, with a hint for typos (\`grading.feverCelcius: unknown key; did you mean
  "feverCelsius"?\`). Values outside their range are errors too; the ranges are sanity limits against
  typos, not clinical advice.
- \`cards.directory\` is resolved against the directory of the configuration file.

Check a file before deploying it; every problem is listed, each with its key:

\`\`\`
npx crs-cds check-config site-config.yaml
\`\`\`

It exits 0 and prints "configuration OK" followed by the *effective* configuration (defaults merged with
your file: exactly what will run), 1 when the file has problems, 2 when the file is missing or unreadable.
An invalid file also stops the service at start-up with the same messages.
A complete example: [\`examples/site-config.yaml\`](../examples/site-config.yaml).
`;

export const CODE_LIST_SYNTAX = `Codes are written \`system|code\`: \`http://www.nlm.nih.gov/research/umls/rxnorm|7512\`, or with a short
alias for the usual systems: \`rxnorm|7512\`, \`snomed|336623009\` (or \`sct|...\`), \`loinc|8310-5\`,
\`icd-10-cm|D89.83\`. A local code system is any URI (\`urn:oid:1.2.3|X1\`, \`https://hospital.example/meds|42\`).
A system that looks like a misspelt standard one (\`https://loinc.org\`) is refused: it would never match.
Names match whole words, ignoring case ("epinephrine" does not match "norepinephrine").

Each concept (an ingredient, a product, a device tier) is changed with any of:

| Key | Meaning |
|---|---|
| \`addCodes\` | codes to add to the concept |
| \`addNames\` | names or synonyms to add |
| \`removeCodes\` | default codes to remove (a code that is not in the list is an error) |
| \`removeNames\` | default names to remove |
| \`remove: true\` | drop a whole default concept (drug lists and therapies only, not device tiers) |

A new id under a drug or therapy list adds a new concept (it needs \`addCodes\` and/or \`addNames\`; ids
are lowercase words joined by "-"). An id that is a near miss of a default one (\`norepinefrine\`) is
refused as a probable typo: a second concept would count as a second vasopressor (H2). The observation
lists (\`codeLists.observations.*\`) take \`add\` and \`remove\` with codes only.

\`\`\`yaml
codeLists:
  vasopressors:
    norepinephrine: { addCodes: ["urn:oid:2.16.840.1.113883.3.9999.7|NE-PREMIX"], addNames: ["levophed"] }
    angiotensin-ii: { addCodes: ["urn:oid:2.16.840.1.113883.3.9999.7|ANG2"], addNames: ["angiotensin II"] }  # a new concept
    phenylephrine: { remove: true }                                                    # drop a default concept
    dopamine: { removeNames: ["dopamine"] }                                            # codes only from now on
  oxygenDevices:
    highFlow: { addCodes: ["urn:oid:2.16.840.1.113883.3.9999.5|HFNC-1"], addNames: ["optiflow"] }
  observations:
    bodyTemperature: { add: ["loinc|8331-1"] }
\`\`\`

\`check-config\` prints every list in full after the change, so you can see the result.
`;

export const RELOADING = `## Reloading

Send \`SIGHUP\` to the service process to re-read the file named by \`CRS_CDS_CONFIG\`. The new file is
validated completely before it replaces the running configuration; an invalid file is logged with its
problems and the running configuration stays in force. A request already in progress finishes with the
configuration it started with.
`;
