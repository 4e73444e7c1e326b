import type { InjectOptions } from 'fastify';
import type { TestApp } from '../helpers/app.js';
import { staffKeys, type StaffKey, type World } from '../helpers/world.js';

/**
 * Allow/deny matrices for this area's endpoints: every world role of both organisations, the API clients,
 * the platform admin and an anonymous caller, each with the exact status it must get.
 */
export type CallerKey = StaffKey | 'regional' | 'siuss';
export interface Caller {
  label: string;
  subject: string | null;
}

/** Expected statuses: for A's callers, for B's callers (by key), for the platform admin and the anonymous caller. */
export interface Expectations {
  a: Record<CallerKey, number>;
  b: Record<CallerKey, number>;
  platformAdmin: number;
  anonymous: number;
}

export function callersOf(w: World): { caller: Caller; pick: (e: Expectations) => number }[] {
  const keys: CallerKey[] = [...staffKeys, 'regional', 'siuss'];
  const subjectOf = (org: World['a'], key: CallerKey) =>
    key === 'regional' || key === 'siuss' ? org.clients[key].subject : org.staff[key].subject;
  return [
    ...keys.map((key) => ({
      caller: { label: `a.${key}`, subject: subjectOf(w.a, key) },
      pick: (e: Expectations) => e.a[key],
    })),
    ...keys.map((key) => ({
      caller: { label: `b.${key}`, subject: subjectOf(w.b, key) },
      pick: (e: Expectations) => e.b[key],
    })),
    {
      caller: { label: 'platformAdmin', subject: w.platformAdmin.subject },
      pick: (e: Expectations) => e.platformAdmin,
    },
    { caller: { label: 'anonymous', subject: null }, pick: (e: Expectations) => e.anonymous },
  ];
}

/** Runs the request for every caller; returns the mismatches as readable lines (empty when all match). */
export async function matrixMismatches(
  t: TestApp,
  w: World,
  expectations: Expectations,
  request: (caller: Caller) => Promise<InjectOptions> | InjectOptions,
): Promise<string[]> {
  const mismatches: string[] = [];
  for (const { caller, pick } of callersOf(w)) {
    const response = await t.as(caller.subject, await request(caller));
    const want = pick(expectations);
    if (response.statusCode !== want)
      mismatches.push(`${caller.label}: got ${response.statusCode}, want ${want}`);
  }
  return mismatches;
}

/** A row of the matrix where every role gets the same status (then overridden per key). */
export function everyone(
  status: number,
  overrides: Partial<Record<CallerKey, number>> = {},
): Record<CallerKey, number> {
  const row = Object.fromEntries([...staffKeys, 'regional', 'siuss'].map((k) => [k, status])) as Record<
    CallerKey,
    number
  >;
  return { ...row, ...overrides };
}

/** Organisation B's case readers: A's case-bound resources do not exist for them. */
export const caseReadersOutside: Partial<Record<CallerKey, number>> = {
  socialWorker: 404,
  socialWorker2: 404,
  educator: 404,
  coordinator: 404,
  coordinatorOther: 404,
  director: 404,
};

/**
 * Reading something that hangs off the world's case: its assigned workers, team coordinator and the director
 * get `ok`; the unassigned worker and the other team's coordinator 404; roles without the permission 403.
 */
export const caseReadExpectations = (ok: number): Expectations => ({
  a: everyone(403, { socialWorker: ok, socialWorker2: 404, educator: ok, coordinator: ok, coordinatorOther: 404, director: ok }),
  b: everyone(403, caseReadersOutside),
  platformAdmin: 403,
  anonymous: 401,
});
