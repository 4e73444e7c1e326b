import type { CaseStatus, UserArea } from '../../shared/domain.js';
import type { Random } from './random.js';

/**
 * The life of one case, drawn as durations (referral → open → in charge → closed, sometimes reopened) and
 * cut at the reference date `asOf`: whatever would happen later has not happened yet. The status is simply
 * the last event before `asOf`, so statuses, dates and histories are consistent by construction, and the
 * mix of statuses follows from the durations (long-running cases, mostly closed history).
 */
export const DAY = 86_400_000;
/** How far back referrals go; their density grows linearly towards `asOf` (a growing service). */
const historyDays = 12 * 365;

/** Median days a case stays in charge, by user area (log-normal, long tail). */
const inChargeMedianDays: Readonly<Record<UserArea, number>> = {
  family_minors: 420,
  disability: 640,
  elderly: 330,
  poverty_adults: 160,
  immigrants: 140,
  addiction: 240,
  multi_user: 240,
};

export interface StatusEvent {
  at: number;
  from: CaseStatus | null;
  to: CaseStatus;
  closureReason: string | null;
}

/** A stretch of work on the case: from opening (a case manager is named) to closure, or still running. */
export interface WorkPeriod {
  from: number;
  /** null: still running at `asOf`. */
  to: number | null;
  /** When the case was taken in charge in this period, if it was (before `asOf`). */
  inCharge: number | null;
}

export interface CaseTimeline {
  referralDay: number;
  created: number;
  events: StatusEvent[];
  periods: WorkPeriod[];
  status: CaseStatus;
}

function closureReason(rng: Random, area: UserArea): string {
  if (area === 'elderly' && rng.chance(0.35)) return 'deceased';
  return rng.weighted(['goals_achieved', 'transferred', 'moved_away', 'withdrawn', 'no_contact', 'no_longer_eligible', 'other'], [40, 10, 14, 9, 9, 12, 6]);
}

/** Office hours of a day, in ms after its midnight (UTC is close enough for synthetic data). */
const officeTime = (rng: Random) => (8 + rng.next() * 9) * 3_600_000;

export function drawTimeline(rng: Random, area: UserArea, asOf: number): CaseTimeline {
  const ageDays = Math.floor(historyDays * (1 - Math.sqrt(rng.next()))) + 1;
  const referralDay = Math.floor(asOf / DAY - ageDays) * DAY;
  const created = Math.min(referralDay + rng.int(0, 3) * DAY + officeTime(rng), asOf - 3_600_000);
  const planned: StatusEvent[] = [{ at: created, from: null, to: 'referred', closureReason: null }];
  const opened = created + rng.logNormal(12, 0.8) * DAY;
  planned.push({ at: opened, from: 'referred', to: 'open', closureReason: null });
  if (rng.chance(0.1)) {
    // Not taken in charge: assessed and closed from "open".
    planned.push({ at: opened + rng.logNormal(40, 0.7) * DAY, from: 'open', to: 'closed', closureReason: rng.weighted(['no_longer_eligible', 'withdrawn', 'moved_away', 'no_contact'], [4, 3, 1, 2]) });
  } else {
    const inCharge = opened + rng.logNormal(25, 0.7) * DAY;
    const closed = inCharge + rng.logNormal(inChargeMedianDays[area], 0.9) * DAY;
    planned.push({ at: inCharge, from: 'open', to: 'in_charge', closureReason: null });
    planned.push({ at: closed, from: 'in_charge', to: 'closed', closureReason: closureReason(rng, area) });
    const last = planned.at(-1)!;
    if (last.closureReason !== 'deceased' && rng.chance(0.07)) {
      const reopened = closed + rng.logNormal(240, 0.8) * DAY;
      planned.push({ at: reopened, from: 'closed', to: 'in_charge', closureReason: null });
      planned.push({ at: reopened + rng.logNormal(inChargeMedianDays[area] / 2, 0.9) * DAY, from: 'in_charge', to: 'closed', closureReason: closureReason(rng, area) });
    }
  }
  const events = planned.filter((e) => e.at < asOf).map((e) => ({ ...e, at: Math.floor(e.at) }));
  return { referralDay, created: events[0]!.at, events, periods: periodsOf(events), status: events.at(-1)!.to };
}

function periodsOf(events: StatusEvent[]): WorkPeriod[] {
  const periods: WorkPeriod[] = [];
  let current: WorkPeriod | null = null;
  for (const event of events) {
    if (event.to === 'open' || (event.to === 'in_charge' && event.from === 'closed')) {
      current = { from: event.at, to: null, inCharge: event.to === 'in_charge' ? event.at : null };
      periods.push(current);
    } else if (event.to === 'in_charge' && current) {
      current.inCharge = event.at;
    } else if (event.to === 'closed' && current) {
      current.to = event.at;
      current = null;
    }
  }
  return periods;
}
