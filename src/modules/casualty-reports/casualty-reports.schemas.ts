import { z } from 'zod';
import { FormatQuery } from '../../http/export.js';
import { CASUALTY_CATEGORIES, DATE_PRECISIONS } from '../../domain/vocabulary.js';
import {
  ActorRefSchema,
  EventRefSchema,
  IsoDate,
  Iso3,
  RecordMeta,
  SourceRefSchema,
  commaList,
  fieldsQuery,
  listResponse,
  pageQuery,
  UpdatedSince,
  fromNotAfterTo,
  FROM_TO_MESSAGE,
} from '../../http/schemas.js';
import { SourceLinkInput, optionalText, patchSchema, recordId } from '../provenance/provenance.schemas.js';
import { CASUALTY_REPORT_EXAMPLE, NEW_CASUALTY_REPORT_EXAMPLE } from './casualty-reports.examples.js';

const Figure = z
  .object({
    min: z.number().int().min(0).nullable(),
    max: z.number().int().min(0).nullable().describe('Null when open-ended ("at least N").'),
  })
  .meta({ id: 'CasualtyFigure', description: 'Exact: min = max. "At least 5": min 5, max null.' });

const casualtyReportFields = {
  id: z.string(),
  event: EventRefSchema.describe('The event the figure is about; a parent event for conflict-wide tolls.'),
  reported_by: ActorRefSchema.nullable().describe('Who gave the figure; null when the source does not say.'),
  statement_id: z.string().nullable().describe('The statement the figure comes from, if recorded.'),
  reported_on: IsoDate.nullable(),
  reported_on_precision: z.enum(DATE_PRECISIONS).nullable(),
  period_start: IsoDate.describe('First day the figure covers.'),
  period_end: IsoDate.describe('Last day the figure covers.'),
  category: z.enum(CASUALTY_CATEGORIES),
  affected_actor: ActorRefSchema.nullable(),
  affected_country: Iso3.nullable(),
  killed: Figure.nullable().describe('Null when the reporter gave no death figure.'),
  injured: Figure.nullable().describe('Null when the reporter gave no injury figure.'),
  qualifier: z.string().nullable().describe('The hedge in the source, e.g. "at least".'),
  notes: z.string().nullable(),
  ...RecordMeta,
  sources: z.array(SourceRefSchema),
};

export const CasualtyReportSchema = z
  .object(casualtyReportFields)
  .meta({ id: 'CasualtyReport', description: 'A figure someone reported.', examples: [CASUALTY_REPORT_EXAMPLE] });
export type CasualtyReportResource = z.infer<typeof CasualtyReportSchema>;

export const CASUALTY_REPORT_FIELDS = Object.keys(casualtyReportFields).filter((f) => f !== 'id');
export const CASUALTY_REPORT_SORT_COLUMNS = {
  period_start: 'periodStart',
  period_end: 'periodEnd',
  category: 'category',
  created_at: 'createdAt',
  updated_at: 'updatedAt',
  id: 'id',
};
export const CASUALTY_REPORT_DEFAULT_SORT = ['-period_start'];

export const ListCasualtyReportsQuery = z
  .object({
    event: commaList(z.string()).optional().describe('Event ids.'),
    include_children: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional()
      .describe('With `event`: also the reports on its sub-events, at any depth.'),
    reported_by: commaList(z.string()).optional().describe('Reporter actor ids.'),
    category: commaList(z.enum(CASUALTY_CATEGORIES)).optional(),
    side: commaList(z.string())
      .optional()
      .describe('Affected side: actor ids or ISO 3166-1 alpha-3 country codes.'),
    from: IsoDate.optional().describe('Reports whose covered period ends on or after this day.'),
    to: IsoDate.optional().describe('Reports whose covered period starts on or before this day.'),
    updated_since: UpdatedSince.optional(),
    ...pageQuery(Object.keys(CASUALTY_REPORT_SORT_COLUMNS), CASUALTY_REPORT_DEFAULT_SORT.join(',')),
    format: FormatQuery,
    fields: fieldsQuery(CASUALTY_REPORT_FIELDS),
  })
  .strict()
  .refine(fromNotAfterTo, FROM_TO_MESSAGE);
export type ListCasualtyReportsQuery = z.infer<typeof ListCasualtyReportsQuery>;

export const GetCasualtyReportQuery = z.object({ fields: fieldsQuery(CASUALTY_REPORT_FIELDS) }).strict();
export const CasualtyReportListSchema = listResponse(CasualtyReportSchema);

// ---- write input ----

const FigureInput = z
  .object({ min: z.number().int().min(0).nullable(), max: z.number().int().min(0).nullable() })
  .strict()
  .refine((f) => f.min !== null || f.max !== null, { message: 'give min, max or both' })
  .refine((f) => f.min === null || f.max === null || f.min <= f.max, { path: ['min'], message: 'must not be above max' });

export const CasualtyReportInputFields = z
  .object({
    id: recordId('cas').optional(),
    event_id: z.string().min(1),
    reported_by_id: z.string().min(1).optional(),
    statement_id: z.string().min(1).optional(),
    reported_on: IsoDate.optional(),
    reported_on_precision: z.enum(DATE_PRECISIONS).optional(),
    period_start: IsoDate,
    period_end: IsoDate,
    category: z.enum(CASUALTY_CATEGORIES),
    affected_actor_id: z.string().min(1).optional(),
    affected_country: Iso3.optional(),
    killed: FigureInput.optional(),
    injured: FigureInput.optional(),
    qualifier: optionalText,
    notes: optionalText,
    sources: z.array(SourceLinkInput).min(1),
  })
  .strict();

export const CreateCasualtyReportInput = CasualtyReportInputFields
  .superRefine((report, ctx) => {
    if (report.period_end < report.period_start) {
      ctx.addIssue({ code: 'custom', path: ['period_end'], message: 'must not be before period_start' });
    }
    if (!report.killed && !report.injured) {
      ctx.addIssue({ code: 'custom', path: ['killed'], message: 'a casualty report needs killed, injured or both' });
    }
  })
  .meta({ id: 'NewCasualtyReport', examples: [NEW_CASUALTY_REPORT_EXAMPLE] });
export type CreateCasualtyReportInput = z.infer<typeof CreateCasualtyReportInput>;

export const PatchCasualtyReportInput = patchSchema(CasualtyReportInputFields, 'CasualtyReportPatch');
