import { createHmac } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.js';
import { organisationPseudonymKey } from './siuss.pseudonym.js';

/**
 * The deployment secret behind SINBA pseudonyms. `recordSiussFlows(tx, interventionId, change)` is called
 * from other modules' transactions and receives no config, so the SIUSS plugin hands the secret over here
 * when the app starts (it is the same for every instance of a deployment: nothing instance-specific is kept).
 *
 * SIUSS_PSEUDONYM_SECRET should always be set in production. When it is not, local and test runs derive a
 * per-deployment secret from JWT_SECRET (HMAC with a fixed label: deterministic, so pseudonyms survive
 * restarts, but they change if JWT_SECRET is rotated) and warn at start; with neither (an OIDC deployment
 * without the variable) SINBA flows are not produced and the reason is stored on each.
 */
let deploymentSecret: Buffer | null = null;

const fallbackLabel = 'cartella/siuss/pseudonym-secret-fallback/v1';

export function configureSiussRuntime(config: Readonly<Config>, log: FastifyBaseLogger): void {
  if (config.siuss.pseudonymSecret) {
    deploymentSecret = Buffer.from(config.siuss.pseudonymSecret, 'utf8');
  } else if (config.auth.jwtSecret) {
    deploymentSecret = createHmac('sha256', config.auth.jwtSecret).update(fallbackLabel).digest();
    log.warn(
      'SIUSS_PSEUDONYM_SECRET is not set: SINBA pseudonyms use a key derived from JWT_SECRET (local use only)',
    );
  } else {
    deploymentSecret = null;
    log.warn('SIUSS_PSEUDONYM_SECRET is not set: SINBA flows will not be produced');
  }
}

/** The organisation's pseudonym key, or null when the deployment has no secret. */
export function pseudonymKeyOf(organisationId: string): Buffer | null {
  return deploymentSecret ? organisationPseudonymKey(deploymentSecret, organisationId) : null;
}
