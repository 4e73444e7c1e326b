import fastifyJwt from '@fastify/jwt';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type pg from 'pg';
import type { Actor, ActorRecord } from '../access/actor.js';
import type { Config } from '../config.js';
import { AppError } from '../shared/errors.js';
import type { CachedActorLookup } from './actor-cache.js';

/**
 * Bearer tokens (SPEC §6). Locally HS256 with JWT_SECRET; in production RS256/ES256 verified against the
 * JWKS of an OpenID Connect issuer (discovery) or a JWKS URL, with issuer and audience checked. The token
 * only says who the caller is: role, teams and organisation come from the database — through the actor
 * cache (actor-cache.ts), which every change to them empties at commit — so a deactivation takes effect at once.
 */
declare module 'fastify' {
  interface FastifyInstance {
    authenticate(request: FastifyRequest): Promise<Actor>;
    /** Who subjects are, cached (src/platform/actor-cache.ts). */
    actors: CachedActorLookup;
  }
  interface FastifyContextConfig {
    /** The route changes who someone is (role, teams, activity): cached actors are dropped before it answers. */
    changesActors?: boolean;
  }
}

interface TokenClaims {
  sub?: string;
  client_id?: string;
}

/** Thrown for a valid token whose subject matches nobody: audited as the login of an unknown subject. */
export class UnknownSubjectError extends AppError {
  constructor(readonly subject: string) {
    super('unauthenticated', 'The token subject is not a known user or client of this service.');
  }
}

// One round trip, prepared once per connection: staff with their teams, or an API client with the
// organisations it serves.
const actorQuery = {
  name: 'cartella_actor_by_subject',
  text: `
    SELECT 'staff' AS kind, s.id, s.subject, s.role, s.organisation_id, s.active,
           coalesce(array_agg(st.team_id) FILTER (WHERE st.team_id IS NOT NULL), '{}') AS team_ids,
           '{}'::uuid[] AS served
    FROM staff s LEFT JOIN staff_teams st ON st.staff_id = s.id
    WHERE s.subject = $1 GROUP BY s.id
    UNION ALL
    SELECT 'client', c.id, c.subject, c.role, c.organisation_id, c.active, '{}'::uuid[],
           array(SELECT c.organisation_id UNION SELECT o.organisation_id FROM api_client_organisations o
                 WHERE o.api_client_id = c.id)
    FROM api_clients c WHERE c.subject = $1`,
};

interface ActorRow {
  kind: 'staff' | 'client';
  id: string;
  subject: string;
  role: Actor['role'];
  organisation_id: string | null;
  active: boolean;
  team_ids: string[];
  served: string[];
}

export async function findActorBySubject(pool: pg.Pool, subject: string): Promise<ActorRecord | null> {
  const { rows } = await pool.query<ActorRow>({ ...actorQuery, values: [subject] });
  const row = rows[0];
  if (!row) return null;
  return {
    kind: row.kind,
    id: row.id,
    subject: row.subject,
    role: row.role,
    organisationId: row.organisation_id,
    active: row.active,
    teamIds: row.team_ids,
    servedOrganisationIds: row.served,
  };
}

// get-jwks (and its key conversion libraries) only for a remote issuer: loaded then, not at every start.
async function jwtOptions(auth: Config['auth']) {
  const verify = {
    // A token is checked once per instance, then remembered until it expires: a front end sends the same
    // token with every request. (Who the subject is still comes from the database or the actor cache.)
    cache: true,
    clockTolerance: auth.clockSkewSeconds * 1000,
    ...(auth.issuer ? { allowedIss: auth.issuer } : {}),
    ...(auth.audience ? { allowedAud: auth.audience } : {}),
  };
  const remote = auth.jwksUrl ?? auth.oidcIssuer;
  if (remote) {
    const jwksUrl = auth.jwksUrl ? new URL(auth.jwksUrl) : undefined;
    const { default: buildGetJwks } = await import('get-jwks');
    const getJwks = buildGetJwks({
      providerDiscovery: !jwksUrl,
      ...(jwksUrl ? { jwksPath: jwksUrl.pathname } : {}),
      ttl: 10 * 60 * 1000,
    });
    const domain = jwksUrl ? jwksUrl.origin : auth.oidcIssuer!;
    return {
      secret: (_request: FastifyRequest, token: { header: { kid?: string; alg?: string } }) =>
        getJwks.getPublicKey({ domain, kid: token.header.kid, alg: token.header.alg }),
      decode: { complete: true },
      verify: { ...verify, algorithms: ['RS256', 'ES256', 'PS256'] as ('RS256' | 'ES256' | 'PS256')[] },
    };
  }
  if (!auth.jwtSecret) throw new Error('JWT_SECRET or OIDC_ISSUER/JWT_JWKS_URL must be configured');
  return { secret: auth.jwtSecret, verify: { ...verify, algorithms: ['HS256'] as 'HS256'[] } };
}

export const authenticationPlugin = fp(
  async (app: FastifyInstance, options: { auth: Config['auth']; pool: pg.Pool; actors: CachedActorLookup }) => {
    await app.register(fastifyJwt, (await jwtOptions(options.auth)) as Parameters<typeof fastifyJwt>[1]);
    const { actors } = options;
    app.decorate('actors', actors);
    // Other instances hear of the change by NOTIFY; this one must not answer the next request from its cache.
    app.addHook('onSend', async (request) => {
      if (request.routeOptions.config.changesActors) actors.invalidate();
    });

    app.decorate('authenticate', async (request: FastifyRequest): Promise<Actor> => {
      if (!request.headers.authorization) throw new AppError('unauthenticated', 'A bearer token is required.');
      let claims: TokenClaims;
      try {
        claims = await request.jwtVerify<TokenClaims>();
      } catch {
        // The library's message may quote the token's claims: keep it out of the answer and the logs.
        throw new AppError('unauthenticated', 'The bearer token is invalid, expired or not meant for this service.');
      }
      const subject = claims.sub ?? claims.client_id;
      if (!subject) throw new AppError('unauthenticated', 'The bearer token names no subject.');
      const actor = await actors.lookup(subject, () => findActorBySubject(options.pool, subject));
      if (!actor) throw new UnknownSubjectError(subject);
      if (!actor.active) throw new AppError('unauthenticated', 'This account is deactivated.');
      const { active: _active, ...rest } = actor;
      return rest;
    });
  },
  { name: 'cartella-authentication' },
);
