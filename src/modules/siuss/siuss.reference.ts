import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the official INPS files live. They are not copied into the repository: CI and development put
 * `shared/` beside the checkout, so the directory is `<repo>/../shared/reference/inps-siuss-waas`.
 * This file sits at src/modules/siuss (or dist/modules/siuss once built): three levels below the root.
 */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const siussReferenceDir = path.resolve(repoRoot, '../shared/reference/inps-siuss-waas');

export const siussReferenceFiles = {
  openApi: 'api-comuni.yaml',
  psPsaSinaXsd: 'PS_PSA_SINA201812.xsd',
  sinbaXsd: 'SINBA.xsd',
} as const;

export function referencePath(file: keyof typeof siussReferenceFiles, directory = siussReferenceDir): string {
  return path.join(directory, siussReferenceFiles[file]);
}
