import { isContested, rangeOf, type Figure } from '../../domain/casualty-figures.js';
import { groupBy } from '../../domain/group-by.js';
import type { EventFilter } from '../events/events.repository.js';
import type {
  CasualtyFigureRow,
  CasualtyGrouping,
  CasualtyStatsFilter,
  EventGrouping,
  Interval,
  StatsRepository,
} from './stats.repository.js';

// Assembles the grouped rows the database returns into the wire shapes. Casualty groups
// follow GET /v1/events/{id}/casualties (category, side, killed/injured ranges, contested,
// reporters), with one figure per reporter instead of every report.

export interface StatsDeps {
  stats: Pick<StatsRepository, 'countEvents' | 'totalEvents' | 'casualtyFigures'>;
}

const orNull = (value: string): string | null => (value === '' ? null : value);

/** Text order with "none" last: the same on every database (no collation involved). */
function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  return a < b ? -1 : 1;
}

function figureOf(min: number | null, maxSum: number | null, open: number): Figure | null {
  if (min === null) return null;
  return { min, max: open > 0 ? null : maxSum };
}

function reporterFigure(row: CasualtyFigureRow) {
  return {
    reported_by: row.reporterId === '' ? null : { id: row.reporterId, name: row.reporterName ?? row.reporterId },
    killed: figureOf(row.killedMin, row.killedMaxSum, row.killedOpen),
    injured: figureOf(row.injuredMin, row.injuredMaxSum, row.injuredOpen),
    reports: row.reports,
  };
}

export function createStatsService(deps: StatsDeps) {
  return {
    /** Event counts per bucket of start_date (and per group); empty buckets are left out. */
    async events(filter: EventFilter, interval: Interval, by: EventGrouping | undefined) {
      const [rows, total] = await Promise.all([deps.stats.countEvents(filter, interval, by), deps.stats.totalEvents(filter)]);
      rows.sort((a, b) => compareKeys(a.bucket, b.bucket) || b.count - a.count || compareKeys(a.groupKey, b.groupKey));
      return {
        interval,
        group_by: by ?? null,
        total,
        data: rows.map((row) => ({
          bucket: row.bucket,
          key: by ? orNull(row.groupKey) : null,
          label: row.label,
          count: row.count,
        })),
      };
    },

    /**
     * Casualty figures per group, category and affected side. Within a group each reporter
     * gives one figure; the group shows them side by side, the low-high range across them
     * and `contested` when they differ. Figures of different reporters are never added.
     */
    async casualties(filter: CasualtyStatsFilter, by: CasualtyGrouping) {
      const rows = await deps.stats.casualtyFigures(filter, by);
      rows.sort(
        (a, b) =>
          compareKeys(a.groupKey, b.groupKey) ||
          compareKeys(a.category, b.category) ||
          compareKeys(a.sideCountry, b.sideCountry) ||
          compareKeys(a.sideKey, b.sideKey) ||
          compareKeys(a.reporterName ?? '', b.reporterName ?? '') ||
          compareKeys(a.reporterId, b.reporterId),
      );
      const groups = groupBy(rows, (row) => [row.groupKey, row.category, row.sideCountry, row.sideKey].join('\u0000'));
      return {
        group_by: by,
        groups: [...groups.values()].map((group) => {
          const [first] = group;
          const figures = group.map(reporterFigure);
          const sideActor = group.map((row) => row.sideActorId).filter((id) => id !== '').sort(compareKeys)[0];
          const sideActorName = group.find((row) => row.sideActorId === sideActor)?.sideActorName;
          return {
            key: orNull(first.groupKey),
            label: first.label,
            category: first.category,
            side: {
              country: orNull(first.sideCountry),
              actor: sideActor ? { id: sideActor, name: sideActorName ?? sideActor } : null,
            },
            killed: rangeOf(figures.map((f) => f.killed)),
            injured: rangeOf(figures.map((f) => f.injured)),
            contested: isContested(figures.map((f) => ({ reporterId: f.reported_by?.id ?? null, killed: f.killed, injured: f.injured }))),
            reporters: figures.map((f) => f.reported_by),
            figures,
          };
        }),
      };
    },
  };
}

export type StatsService = ReturnType<typeof createStatsService>;
