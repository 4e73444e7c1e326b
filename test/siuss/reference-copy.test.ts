import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, siussReferenceDir } from '../../src/modules/siuss/siuss.reference.js';

/** The repository's copy of INPS's files must stay identical to the project's shared reference. */
const shared = path.resolve(repoRoot, '../shared/reference/inps-siuss-waas');

describe.skipIf(!existsSync(shared))('vendored INPS reference files', () => {
  it.each(['api-comuni.yaml', 'PS_PSA_SINA201812.xsd', 'SINBA.xsd', 'LICENSE'])('%s is an unmodified copy', (file) => {
    expect(readFileSync(path.join(siussReferenceDir, file))).toEqual(readFileSync(path.join(shared, file)));
  });
});
