import { InvalidInputError } from '../../domain/errors.js';
import { groupBy } from '../../domain/group-by.js';
import { newId } from '../../domain/ids.js';
import type { PageRequest } from '../../http/pagination.js';
import type { InTransaction, Repositories } from '../../services.js';
import { createProvenanceService } from '../provenance/provenance.service.js';
import { createRecordWrites, requireLive, sourcesInput, withoutNulls } from '../revisions/record-writes.js';
import type { StatementsService } from '../statements/statements.service.js';
import type { ActorFilter } from './actors.repository.js';
import { toActorResource } from './actors.mapper.js';
import { CreateActorInput, type ActorInclude, type ActorResource } from './actors.schemas.js';

export interface ActorsDeps {
  repos: Repositories;
  inTransaction: InTransaction;
  statements: Pick<StatementsService, 'findAll'>;
}

const RESOURCE = 'actor';

export function createActorsService(deps: ActorsDeps) {
  const { actors } = deps.repos;
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

  async function snapshot(repos: Repositories, id: string): Promise<ActorResource> {
    const row = await requireLive(RESOURCE, id, () => repos.actors.findById(id), () => repos.actors.isTombstoned(id));
    return toActorResource(row);
  }

  function toInput(actor: ActorResource): Record<string, unknown> {
    return withoutNulls({
      name: actor.name,
      kind: actor.kind,
      country: actor.country,
      parent_id: actor.parent_id,
      title: actor.title,
      aliases: actor.aliases,
      notes: actor.notes,
      sources: sourcesInput(actor.sources),
    });
  }

  async function prepare(repos: Repositories, id: string, input: CreateActorInput) {
    if (input.parent_id) {
      if (!(await repos.actors.exists([input.parent_id])).has(input.parent_id)) {
        throw new InvalidInputError('The actor refers to a parent that does not exist.', [
          { path: 'body.parent_id', message: `no actor has the id "${input.parent_id}"` },
        ]);
      }
      if ((await repos.actors.ancestorIds(input.parent_id)).includes(id)) {
        throw new InvalidInputError('The actor would be its own ancestor.', [
          { path: 'body.parent_id', message: `would make "${id}" part of itself (a cycle of parents)` },
        ]);
      }
    }
    return {
      provenance: await createProvenanceService(repos.provenance).resolve(id, input.sources, 'body.sources'),
      aliases: [...new Set(input.aliases ?? [])],
      data: {
        name: input.name,
        kind: input.kind,
        country: input.country ?? null,
        parentId: input.parent_id ?? null,
        title: input.title ?? null,
        notes: input.notes ?? null,
      },
    };
  }

  const writes = createRecordWrites({
    label: RESOURCE,
    feed: 'actors',
    newId: () => newId('act'),
    inTransaction: deps.inTransaction,
    snapshot,
    toInput,
    schema: CreateActorInput,
    prepare,
    revisions: (repos) => repos.revisions,
    taken: (repos, id) => repos.actors.idInUse(id),
    insert: (repos, id, prepared) => repos.actors.insert({ id, ...prepared }),
    async update(repos, id, version, prepared, patch) {
      if (!(await repos.actors.update(id, version, prepared.data))) return false;
      await repos.actors.replaceAliases(id, prepared.aliases);
      if ('sources' in patch) await repos.actors.replaceProvenance(id, prepared.provenance);
      return true;
    },
    tombstone: (repos, id, version) => repos.actors.tombstone(id, version),
    referrers: (repos, id) => repos.actors.referrers(id),
  });

  return {
    async list(filter: ActorFilter, page: PageRequest, include?: ActorInclude[]) {
      const result = await actors.list(filter, page);
      return { ...result, rows: await withIncludes(result.rows.map(toActorResource), include) };
    },

    async get(id: string, include?: ActorInclude[]): Promise<ActorResource> {
      const [actor] = await withIncludes([await snapshot(deps.repos, id)], include);
      return actor;
    },

    exists: actors.exists,

    ...writes,
  };
}

export type ActorsService = ReturnType<typeof createActorsService>;
