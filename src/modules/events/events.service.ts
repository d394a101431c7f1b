import { isContested, rangeOf } from '../../domain/casualty-figures.js';
import { ConflictError, InvalidInputError, type FieldError } from '../../domain/errors.js';
import { groupBy } from '../../domain/group-by.js';
import { newId } from '../../domain/ids.js';
import type { PageRequest } from '../../http/pagination.js';
import type { SortTerm } from '../../db/keyset.js';
import type { CasualtyReportsService } from '../casualty-reports/casualty-reports.service.js';
import { createProvenanceService } from '../provenance/provenance.service.js';
import type { ProvenanceLink } from '../provenance/provenance.repository.js';
import { createRecordWrites, requireLive, sourcesInput, withoutNulls } from '../revisions/record-writes.js';
import type { StatementsService } from '../statements/statements.service.js';
import type { InTransaction, Repositories } from '../../services.js';
import type { EventFilter } from './events.repository.js';
import type { EventExportItem } from './events.export.js';
import { toEventResource, toParticipant } from './events.mapper.js';
import { CreateEventInput, type EventInclude, type EventResource } from './events.schemas.js';

export interface EventsDeps {
  repos: Repositories;
  inTransaction: InTransaction;
  casualtyReports: Pick<CasualtyReportsService, 'forEvents'>;
  statements: Pick<StatementsService, 'findAll'>;
}

const RESOURCE = 'event';

export function createEventsService(deps: EventsDeps) {
  const { events } = deps.repos;

  /** Embeds the requested related records, one query per include for the whole page. */
  async function withIncludes(items: EventResource[], include: EventInclude[] = [], repos: Repositories = deps.repos): Promise<EventResource[]> {
    if (items.length === 0 || include.length === 0) return items;
    const ids = items.map((item) => item.id);
    const wanted = new Set(include);
    const [participants, reports, statements, children] = await Promise.all([
      wanted.has('participants') ? repos.events.participantsOf(ids) : [],
      wanted.has('casualty_reports') ? deps.casualtyReports.forEvents(ids) : [],
      wanted.has('statements') ? deps.statements.findAll({ events: ids }) : [],
      wanted.has('children') ? repos.events.childrenOf(ids) : [],
    ]);
    const participantsBy = groupBy(participants, (p) => p.eventId);
    const reportsBy = groupBy(reports, (r) => r.event.id);
    const childrenBy = groupBy(children, (c) => c.parentId);
    return items.map((item) => ({
      ...item,
      ...(wanted.has('participants') ? { participants: (participantsBy.get(item.id) ?? []).map(toParticipant) } : {}),
      ...(wanted.has('casualty_reports') ? { casualty_reports: reportsBy.get(item.id) ?? [] } : {}),
      ...(wanted.has('statements')
        ? { statements: statements.filter((s) => s.events.some((e) => e.id === item.id)) }
        : {}),
      ...(wanted.has('children')
        ? { children: (childrenBy.get(item.id) ?? []).map((c) => ({ id: c.id, title: c.title })) }
        : {}),
    }));
  }

  /** The event as a writer sees it: its own fields, provenance and participants. */
  async function snapshot(repos: Repositories, id: string): Promise<EventResource> {
    const row = await requireLive(RESOURCE, id, () => repos.events.findById(id), () => repos.events.isTombstoned(id));
    const [event] = await withIncludes([toEventResource(row)], ['participants'], repos);
    return event;
  }

  /** The input that would create `event`, to merge a patch into. */
  function toInput(event: EventResource): Record<string, unknown> {
    const { id: _id, created_at: _c, updated_at: _u, version: _v, sources, participants, ...fields } = event;
    return {
      ...withoutNulls(fields),
      sources: sourcesInput(sources),
      participants: (participants ?? []).map((p) => withoutNulls({ actor_id: p.actor.id, role: p.role, notes: p.notes, sources: sourcesInput(p.sources) })),
    };
  }

  /** References, parent cycles and provenance of a whole event, checked inside the write. */
  async function prepare(repos: Repositories, id: string, input: CreateEventInput) {
    const errors: FieldError[] = [];
    if (input.parent_id) {
      if (!(await repos.events.exists([input.parent_id])).has(input.parent_id)) {
        errors.push({ path: 'body.parent_id', message: `no event has the id "${input.parent_id}"` });
      } else if ((await repos.events.ancestorIds(input.parent_id)).includes(id)) {
        errors.push({ path: 'body.parent_id', message: `would make "${id}" part of itself (a cycle of parents)` });
      }
    }
    if (input.external_id) {
      const holder = await repos.events.holderOfExternalId(input.external_id);
      if (holder !== null && holder !== id) {
        throw new ConflictError(`The external id "${input.external_id}" already belongs to the event "${holder}".`);
      }
    }
    const participants = input.participants ?? [];
    const knownActors = await repos.actors.exists(participants.map((p) => p.actor_id));
    participants.forEach((p, i) => {
      if (!knownActors.has(p.actor_id)) {
        errors.push({ path: `body.participants.${i}.actor_id`, message: `no actor has the id "${p.actor_id}"` });
      }
    });
    const seen = new Set<string>();
    participants.forEach((p, i) => {
      const key = `${p.actor_id}/${p.role}`;
      if (seen.has(key)) errors.push({ path: `body.participants.${i}`, message: `${p.actor_id} is already listed as ${p.role}` });
      seen.add(key);
    });
    if (errors.length > 0) throw new InvalidInputError('The event refers to records that do not exist or cannot be linked.', errors);

    const provenance = createProvenanceService(repos.provenance);
    const links = await provenance.resolve(id, input.sources, 'body.sources');
    // One at a time: this runs inside the write transaction, on a single connection.
    const participantLinks: ProvenanceLink[][] = [];
    for (const [i, p] of participants.entries()) {
      participantLinks.push(await provenance.resolve(`${id}/${p.actor_id}/${p.role}`, p.sources ?? [], `body.participants.${i}.sources`));
    }
    return {
      provenance: links,
      participants: participants.map((p, i) => ({ actorId: p.actor_id, role: p.role, notes: p.notes ?? null, provenance: participantLinks[i] })),
      data: {
        title: input.title,
        eventType: input.event_type,
        subEventType: input.sub_event_type ?? null,
        startDate: input.start_date,
        endDate: input.end_date,
        datePrecision: input.date_precision,
        dateNote: input.date_note ?? null,
        country: input.country ?? null,
        admin1: input.admin1 ?? null,
        admin2: input.admin2 ?? null,
        location: input.location ?? null,
        latitude: input.latitude ?? null,
        longitude: input.longitude ?? null,
        geoPrecision: input.geo_precision ?? null,
        description: input.description ?? null,
        notes: input.notes ?? null,
        status: input.status ?? null,
        parentId: input.parent_id ?? null,
        externalId: input.external_id ?? null,
      },
    };
  }

  const writes = createRecordWrites({
    label: RESOURCE,
    feed: 'events',
    newId: () => newId('evt'),
    inTransaction: deps.inTransaction,
    snapshot,
    toInput,
    schema: CreateEventInput,
    prepare,
    revisions: (repos) => repos.revisions,
    taken: (repos, id) => repos.events.idInUse(id),
    insert: (repos, id, prepared) => repos.events.insert({ id, ...prepared }),
    async update(repos, id, version, prepared, patch) {
      if (!(await repos.events.update(id, version, prepared.data))) return false;
      if ('sources' in patch) await repos.events.replaceProvenance(id, prepared.provenance);
      if ('participants' in patch) await repos.events.replaceParticipants(id, prepared.participants);
      return true;
    },
    tombstone: (repos, id, version) => repos.events.tombstone(id, version),
    referrers: (repos, id) => repos.events.referrers(id),
  });

  return {
    async list(filter: EventFilter, page: PageRequest, include?: EventInclude[]) {
      const result = await events.list(filter, page);
      return { ...result, rows: await withIncludes(result.rows.map(toEventResource), include) };
    },

    /** Every event matching the filter, in `sort` order, with the includes: a whole export, read chunk by chunk. */
    async *exportAll(filter: EventFilter, sort: SortTerm[], include?: EventInclude[]): AsyncGenerator<EventResource> {
      for await (const rows of events.scan(filter, sort)) yield* await withIncludes(rows.map(toEventResource), include);
    },

    /** Every event matching the filter as the CSV and GeoJSON columns need it, in one query a chunk. */
    async *exportSummaries(filter: EventFilter, sort: SortTerm[]): AsyncGenerator<EventExportItem> {
      for await (const rows of events.scanSummaries(filter, sort)) {
        yield* rows.map((row) => Object.assign(toEventResource(row), { participants: row.participantNames.map(({ role, name }) => ({ role, actor: { name } })) }));
      }
    },

    async get(id: string, include?: EventInclude[]): Promise<EventResource> {
      const row = await requireLive(RESOURCE, id, () => events.findById(id), () => events.isTombstoned(id));
      const [event] = await withIncludes([toEventResource(row)], include);
      return event;
    },

    exists: events.exists,
    subtreeIds: events.subtreeIds,

    /**
     * The casualty figures reported for an event and its sub-events, grouped by category
     * and affected side. Each group lists every report and the low-high range across
     * them; figures are never added up (domain.md), and `contested` marks groups where
     * reporters disagree.
     */
    async casualties(id: string) {
      const event = await requireLive(RESOURCE, id, () => events.findById(id), () => events.isTombstoned(id));
      const reports = await deps.casualtyReports.forEvents(await events.subtreeIds(id));
      const groups = groupBy(reports, (r) => `${r.category}\u0000${r.affected_country ?? r.affected_actor?.id ?? ''}`);
      return {
        event: { id: event.id, title: event.title },
        groups: [...groups.values()].map((group) => {
          const reporters = new Map(group.map((r) => [r.reported_by?.id ?? null, r.reported_by]));
          return {
            category: group[0].category,
            side: {
              country: group[0].affected_country,
              actor: group.find((r) => r.affected_actor)?.affected_actor ?? null,
            },
            killed: rangeOf(group.map((r) => r.killed)),
            injured: rangeOf(group.map((r) => r.injured)),
            contested: isContested(
              group.map((r) => ({ reporterId: r.reported_by?.id ?? null, killed: r.killed, injured: r.injured })),
            ),
            reporters: [...reporters.values()],
            reports: group,
          };
        }),
      };
    },

    ...writes,
  };
}

export type EventsService = ReturnType<typeof createEventsService>;
