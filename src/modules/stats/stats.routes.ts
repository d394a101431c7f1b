import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listErrorResponses } from '../../http/schemas.js';
import { eventFilterOf } from '../events/events.schemas.js';
import { CasualtyStatsQuery, CasualtyStatsSchema, EventStatsQuery, EventStatsSchema } from './stats.schemas.js';
import type { StatsService } from './stats.service.js';

export const statsRoutes: FastifyPluginAsyncZod<{ stats: StatsService }> = async (app, { stats }) => {
  app.get(
    '/v1/stats/events',
    {
      schema: {
        operationId: 'getEventStats',
        tags: ['statistics'],
        summary: 'Event counts over time',
        description:
          "How many events match the filters (the same filters as `/v1/events`), per bucket of their start_date: `day` and `week` buckets are keyed YYYY-MM-DD (a week is an ISO week, Monday to Sunday, keyed by its Monday, so 2026-01-01 falls in the week of 2025-12-29), `month` YYYY-MM, `year` YYYY. Buckets without events are left out. `group_by` splits each bucket by event type, country or actor. Counted in the database.",
        querystring: EventStatsQuery,
        response: { 200: EventStatsSchema, ...listErrorResponses },
      },
    },
    async (request) => {
      const { interval, group_by: groupBy, ...filters } = request.query;
      return stats.events(eventFilterOf(filters), interval, groupBy);
    },
  );

  app.get(
    '/v1/stats/casualties',
    {
      schema: {
        operationId: 'getCasualtyStats',
        tags: ['statistics', 'casualty-reports'],
        summary: 'Casualty figures per reporter, category, event, country or month, never summed across reporters',
        description:
          "Casualty figures grouped by `group_by`, each group split by category and affected side (as on `/v1/events/{id}/casualties`). Within a group every reporter has one figure: its reports on different events add up, its several reports on the same event, category and side give their low-high range (updates never double count), and a report on a sub-event of an event it already gave a figure for is covered by that figure. The group shows each reporter's figure side by side, the low-high range across reporters and `contested` when they differ: figures of different reporters are never added up. `group_by=country` is the event's country, or for an event spanning countries the affected side's. The event filters (as on `/v1/events`) apply to the report's event; `reported_by` and `category` to the report. Aggregated in the database.",
        querystring: CasualtyStatsQuery,
        response: { 200: CasualtyStatsSchema, ...listErrorResponses },
      },
    },
    async (request) => {
      const { group_by: groupBy, reported_by: reportedBy, category, ...filters } = request.query;
      return stats.casualties({ events: eventFilterOf(filters), reportedBy, categories: category }, groupBy);
    },
  );
};
