import { z } from 'zod';
import { CASUALTY_CATEGORIES } from '../../domain/vocabulary.js';
import { ActorRefSchema, FROM_TO_MESSAGE, commaList, fromNotAfterTo } from '../../http/schemas.js';
import { FigureSchema, RangeSchema, eventFilterFields } from '../events/events.schemas.js';
import { CASUALTY_GROUPINGS, EVENT_GROUPINGS, INTERVALS } from './stats.repository.js';
import { CASUALTY_STATS_EXAMPLE, EVENT_STATS_EXAMPLE } from './stats.examples.js';

export const EventStatsQuery = z
  .object({
    interval: z
      .enum(INTERVALS)
      .default('month')
      .describe(
        "Bucket of the event's start_date: `day` (YYYY-MM-DD), `week` (ISO week, Monday to Sunday, keyed by its Monday as YYYY-MM-DD), `month` (YYYY-MM) or `year` (YYYY). Default `month`.",
      ),
    group_by: z
      .enum(EVENT_GROUPINGS)
      .optional()
      .describe('Split each bucket by event type, country (ISO3) or actor (an event counts once for each actor taking part). Without it, one count per bucket.'),
    ...eventFilterFields,
  })
  .strict()
  .refine(fromNotAfterTo, FROM_TO_MESSAGE);
export type EventStatsQuery = z.infer<typeof EventStatsQuery>;

export const EventStatsSchema = z
  .object({
    interval: z.enum(INTERVALS),
    group_by: z.enum(EVENT_GROUPINGS).nullable(),
    total: z.number().int().describe('How many events match the filters (each counted once, whatever the grouping).'),
    data: z.array(
      z.object({
        bucket: z.string().describe('The bucket: YYYY-MM-DD (day, or the Monday of an ISO week), YYYY-MM or YYYY.'),
        key: z
          .string()
          .nullable()
          .describe('The group: an event type, an ISO3 country or an actor id. Null without `group_by`, or for events with no country / no actor recorded.'),
        label: z.string().nullable().describe("The actor's name with `group_by=actor`; null otherwise."),
        count: z.number().int().describe('Events in this bucket and group.'),
      }),
    ),
  })
  .meta({
    id: 'EventStats',
    description: 'Event counts per bucket of start_date, oldest bucket first; buckets with no events are left out.',
    examples: [EVENT_STATS_EXAMPLE],
  });

export const CasualtyStatsQuery = z
  .object({
    group_by: z
      .enum(CASUALTY_GROUPINGS)
      .default('reported_by')
      .describe(
        "Group figures by reporter (the default), category, event, country (the event's country; for an event spanning countries, the affected side's country) or month (YYYY-MM of the first day the report covers, `period_start`). Every group is further split by category and affected side, as on `/v1/events/{id}/casualties`.",
      ),
    ...eventFilterFields,
    reported_by: commaList(z.string()).optional().describe('Reporter actor ids.'),
    category: commaList(z.enum(CASUALTY_CATEGORIES)).optional(),
  })
  .strict()
  .refine(fromNotAfterTo, FROM_TO_MESSAGE);
export type CasualtyStatsQuery = z.infer<typeof CasualtyStatsQuery>;

export const ReporterFigureSchema = z
  .object({
    reported_by: ActorRefSchema.nullable().describe('The reporter; null gathers the unattributed reports.'),
    killed: FigureSchema.nullable().describe("The reporter's figure for the group; null when it gave none."),
    injured: FigureSchema.nullable(),
    reports: z.number().int().describe("How many of the reporter's reports fall in the group."),
  })
  .meta({
    id: 'ReporterFigure',
    description:
      "One reporter's figure for a group. The reporter's reports on different events add up; several reports on the same event (and category and side) are their low-high range, not a sum; a report on an event inside another event the reporter gave a figure for is covered by that figure and not added.",
  });

export const CasualtyStatsGroupSchema = z
  .object({
    key: z
      .string()
      .nullable()
      .describe('The group: a reporter id, a category, an event id, an ISO3 country or a month (YYYY-MM); null for unattributed reports or events without a country.'),
    label: z.string().nullable().describe("The reporter's name (`group_by=reported_by`) or the event's title (`group_by=event`)."),
    category: z.string(),
    side: z.object({ country: z.string().nullable(), actor: ActorRefSchema.nullable() }).describe('The affected side, as on /v1/events/{id}/casualties.'),
    killed: RangeSchema.nullable().describe('The low-high range across the reporters. Never a sum.'),
    injured: RangeSchema.nullable(),
    contested: z.boolean().describe('True when different reporters give different figures.'),
    reporters: z.array(ActorRefSchema.nullable()).describe('Who reported; null is an unattributed report.'),
    figures: z.array(ReporterFigureSchema).describe("Each reporter's figure, side by side."),
  })
  .meta({ id: 'CasualtyStatsGroup' });

export const CasualtyStatsSchema = z
  .object({
    group_by: z.enum(CASUALTY_GROUPINGS),
    groups: z.array(CasualtyStatsGroupSchema),
  })
  .meta({ id: 'CasualtyStats', examples: [CASUALTY_STATS_EXAMPLE] });
