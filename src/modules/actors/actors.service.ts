import { InvalidInputError, NotFoundError } from '../../domain/errors.js';
import { groupBy } from '../../domain/group-by.js';
import { newId } from '../../domain/ids.js';
import type { PageRequest } from '../../http/pagination.js';
import type { ProvenanceService } from '../provenance/provenance.service.js';
import type { StatementsService } from '../statements/statements.service.js';
import type { ActorFilter, ActorsRepository } from './actors.repository.js';
import { toActorResource } from './actors.mapper.js';
import type { ActorInclude, ActorResource, CreateActorInput } from './actors.schemas.js';

export interface ActorsDeps {
  actors: ActorsRepository;
  statements: Pick<StatementsService, 'findAll'>;
  provenance: Pick<ProvenanceService, 'resolve'>;
}

export function createActorsService(deps: ActorsDeps) {
  const { actors } = deps;

  /** Embeds the requested related records in each actor, one query per include. */
  async function withIncludes(items: ActorResource[], include: ActorInclude[] = []): Promise<ActorResource[]> {
    if (items.length === 0 || include.length === 0) return items;
    const ids = items.map((item) => item.id);
    const wanted = new Set(include);
    const [participations, children, made, targeting] = await Promise.all([
      wanted.has('events') ? actors.participationsOf(ids) : [],
      wanted.has('children') ? actors.childrenOf(ids) : [],
      wanted.has('statements_made') ? deps.statements.findAll({ speakers: ids }) : [],
      wanted.has('statements_targeting') ? deps.statements.findAll({ targets: ids }) : [],
    ]);
    const eventsByActor = groupBy(participations, (p) => p.actorId);
    const childrenByActor = groupBy(children, (c) => c.parentId);
    const madeBy = groupBy(made, (s) => s.speaker?.id);
    return items.map((item) => ({
      ...item,
      ...(wanted.has('events')
        ? {
            events: (eventsByActor.get(item.id) ?? []).map((p) => ({
              event: { id: p.event.id, title: p.event.title },
              role: p.role as NonNullable<ActorResource['events']>[number]['role'],
            })),
          }
        : {}),
      ...(wanted.has('children')
        ? { children: (childrenByActor.get(item.id) ?? []).map((c) => ({ id: c.id, name: c.name })) }
        : {}),
      ...(wanted.has('statements_made') ? { statements_made: madeBy.get(item.id) ?? [] } : {}),
      ...(wanted.has('statements_targeting')
        ? { statements_targeting: targeting.filter((s) => s.targets.some((t) => t.id === item.id)) }
        : {}),
    }));
  }

  return {
    async list(filter: ActorFilter, page: PageRequest, include?: ActorInclude[]) {
      const result = await actors.list(filter, page);
      return { ...result, rows: await withIncludes(result.rows.map(toActorResource), include) };
    },

    async get(id: string, include?: ActorInclude[]): Promise<ActorResource> {
      const row = await actors.findById(id);
      if (!row) throw new NotFoundError('actor', id);
      const [actor] = await withIncludes([toActorResource(row)], include);
      return actor;
    },

    exists: actors.exists,

    async create(input: CreateActorInput): Promise<string> {
      if (input.parent_id && !(await actors.exists([input.parent_id])).has(input.parent_id)) {
        throw new InvalidInputError('The actor refers to a parent that does not exist.', [
          { path: 'body.parent_id', message: `no actor has the id "${input.parent_id}"` },
        ]);
      }
      const id = input.id ?? newId('act');
      if (input.parent_id === id) {
        throw new InvalidInputError('An actor cannot be its own parent.', [
          { path: 'body.parent_id', message: 'would make the actor its own parent' },
        ]);
      }
      const provenance = await deps.provenance.resolve(id, input.sources, 'body.sources');
      await actors.create({
        id,
        provenance,
        aliases: [...new Set(input.aliases ?? [])],
        data: {
          name: input.name,
          kind: input.kind,
          country: input.country ?? null,
          parentId: input.parent_id ?? null,
          title: input.title ?? null,
          notes: input.notes ?? null,
        },
      });
      return id;
    },
  };
}

export type ActorsService = ReturnType<typeof createActorsService>;
