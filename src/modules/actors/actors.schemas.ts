import { z } from 'zod';
import { FormatQuery } from '../../http/export.js';
import { ACTOR_KINDS, PARTICIPANT_ROLES } from '../../domain/vocabulary.js';
import {
  ActorRefSchema,
  EventRefSchema,
  Iso3,
  RecordMeta,
  SourceRefSchema,
  commaList,
  fieldsQuery,
  includeQuery,
  listResponse,
  pageQuery,
  UpdatedSince,
  searchQuery,
} from '../../http/schemas.js';
import { SourceLinkInput, optionalText, patchSchema, recordId } from '../provenance/provenance.schemas.js';
import { StatementSchema } from '../statements/statements.schemas.js';
import { ACTOR_EXAMPLE, NEW_ACTOR_EXAMPLE } from './actors.examples.js';

const actorFields = {
  id: z.string(),
  name: z.string(),
  kind: z.enum(ACTOR_KINDS),
  country: Iso3.nullable(),
  parent_id: z.string().nullable().describe('The body this actor belongs to (person → ministry → government).'),
  title: z.string().nullable().describe("A person's title or role."),
  aliases: z.array(z.string()).describe('Other names the sources use.'),
  notes: z.string().nullable(),
  ...RecordMeta,
  sources: z.array(SourceRefSchema),
};

export const ACTOR_INCLUDES = ['events', 'statements_made', 'statements_targeting', 'children'] as const;
export type ActorInclude = (typeof ACTOR_INCLUDES)[number];

export const ActorSchema = z
  .object({
    ...actorFields,
    events: z
      .array(z.object({ event: EventRefSchema, role: z.enum(PARTICIPANT_ROLES) }))
      .optional()
      .describe('With `include=events`: the events it took part in, with its role.'),
    statements_made: z.array(StatementSchema).optional().describe('With `include=statements_made`.'),
    statements_targeting: z.array(StatementSchema).optional().describe('With `include=statements_targeting`.'),
    children: z.array(ActorRefSchema).optional().describe('With `include=children`.'),
  })
  .meta({ id: 'Actor', description: 'Anyone who acts or speaks.', examples: [ACTOR_EXAMPLE] });
export type ActorResource = z.infer<typeof ActorSchema>;

export const ACTOR_FIELDS = Object.keys(actorFields).filter((f) => f !== 'id');
export const ACTOR_SORT_COLUMNS = { name: 'name', kind: 'kind', created_at: 'createdAt', updated_at: 'updatedAt', id: 'id' };
export const ACTOR_DEFAULT_SORT = ['name'];

export const ListActorsQuery = z
  .object({
    q: searchQuery('the name or an alias'),
    kind: commaList(z.enum(ACTOR_KINDS)).optional(),
    country: commaList(Iso3).optional(),
    parent: commaList(z.string()).optional().describe('Parent actor ids: their direct children.'),
    updated_since: UpdatedSince.optional(),
    ...pageQuery(Object.keys(ACTOR_SORT_COLUMNS), ACTOR_DEFAULT_SORT.join(',')),
    format: FormatQuery,
    fields: fieldsQuery(ACTOR_FIELDS),
    include: includeQuery(ACTOR_INCLUDES),
  })
  .strict();
export type ListActorsQuery = z.infer<typeof ListActorsQuery>;

export const GetActorQuery = z.object({ fields: fieldsQuery(ACTOR_FIELDS), include: includeQuery(ACTOR_INCLUDES) }).strict();
export const ActorListSchema = listResponse(ActorSchema);

// ---- write input ----

export const ActorInputFields = z
  .object({
    id: recordId('act').optional(),
    name: z.string().min(1).max(300),
    kind: z.enum(ACTOR_KINDS),
    country: Iso3.optional(),
    parent_id: z.string().min(1).optional(),
    title: z.string().min(1).max(300).optional(),
    aliases: z.array(z.string().min(1).max(300)).optional(),
    notes: optionalText,
    sources: z.array(SourceLinkInput).min(1),
  })
  .strict();

export const CreateActorInput = ActorInputFields.meta({ id: 'NewActor', examples: [NEW_ACTOR_EXAMPLE] });
export type CreateActorInput = z.infer<typeof CreateActorInput>;

export const PatchActorInput = patchSchema(ActorInputFields, 'ActorPatch');
