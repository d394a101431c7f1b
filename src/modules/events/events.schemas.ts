import { z } from 'zod';
import { FormatQuery } from '../../http/export.js';
import { DATE_PRECISIONS, EVENT_STATUSES, GEO_PRECISIONS, PARTICIPANT_ROLES } from '../../domain/vocabulary.js';
import { EVENT_TYPES, SUB_EVENT_TYPES, eventTypeOf } from '../../domain/taxonomy.js';
import { SourceLinkInput, optionalText, patchSchema, recordId } from '../provenance/provenance.schemas.js';
import {
  ActorRefSchema,
  EventRefSchema,
  IsoDate,
  Iso3,
  RecordMeta,
  SourceRefSchema,
  commaList,
  fieldsQuery,
  includeQuery,
  listResponse,
  pageQuery,
  UpdatedSince,
  fromNotAfterTo,
  FROM_TO_MESSAGE,
  searchQuery,
} from '../../http/schemas.js';
import { CasualtyReportSchema } from '../casualty-reports/casualty-reports.schemas.js';
import { StatementSchema } from '../statements/statements.schemas.js';
import { EVENT_EXAMPLE, NEW_EVENT_EXAMPLE } from './events.examples.js';
import type { EventFilter } from './events.repository.js';

export const ParticipantSchema = z
  .object({
    id: z.string(),
    actor: ActorRefSchema,
    role: z.enum(PARTICIPANT_ROLES),
    notes: z.string().nullable(),
    sources: z.array(SourceRefSchema),
  })
  .meta({ id: 'Participant', description: "An actor's part in an event." });

const eventFields = {
  id: z.string(),
  title: z.string(),
  event_type: z.enum(EVENT_TYPES).describe('ACLED event type.'),
  sub_event_type: z.enum(SUB_EVENT_TYPES).nullable().describe('ACLED sub-event type; null when the source does not say.'),
  start_date: IsoDate.describe('Earliest day the event may have happened.'),
  end_date: IsoDate.describe('Latest day; equals start_date for a known single day.'),
  date_precision: z.enum(DATE_PRECISIONS).describe('How exactly the source dates it; `range` means only the bounds are known.'),
  date_note: z.string().nullable().describe('How the dates were derived, e.g. inferred from "the day before".'),
  country: Iso3.nullable().describe('ISO 3166-1 alpha-3; null when the event spans countries.'),
  admin1: z.string().nullable(),
  admin2: z.string().nullable(),
  location: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  geo_precision: z.enum(GEO_PRECISIONS).nullable(),
  description: z.string().nullable(),
  notes: z.string().nullable().describe('Caveats, e.g. where the source disagrees with the record.'),
  status: z.enum(EVENT_STATUSES).nullable().describe('For talks, ceasefires and the like.'),
  parent_id: z.string().nullable().describe('The event this one is part of (a conflict groups its clashes and talks).'),
  external_id: z.string().nullable().describe("The event's id in the data set it was imported from (ACLED's event_id_cnty); unique."),
  ...RecordMeta,
  sources: z.array(SourceRefSchema).describe('Provenance: the passages that support this event.'),
};

export const EVENT_INCLUDES = ['participants', 'casualty_reports', 'statements', 'sources', 'children'] as const;
export type EventInclude = (typeof EVENT_INCLUDES)[number];

export const EventSchema = z
  .object({
    ...eventFields,
    participants: z.array(ParticipantSchema).optional().describe('With `include=participants`.'),
    casualty_reports: z.array(CasualtyReportSchema).optional().describe('With `include=casualty_reports`.'),
    statements: z.array(StatementSchema).optional().describe('With `include=statements`.'),
    children: z.array(EventRefSchema).optional().describe('With `include=children`: the events that are part of this one.'),
  })
  .meta({ id: 'Event', examples: [EVENT_EXAMPLE] });
export type EventResource = z.infer<typeof EventSchema>;

export const EVENT_FIELDS = Object.keys(eventFields).filter((f) => f !== 'id');
export const EVENT_SORT_COLUMNS = {
  start_date: 'startDate',
  end_date: 'endDate',
  title: 'title',
  created_at: 'createdAt',
  updated_at: 'updatedAt',
  id: 'id',
};
export const EVENT_DEFAULT_SORT = ['-start_date'];

const Bbox = z
  .string()
  .transform((value, ctx) => {
    const parts = value.split(',').map(Number);
    const [minLon, minLat, maxLon, maxLat] = parts;
    const valid =
      parts.length === 4 &&
      parts.every(Number.isFinite) &&
      minLon >= -180 && maxLon <= 180 && minLat >= -90 && maxLat <= 90 &&
      minLon <= maxLon && minLat <= maxLat;
    if (!valid) {
      ctx.addIssue({ code: 'custom', message: 'expected min_lon,min_lat,max_lon,max_lat in degrees, minimum before maximum' });
      return z.NEVER;
    }
    return { minLon, minLat, maxLon, maxLat };
  })
  .describe('min_lon,min_lat,max_lon,max_lat: events whose coordinates fall inside.');

/** The /v1/events filters, shared by every route that selects events (lists, statistics). */
export const eventFilterFields = {
  q: searchQuery('the title or description'),
  event_type: commaList(z.enum(EVENT_TYPES)).optional(),
  sub_event_type: commaList(z.enum(SUB_EVENT_TYPES)).optional(),
  country: commaList(Iso3).optional().describe('ISO 3166-1 alpha-3, comma list.'),
  admin1: commaList(z.string()).optional(),
  from: IsoDate.optional().describe('Events whose date range ends on or after this day.'),
  to: IsoDate.optional().describe('Events whose date range starts on or before this day.'),
  actor: commaList(z.string()).optional().describe('Actor ids: events in which any of them takes part.'),
  actor_role: commaList(z.enum(PARTICIPANT_ROLES)).optional().describe('With `actor`: only in these roles.'),
  parent: commaList(z.string()).optional().describe('Parent event ids: their direct children.'),
  status: commaList(z.enum(EVENT_STATUSES)).optional(),
  bbox: Bbox.optional(),
  updated_since: UpdatedSince.optional(),
  external_id: commaList(z.string().min(1)).optional().describe("External ids (ACLED's event_id_cnty), comma list."),
};
type EventFilterQuery = z.infer<z.ZodObject<typeof eventFilterFields>>;

/** The repository's filter for the query's event filters. */
export function eventFilterOf(query: EventFilterQuery): EventFilter {
  return {
    q: query.q,
    eventTypes: query.event_type,
    subEventTypes: query.sub_event_type,
    countries: query.country,
    admin1: query.admin1,
    from: query.from,
    to: query.to,
    actors: query.actor,
    actorRoles: query.actor_role,
    parents: query.parent,
    statuses: query.status,
    bbox: query.bbox,
    updatedSince: query.updated_since,
    externalIds: query.external_id,
  };
}

export const ListEventsQuery = z
  .object({
    ...eventFilterFields,
    ...pageQuery(Object.keys(EVENT_SORT_COLUMNS), EVENT_DEFAULT_SORT.join(',')),
    format: FormatQuery,
    fields: fieldsQuery(EVENT_FIELDS),
    include: includeQuery(EVENT_INCLUDES),
  })
  .strict()
  .refine(fromNotAfterTo, FROM_TO_MESSAGE);
export type ListEventsQuery = z.infer<typeof ListEventsQuery>;

export const GetEventQuery = z
  .object({ fields: fieldsQuery(EVENT_FIELDS), include: includeQuery(EVENT_INCLUDES) })
  .strict();

export const EventListSchema = listResponse(EventSchema);

export const FigureSchema = z
  .object({
    min: z.number().int().nullable().describe('Lowest figure given.'),
    max: z.number().int().nullable().describe('Highest figure given; null when open-ended ("at least").'),
  })
  .meta({ id: 'Figure' });

export const RangeSchema = z
  .object({
    low: z.number().int().nullable(),
    high: z.number().int().nullable().describe('Null when some report is open-ended ("at least N").'),
  })
  .meta({ id: 'Range', description: 'The low-high range across reports. Never a sum.' });

export const CasualtyGroupSchema = z
  .object({
    category: z.string(),
    side: z.object({ country: z.string().nullable(), actor: ActorRefSchema.nullable() }),
    killed: RangeSchema.nullable(),
    injured: RangeSchema.nullable(),
    contested: z.boolean().describe('True when different reporters give different figures.'),
    reporters: z.array(ActorRefSchema.nullable()).describe('Who reported; null is an unattributed report.'),
    reports: z.array(CasualtyReportSchema),
  })
  .meta({ id: 'CasualtyGroup' });

export const EventCasualtiesSchema = z.object({
  event: EventRefSchema,
  groups: z.array(CasualtyGroupSchema),
});

// ---- write input (used by the seed loader; the write routes come with the write API) ----

export const ParticipantInput = z
  .object({
    actor_id: z.string().min(1),
    role: z.enum(PARTICIPANT_ROLES),
    notes: optionalText,
    sources: z.array(SourceLinkInput).optional(),
  })
  .strict();

export const EventInputFields = z
  .object({
    id: recordId('evt').optional(),
    title: z.string().min(1).max(500),
    event_type: z.enum(EVENT_TYPES),
    sub_event_type: z.enum(SUB_EVENT_TYPES).optional(),
    start_date: IsoDate,
    end_date: IsoDate,
    date_precision: z.enum(DATE_PRECISIONS),
    date_note: optionalText,
    country: Iso3.optional(),
    admin1: z.string().min(1).max(200).optional(),
    admin2: z.string().min(1).max(200).optional(),
    location: z.string().min(1).max(200).optional(),
    latitude: z.number().min(-90).max(90).optional(),
    longitude: z.number().min(-180).max(180).optional(),
    geo_precision: z.enum(GEO_PRECISIONS).optional(),
    description: optionalText,
    notes: optionalText,
    status: z.enum(EVENT_STATUSES).optional(),
    parent_id: z.string().min(1).optional(),
    external_id: z.string().min(1).max(200).optional().describe("The event's id in the data set it comes from (ACLED's event_id_cnty); unique."),
    participants: z.array(ParticipantInput).optional(),
    sources: z.array(SourceLinkInput).min(1),
  })
  .strict();

export const CreateEventInput = EventInputFields.superRefine((event, ctx) => {
  if (event.end_date < event.start_date) {
    ctx.addIssue({ code: 'custom', path: ['end_date'], message: 'must not be before start_date' });
  }
  if (event.sub_event_type && eventTypeOf(event.sub_event_type) !== event.event_type) {
    ctx.addIssue({
      code: 'custom',
      path: ['sub_event_type'],
      message: `"${event.sub_event_type}" is a sub-event type of "${eventTypeOf(event.sub_event_type)}", not of "${event.event_type}"`,
    });
  }
  if ((event.latitude === undefined) !== (event.longitude === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['longitude'], message: 'latitude and longitude go together' });
  }
}).meta({ id: 'NewEvent', examples: [NEW_EVENT_EXAMPLE] });
export type CreateEventInput = z.infer<typeof CreateEventInput>;

export const PatchEventInput = patchSchema(EventInputFields, 'EventPatch');
