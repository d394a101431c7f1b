import { derivedId } from '../../domain/ids.js';
import { participantId } from '../events/events.repository.js';
import type { CreateEventInput } from '../events/events.schemas.js';
import { linkTo, type DesiredBatch, type DesiredItem } from './batch-writer.js';
import type { EventData, ImportsRepository } from './imports.repository.js';
import type { Rejection } from './imports.types.js';

// NDJSON lines in our own schema (the body of POST /v1/events), checked as that route
// checks them: actors, sources and the parent must exist, excerpts must be verbatim text of
// their source. A line names its event by `id` or `external_id`; a line with neither gets an
// id derived from its content, so importing the same file again finds the same events.

/** JSON with keys in a fixed order, so equal records give equal text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The key a line names its event by, to find a second line for the same event in one file. */
export function ndjsonKey(input: CreateEventInput): string {
  return input.id ? `id:${input.id}` : input.external_id ? `external:${input.external_id}` : `content:${canonical(input)}`;
}

function eventData(input: CreateEventInput): EventData {
  return {
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
  };
}

export async function ndjsonBatch(repo: ImportsRepository, rows: { line: number; input: CreateEventInput }[]) {
  const rejections: Rejection[] = [];
  const holders = await repo.eventsByExternalId(rows.flatMap(({ input }) => (input.external_id ? [input.external_id] : [])));
  const idOf = ({ input }: { input: CreateEventInput }) =>
    input.id ?? (input.external_id ? holders.get(input.external_id)?.id : undefined) ?? derivedId('evt', 'ndjson', canonical(input));
  const ids = rows.map(idOf);
  const stored = await repo.events(ids);
  const texts = await repo.sourceTexts([
    ...new Set(rows.flatMap(({ input }) => [...input.sources, ...(input.participants ?? []).flatMap((p) => p.sources ?? [])].map((s) => s.id))),
  ]);
  const actors = await repo.liveActorIds([...new Set(rows.flatMap(({ input }) => (input.participants ?? []).map((p) => p.actor_id)))]);
  const parents = await repo.liveEventIds([...new Set(rows.flatMap(({ input }) => (input.parent_id ? [input.parent_id] : [])))]);

  const items: DesiredItem[] = [];
  const lineOf = new Map<string, number>();
  for (const [i, { line, input }] of rows.entries()) {
    const id = ids[i];
    const problems: Rejection[] = [];
    const reject = (column: string, reason: string) => problems.push({ line, column, reason });
    if (lineOf.has(id)) reject(input.id ? 'id' : 'external_id', `names the same event ("${id}") as line ${lineOf.get(id)}`);
    const holder = input.external_id ? holders.get(input.external_id) : undefined;
    if (holder && holder.id !== id) reject('external_id', `already belongs to the event "${holder.id}"`);
    if (stored.get(id)?.deletedAt) reject('id', `the event "${id}" was deleted; it is not brought back`);
    if (input.parent_id) {
      if (input.parent_id === id) reject('parent_id', 'an event cannot be part of itself');
      else if (!parents.has(input.parent_id)) reject('parent_id', `no event has the id "${input.parent_id}"`);
      else if (stored.has(id) && (await repo.ancestorIds(input.parent_id)).includes(id)) {
        reject('parent_id', `would make "${id}" part of itself (a cycle of parents)`);
      }
    }
    const cite = (subjectKey: string, sources: { id: string; excerpt: string }[], path: string) =>
      sources.map((source, j) => {
        const text = texts.get(source.id);
        if (text === undefined) reject(`${path}.${j}.id`, `no source has the id "${source.id}"`);
        else if (text !== null && !text.includes(source.excerpt)) reject(`${path}.${j}.excerpt`, `is not a verbatim passage of source "${source.id}"`);
        return linkTo(subjectKey, source.id, text ?? null, source.excerpt);
      });
    const provenance = cite(id, input.sources, 'sources');
    const seen = new Set<string>();
    const participants = (input.participants ?? []).map((p, j) => {
      if (!actors.has(p.actor_id)) reject(`participants.${j}.actor_id`, `no actor has the id "${p.actor_id}"`);
      if (seen.has(`${p.actor_id}/${p.role}`)) reject(`participants.${j}`, `${p.actor_id} is already listed as ${p.role}`);
      seen.add(`${p.actor_id}/${p.role}`);
      return {
        id: participantId(id, p.actor_id, p.role),
        eventId: id,
        actorId: p.actor_id,
        role: p.role,
        notes: p.notes ?? null,
        provenance: cite(`${id}/${p.actor_id}/${p.role}`, p.sources ?? [], `participants.${j}.sources`),
      };
    });
    if (problems.length > 0) {
      rejections.push(...problems);
      continue;
    }
    items.push({ line, event: { id, data: eventData(input), provenance, participants } });
    lineOf.set(id, line);
    // A later line of the batch may name this event as its parent.
    parents.add(id);
  }
  const batch: DesiredBatch = { actors: [], items };
  return { batch, rejections };
}
