import { z } from 'zod';
import { FormatQuery } from '../../http/export.js';
import { ATTRIBUTIONS, DATE_PRECISIONS, STATEMENT_KINDS } from '../../domain/vocabulary.js';
import {
  ActorRefSchema,
  EventRefSchema,
  IsoDate,
  RecordMeta,
  SourceRefSchema,
  commaList,
  fieldsQuery,
  listResponse,
  pageQuery,
  UpdatedSince,
  fromNotAfterTo,
  FROM_TO_MESSAGE,
  searchQuery,
} from '../../http/schemas.js';
import { SourceLinkInput, optionalText, patchSchema, recordId } from '../provenance/provenance.schemas.js';
import { STATEMENT_EXAMPLE, NEW_STATEMENT_EXAMPLE } from './statements.examples.js';

const statementFields = {
  id: z.string(),
  kind: z.enum(STATEMENT_KINDS),
  summary: z.string().describe('Who said what, in one sentence.'),
  quote: z.string().nullable().describe('The words the source quotes, verbatim; null where it paraphrases.'),
  said_on: IsoDate,
  said_on_precision: z.enum(DATE_PRECISIONS),
  date_note: z.string().nullable(),
  speaker: ActorRefSchema.nullable().describe('The person or body who spoke; null when the source is ambiguous.'),
  on_behalf_of: ActorRefSchema.nullable().describe('The body a person speaks for.'),
  attribution: z.enum(ATTRIBUTIONS).describe('How certain the attribution to the speaker is.'),
  attribution_note: z.string().nullable(),
  targets: z.array(ActorRefSchema).describe('Actors accused or addressed.'),
  events: z.array(EventRefSchema).describe('Events the statement is about.'),
  ...RecordMeta,
  sources: z.array(SourceRefSchema),
};

export const StatementSchema = z
  .object(statementFields)
  .meta({ id: 'Statement', description: 'Something an actor said.', examples: [STATEMENT_EXAMPLE] });
export type StatementResource = z.infer<typeof StatementSchema>;

export const STATEMENT_FIELDS = Object.keys(statementFields).filter((f) => f !== 'id');
export const STATEMENT_SORT_COLUMNS = {
  said_on: 'saidOn',
  kind: 'kind',
  created_at: 'createdAt',
  updated_at: 'updatedAt',
  id: 'id',
};
export const STATEMENT_DEFAULT_SORT = ['-said_on'];

export const ListStatementsQuery = z
  .object({
    q: searchQuery('the summary or quote'),
    speaker: commaList(z.string()).optional().describe('Speaker actor ids.'),
    on_behalf_of: commaList(z.string()).optional().describe('Actor ids the speaker spoke for.'),
    target: commaList(z.string()).optional().describe('Actor ids accused or addressed.'),
    event: commaList(z.string()).optional().describe('Related event ids.'),
    kind: commaList(z.enum(STATEMENT_KINDS)).optional(),
    from: IsoDate.optional().describe('Said on or after this day.'),
    to: IsoDate.optional().describe('Said on or before this day.'),
    attribution: commaList(z.enum(ATTRIBUTIONS)).optional(),
    updated_since: UpdatedSince.optional(),
    ...pageQuery(Object.keys(STATEMENT_SORT_COLUMNS), STATEMENT_DEFAULT_SORT.join(',')),
    format: FormatQuery,
    fields: fieldsQuery(STATEMENT_FIELDS),
  })
  .strict()
  .refine(fromNotAfterTo, FROM_TO_MESSAGE);
export type ListStatementsQuery = z.infer<typeof ListStatementsQuery>;

export const GetStatementQuery = z.object({ fields: fieldsQuery(STATEMENT_FIELDS) }).strict();
export const StatementListSchema = listResponse(StatementSchema);

// ---- write input ----

export const StatementInputFields = z
  .object({
    id: recordId('stm').optional(),
    kind: z.enum(STATEMENT_KINDS),
    summary: z.string().min(1).max(2000),
    quote: optionalText,
    said_on: IsoDate,
    said_on_precision: z.enum(DATE_PRECISIONS),
    date_note: optionalText,
    speaker_id: z.string().min(1).optional(),
    on_behalf_of_id: z.string().min(1).optional(),
    attribution: z.enum(ATTRIBUTIONS),
    attribution_note: optionalText,
    target_ids: z.array(z.string().min(1)).optional(),
    event_ids: z.array(z.string().min(1)).optional(),
    sources: z.array(SourceLinkInput).min(1),
  })
  .strict();

export const CreateStatementInput = StatementInputFields
  .superRefine((statement, ctx) => {
    if (!statement.speaker_id && statement.attribution === 'stated') {
      ctx.addIssue({ code: 'custom', path: ['speaker_id'], message: 'a stated attribution needs a speaker' });
    }
  })
  .meta({ id: 'NewStatement', examples: [NEW_STATEMENT_EXAMPLE] });
export type CreateStatementInput = z.infer<typeof CreateStatementInput>;

export const PatchStatementInput = patchSchema(StatementInputFields, 'StatementPatch');
