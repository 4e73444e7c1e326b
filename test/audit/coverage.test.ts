import { randomUUID } from 'node:crypto';
import { JSONSchemaFaker } from 'json-schema-faker';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { roleHas, type Permission } from '../../src/access/permissions.js';
import { outcomeOfStatus } from '../../src/platform/audit/audit-event.js';
import type { Role } from '../../src/shared/domain.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedResources, type ResourceIds } from '../helpers/resources.js';
import { listOperations, validBody, type Operation } from '../helpers/routes.js';
import { seedWorld, type World } from '../helpers/world.js';
import { apiRoutes, type RouteDeclaration } from './route-registry.js';
import { eventsOfRequest, newRequestId, type StoredEvent } from './support.js';

vi.mock('fastify', async (original) => (await import('./route-registry.js')).recordingFastify(await original()));

/**
 * Issue 6, recording: every route that declares `config.audit` leaves exactly one event per request — for
 * an allowed call, a role without the permission (403), another organisation's caller (404), an anonymous
 * call and an unknown subject (401). It walks the routes as the app registers them, so routes added by
 * any module are covered without touching this file.
 */
let t: TestApp;
let w: World;
let ids: ResourceIds;
let operations: Map<string, Operation>;
let document: { paths: Record<string, Record<string, { parameters?: { in: string; name: string; required?: boolean; schema?: object }[] }>> };

beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
  ids = await seedResources(t.app.db, w);
  operations = new Map(listOperations(t.app).map((op) => [`${op.method} ${op.path}`, op]));
  document = t.app.swagger() as unknown as typeof document;
});
afterAll(async () => t?.close());

interface Caller {
  id: string | null;
  subject: string | null;
  role: Role | null;
}

/** Callers in order of preference for an allowed call: the most case scope first. */
function callers(org: World['a']): Caller[] {
  const s = org.staff;
  return [
    { ...s.socialWorker, role: 'social_worker' },
    { ...s.coordinator, role: 'coordinator' },
    { ...s.educator, role: 'educator' },
    { ...s.director, role: 'director' },
    { ...s.admin, role: 'admin' },
    { ...s.auditor, role: 'auditor' },
    { ...s.electedOfficial, role: 'elected_official' },
    { ...org.clients.regional, role: 'regional' },
    { ...org.clients.siuss, role: 'siuss' },
    { ...w.platformAdmin, role: 'platform_admin' },
  ];
}

const allows = (route: RouteDeclaration, role: Role) => route.access === 'authenticated' || roleHas(role, route.access as Permission);
const openApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

function urlOf(route: RouteDeclaration, pathIds: Record<string, string>): string {
  const path = route.url.replace(/:(\w+)/g, (_, name: string) => pathIds[name] ?? randomUUID());
  const parameters = document.paths[openApiPath(route.url)]?.[route.method.toLowerCase()]?.parameters ?? [];
  const query = new URLSearchParams();
  for (const p of parameters.filter((p) => p.in === 'query' && p.required)) query.set(p.name, String(JSONSchemaFaker.generate((p.schema ?? {}) as never)));
  return query.size > 0 ? `${path}?${query}` : path;
}

interface Call {
  status: number;
  events: StoredEvent[];
}

/** One request (retried with a fresh generated body when input validation rejects it), and its events. */
async function call(route: RouteDeclaration, caller: Caller, pathIds: Record<string, string>): Promise<Call> {
  const operation = operations.get(`${route.method} ${openApiPath(route.url)}`);
  for (let attempt = 0; ; attempt++) {
    const requestId = newRequestId();
    const body = operation ? validBody(operation) : undefined;
    const response = await t.as(caller.subject, {
      method: route.method as 'GET',
      url: urlOf(route, pathIds),
      headers: { 'request-id': requestId, 'if-match': '"1"' },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    if (response.statusCode === 400 && body !== undefined && attempt < 8) continue;
    return { status: response.statusCode, events: await eventsOfRequest(t.app.pool, requestId) };
  }
}

describe('every audited route records exactly one event per request', () => {
  let routes: RouteDeclaration[];
  beforeAll(() => {
    routes = apiRoutes();
  });

  it('the app builds, and every API route declares its permission and its audit (registration refuses otherwise)', () => {
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.filter((r) => !r.access || r.audit === undefined)).toEqual([]);
    const audited = routes.filter((r) => r.audit).map((r) => `${r.method} ${r.url}`);
    for (const route of ['GET /v1/audit-events', 'GET /v1/audit-events/verification', 'GET /v1/citizens/:citizenId/access-log', 'GET /v1/staff/:staffId', 'POST /v1/staff']) {
      expect(audited).toContain(route);
    }
  });

  it('allowed calls, denials by role (403), other organisations (404), anonymous calls and unknown subjects (401)', async () => {
    const failures: string[] = [];
    const successes: string[] = [];
    const expectOne = (label: string, call: Call, want: { action: string; actorId: string | null; outcome: string; reason?: string }) => {
      const got = call.events.map((e) => ({ action: e.action, actorId: e.actor_id, outcome: e.outcome, ...(want.reason ? { reason: e.reason } : {}) }));
      if (JSON.stringify(got) !== JSON.stringify([want])) failures.push(`${label} (status ${call.status}): got ${JSON.stringify(got)}, want one ${JSON.stringify(want)}`);
    };

    for (const route of routes.filter((r) => r.audit)) {
      const spec = route.audit as { action: string };
      const label = `${route.method} ${route.url}`;
      if (route.access === 'public') {
        const anonymous = await call(route, { id: null, subject: null, role: null }, ids);
        expectOne(`${label} anonymous`, anonymous, { action: spec.action, actorId: null, outcome: outcomeOfStatus(anonymous.status) });
        continue;
      }
      const allowed = callers(w.a).find((c) => allows(route, c.role!))!;
      const ok = await call(route, allowed, ids);
      if (ok.status < 300) successes.push(label);
      expectOne(`${label} as ${allowed.role}`, ok, { action: ok.events[0]?.action === 'audit.export' ? 'audit.export' : spec.action, actorId: allowed.id, outcome: outcomeOfStatus(ok.status) });

      const refused = callers(w.a).find((c) => !allows(route, c.role!));
      if (refused) {
        const denied = await call(route, refused, ids);
        if (denied.status !== 403) failures.push(`${label} as ${refused.role}: status ${denied.status}, want 403`);
        expectOne(`${label} as ${refused.role} (no permission)`, denied, { action: spec.action, actorId: refused.id, outcome: 'denied', reason: 'forbidden' });
      }

      if (route.url.includes(':') && !route.url.includes(':belfioreCode')) {
        const outsider = callers(w.b).find((c) => allows(route, c.role!) && c.role !== 'platform_admin');
        if (outsider) {
          const other = await call(route, outsider, ids);
          if (other.status !== 404) failures.push(`${label} as another organisation's ${outsider.role}: status ${other.status}, want 404`);
          expectOne(`${label} from another organisation`, other, { action: spec.action, actorId: outsider.id, outcome: 'denied', reason: 'not_found' });
        }
      }

      const anonymous = await call(route, { id: null, subject: null, role: null }, ids);
      expectOne(`${label} anonymous`, anonymous, { action: spec.action, actorId: null, outcome: 'denied', reason: 'unauthenticated' });

      const stranger = `unknown-${randomUUID()}`;
      const unknown = await call(route, { id: null, subject: stranger, role: null }, ids);
      expectOne(`${label} unknown subject`, unknown, { action: spec.action, actorId: null, outcome: 'denied', reason: 'unauthenticated' });
      if (unknown.events[0]?.actor_subject !== stranger) failures.push(`${label}: the unknown subject is not recorded`);
    }
    expect(failures).toEqual([]);
    // The success events checked above must include the reads of personal data. (Generated requests do not
    // reach every route's 2xx — e.g. reads needing finer query parameters — but their events are checked.)
    const gets = routes.filter((r) => r.audit && r.method === 'GET').map((r) => `${r.method} ${r.url}`);
    const coreReads = ['GET /v1/staff/:staffId', 'GET /v1/staff', 'GET /v1/audit-events', 'GET /v1/citizens/:citizenId/access-log', 'GET /v1/citizens/:citizenId', 'GET /v1/cases/:caseId', 'GET /v1/cases'];
    expect(coreReads.filter((read) => gets.includes(read) && !successes.includes(read))).toEqual([]);
    expect(successes.length).toBeGreaterThan(routes.filter((r) => r.audit).length / 2);
  }, 300_000);

  it('routes without audit leave no event', async () => {
    for (const route of apiRoutes().filter((r) => r.audit === false && r.method === 'GET')) {
      const caller = route.access === 'public' ? { id: null, subject: null, role: null } : callers(w.a).find((c) => allows(route, c.role!))!;
      const { events } = await call(route, caller, ids);
      expect(events, `${route.method} ${route.url}`).toEqual([]);
    }
  });
});
