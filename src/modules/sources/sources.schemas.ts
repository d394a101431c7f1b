import { z } from 'zod';
import { FormatQuery } from '../../http/export.js';
import { SOURCE_KINDS } from '../../domain/vocabulary.js';
import {
  EventRefSchema,
  IsoDate,
  RecordMeta,
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
import { optionalText, patchSchema, recordId } from '../provenance/provenance.schemas.js';
import { SOURCE_EXAMPLE, NEW_SOURCE_EXAMPLE } from './sources.examples.js';

const sourceFields = {
  id: z.string(),
  title: z.string(),
  publisher: z.string().nullable(),
  url: z.string().nullable(),
  original_url: z.string().nullable(),
  language: z.string().nullable().describe('Language of the stored text (BCP 47).'),
  published_on: IsoDate.nullable(),
  kind: z.enum(SOURCE_KINDS),
  credit: z.string().nullable().describe('Credits the source gives, e.g. a photo agency.'),
  notes: z.string().nullable(),
  has_text: z.boolean().describe('Whether the full text is stored (`include=text` returns it).'),
  ...RecordMeta,
};

export const SOURCE_INCLUDES = ['text', 'events', 'statements', 'casualty_reports'] as const;
export type SourceInclude = (typeof SOURCE_INCLUDES)[number];

export const SourceSchema = z
  .object({
    ...sourceFields,
    text: z.string().nullable().optional().describe('With `include=text`: the full stored text.'),
    events: z.array(EventRefSchema).optional().describe('With `include=events`: events this source supports.'),
    statements: z.array(StatementSchema).optional().describe('With `include=statements`.'),
    casualty_reports: z.array(CasualtyReportSchema).optional().describe('With `include=casualty_reports`.'),
  })
  .meta({ id: 'Source', description: 'A document that reports things.', examples: [SOURCE_EXAMPLE] });
export type SourceResource = z.infer<typeof SourceSchema>;

export const SOURCE_FIELDS = Object.keys(sourceFields).filter((f) => f !== 'id');
export const SOURCE_SORT_COLUMNS = {
  published_on: 'publishedOn?',
  title: 'title',
  created_at: 'createdAt',
  updated_at: 'updatedAt',
  id: 'id',
};
export const SOURCE_DEFAULT_SORT = ['-created_at'];

export const ListSourcesQuery = z
  .object({
    q: searchQuery('the title or the stored text'),
    publisher: commaList(z.string()).optional(),
    from: IsoDate.optional().describe('Published on or after this day.'),
    to: IsoDate.optional().describe('Published on or before this day.'),
    updated_since: UpdatedSince.optional(),
    ...pageQuery(Object.keys(SOURCE_SORT_COLUMNS), SOURCE_DEFAULT_SORT.join(',')),
    format: FormatQuery,
    fields: fieldsQuery(SOURCE_FIELDS),
  })
  .strict()
  .refine(fromNotAfterTo, FROM_TO_MESSAGE);
export type ListSourcesQuery = z.infer<typeof ListSourcesQuery>;

export const GetSourceQuery = z.object({ fields: fieldsQuery(SOURCE_FIELDS), include: includeQuery(SOURCE_INCLUDES) }).strict();
export const SourceListSchema = listResponse(SourceSchema);

// ---- write input ----

export const SourceInputFields = z
  .object({
    id: recordId('src').optional(),
    title: z.string().min(1).max(500),
    publisher: z.string().min(1).max(300).optional(),
    url: z.url().optional(),
    original_url: z.url().optional(),
    language: z.string().min(2).max(35).optional(),
    published_on: IsoDate.optional(),
    kind: z.enum(SOURCE_KINDS).default('news_article'),
    credit: z.string().min(1).max(500).optional(),
    notes: optionalText,
    text: z.string().min(1).max(5_000_000).optional(),
  })
  .strict();

export const CreateSourceInput = SourceInputFields.meta({ id: 'NewSource', examples: [NEW_SOURCE_EXAMPLE] });
export type CreateSourceInput = z.input<typeof CreateSourceInput>;

export const PatchSourceInput = patchSchema(SourceInputFields, 'SourcePatch');
