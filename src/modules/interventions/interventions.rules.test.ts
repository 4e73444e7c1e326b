import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { interventionStatuses, type InterventionStatus } from '../../shared/domain.js';
import { AppError } from '../../shared/errors.js';
import { interventionRuleViolations, statusChangeOf, type InterventionState } from './interventions.rules.js';

const allowed = new Set([
  'requested→waitlisted',
  'requested→active',
  'requested→ended',
  'waitlisted→active',
  'waitlisted→ended',
  'active→suspended',
  'active→ended',
  'suspended→active',
  'suspended→ended',
]);

const names = (state: InterventionState, periodic = true) =>
  interventionRuleViolations(state, { periodic }).map((p) => p.name);
const cents = (n: number) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;

describe('intervention lifecycle', () => {
  it.each(
    interventionStatuses.flatMap((from) =>
      interventionStatuses.filter((to) => to !== from).map((to) => [from, to] as const),
    ),
  )('%s → %s', (from: InterventionStatus, to: InterventionStatus) => {
    const attempt = () => statusChangeOf(from, to, 'motivo');
    if (allowed.has(`${from}→${to}`)) expect(attempt()).toEqual({ from, to, reason: 'motivo' });
    else expect(attempt).toThrow(expect.objectContaining({ code: 'invalid_transition', status: 409 }));
  });

  it('suspending or ending needs a reason; other moves do not', () => {
    expect(() => statusChangeOf('active', 'suspended', undefined)).toThrow(
      expect.objectContaining({ code: 'validation_failed' }),
    );
    expect(() => statusChangeOf('requested', 'ended', undefined)).toThrow(
      expect.objectContaining({
        extras: { invalidParams: [expect.objectContaining({ name: 'body/statusReason' })] },
      }),
    );
    expect(statusChangeOf('requested', 'waitlisted', undefined)).toEqual({
      from: 'requested',
      to: 'waitlisted',
      reason: null,
    });
  });

  it('the same status, or none, is no change; a reason without a change is refused', () => {
    expect(statusChangeOf('active', 'active', undefined)).toBeNull();
    expect(statusChangeOf('active', undefined, undefined)).toBeNull();
    expect(() => statusChangeOf('active', undefined, 'perché')).toThrow(AppError);
  });
});

describe('intervention consistency rules', () => {
  it('0.10 + 0.20 shares fit a 0.30 total exactly; 0.10 + 0.21 do not', () => {
    expect(
      names({
        status: 'requested',
        plannedStart: '2026-01-01',
        amountTotal: '0.30',
        shareOrganisation: '0.10',
        shareUser: '0.20',
      }),
    ).toEqual([]);
    expect(
      names({
        status: 'requested',
        plannedStart: '2026-01-01',
        amountTotal: '0.30',
        shareOrganisation: '0.10',
        shareUser: '0.21',
      }),
    ).toEqual(['body/amountTotal']);
  });

  it('shares are accepted exactly when their sum (in cents) does not exceed the total', () => {
    const amount = fc.integer({ min: 0, max: 99_999_999 });
    fc.assert(
      fc.property(
        amount,
        fc.option(amount, { nil: undefined }),
        fc.option(amount, { nil: undefined }),
        fc.option(amount, { nil: undefined }),
        (total, a, b, c) => {
          const state: InterventionState = {
            status: 'requested',
            plannedStart: '2026-01-01',
            amountTotal: cents(total),
            shareOrganisation: a === undefined ? undefined : cents(a),
            shareUser: b === undefined ? null : cents(b),
            shareHealthService: c === undefined ? undefined : cents(c),
          };
          const sum = (a ?? 0) + (b ?? 0) + (c ?? 0);
          expect(names(state)).toEqual(sum > total ? ['body/amountTotal'] : []);
        },
      ),
    );
  });

  it('a share without a total is refused', () => {
    expect(names({ status: 'requested', plannedStart: '2026-01-01', shareUser: '1.00' })).toEqual([
      'body/amountTotal',
    ]);
  });

  it('an end date before its start is refused, an equal or later one accepted (planned and actual)', () => {
    const day = fc
      .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, day, (start, end) => {
        const planned = names({ status: 'requested', plannedStart: start, plannedEnd: end });
        expect(planned).toEqual(end < start ? ['body/plannedEnd'] : []);
        const actual = names({ status: 'active', plannedStart: start, actualStart: start, actualEnd: end });
        expect(actual).toEqual(end < start ? ['body/actualEnd'] : []);
      }),
    );
  });

  it('an end without a start, and an active intervention without an actual start, are refused', () => {
    expect(names({ status: 'requested', plannedEnd: '2026-02-01' }, false)).toEqual(['body/plannedStart']);
    expect(names({ status: 'ended', plannedStart: '2026-01-01', actualEnd: '2026-02-01' })).toEqual([
      'body/actualStart',
    ]);
    expect(names({ status: 'active', plannedStart: '2026-01-01' })).toEqual(['body/actualStart']);
    expect(names({ status: 'suspended', plannedStart: '2026-01-01' })).toEqual(['body/actualStart']);
  });

  it('periodic services need plannedStart; one-off services take no monthly amount or hours', () => {
    expect(names({ status: 'requested' }, true)).toEqual(['body/plannedStart']);
    expect(names({ status: 'requested' }, false)).toEqual([]);
    expect(names({ status: 'requested', amountMonthly: '10.00', monthlyHours: '4' }, false)).toEqual([
      'body/amountMonthly',
      'body/monthlyHours',
    ]);
    expect(
      names(
        { status: 'requested', plannedStart: '2026-01-01', amountMonthly: '10.00', monthlyHours: '4' },
        true,
      ),
    ).toEqual([]);
  });

  it('the DSU protocol and its date go together', () => {
    expect(names({ status: 'requested', dsuProtocol: 'INPS-ISEE-2026-1' }, false)).toEqual(['body/dsuDate']);
    expect(names({ status: 'requested', dsuDate: '2026-01-01' }, false)).toEqual(['body/dsuProtocol']);
    expect(
      names({ status: 'requested', dsuProtocol: 'INPS-ISEE-2026-1', dsuDate: '2026-01-01' }, false),
    ).toEqual([]);
  });
});
