import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the official INPS files live: an unmodified copy (MIT licence, see its LICENSE) is kept in
 * `<repo>/reference/inps-siuss-waas`, so the service and its container need nothing outside the
 * repository; test/siuss/reference-copy.test.ts checks it against the project's shared reference.
 * This file sits at src/modules/siuss (or dist/modules/siuss once built): three levels below the root.
 */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const siussReferenceDir = path.resolve(repoRoot, 'reference/inps-siuss-waas');

export const siussReferenceFiles = {
  openApi: 'api-comuni.yaml',
  psPsaSinaXsd: 'PS_PSA_SINA201812.xsd',
  sinbaXsd: 'SINBA.xsd',
} as const;

export function referencePath(file: keyof typeof siussReferenceFiles, directory = siussReferenceDir): string {
  return path.join(directory, siussReferenceFiles[file]);
}
