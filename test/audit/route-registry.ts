import type * as FastifyModule from 'fastify';
import type { RouteOptions } from 'fastify';
import type { RouteAccess } from '../../src/access/permissions.js';
import type { AuditSpec } from '../../src/platform/audit/request-audit.js';

/**
 * Every route's declaration (`config.access`, `config.audit`) as the app registers it. Fastify exposes a
 * route's config only to hooks, so suites that walk the routes replace the `fastify` factory (vi.mock) with
 * one that adds an onRoute hook before anything is registered:
 *
 *   vi.mock('fastify', async (original) => (await import('./route-registry.js')).recordingFastify(await original()));
 */
export interface RouteDeclaration {
  method: string;
  url: string;
  access?: RouteAccess;
  audit?: AuditSpec | false;
}

export const routeDeclarations: RouteDeclaration[] = [];

export function recordingFastify(actual: typeof FastifyModule): typeof FastifyModule {
  const create = (options?: Parameters<typeof actual.default>[0]) => {
    const app = actual.default(options);
    app.addHook('onRoute', (route: RouteOptions) => {
      const config = (route.config ?? {}) as { access?: RouteAccess; audit?: AuditSpec | false };
      for (const method of [route.method].flat()) routeDeclarations.push({ method, url: route.url, access: config.access, audit: config.audit });
    });
    return app;
  };
  return { ...actual, default: Object.assign(create, actual.default) as typeof actual.default };
}

/** The API routes (under /v1 and /waas), once per method, HEAD left out (it runs its GET's route). */
export function apiRoutes(): RouteDeclaration[] {
  const seen = new Set<string>();
  return routeDeclarations.filter((r) => {
    const key = `${r.method} ${r.url}`;
    if (r.method === 'HEAD' || !/^\/(v1|waas)\//.test(r.url) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
