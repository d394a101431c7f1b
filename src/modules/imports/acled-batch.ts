import { derivedId, type IdPrefix } from '../../domain/ids.js';
import { participantId } from '../events/events.repository.js';
import type { AcledEvent } from './acled-row.js';
import { linkTo, type DesiredActor, type DesiredBatch, type DesiredItem, type DesiredParticipant } from './batch-writer.js';
import type { ImportsRepository } from './imports.repository.js';
import type { ActorKind, Rejection } from './imports.types.js';

// ACLED rows in the ledger's records. Each row is its own source (its `source` and `notes`
// columns are the source text); its event, participants and ACLED's casualty report all cite
// a verbatim passage of that text. Ids derive from event_id_cnty, so a re-run finds what an
// earlier (maybe interrupted) run wrote.

/** The reporter of ACLED's fatality figures. */
export const ACLED_REPORTER = 'ACLED';

/** A readable id from ACLED's event_id_cnty when it is made of safe characters; a hash otherwise. */
export function acledRecordId(prefix: IdPrefix, externalId: string): string {
  return /^[A-Za-z0-9_-]{1,90}$/.test(externalId) ? `${prefix}_acled_${externalId}` : derivedId(prefix, 'acled', externalId);
}

function actorIdFor(name: string): string {
  return derivedId('act', 'acled-actor', name);
}

interface Role {
  name: string;
  kind: ActorKind;
  role: 'side_a' | 'side_b';
  notes: string | null;
}

function rolesOf(event: AcledEvent): Role[] {
  const roles: Role[] = [{ ...event.sideA, role: 'side_a', notes: null }];
  for (const name of event.associatedA) {
    roles.push({ name, kind: 'other', role: 'side_a', notes: `Associated with ${event.sideA.name} (ACLED assoc_actor_1).` });
  }
  if (event.sideB) {
    roles.push({ ...event.sideB, role: 'side_b', notes: null });
    for (const name of event.associatedB) {
      roles.push({ name, kind: 'other', role: 'side_b', notes: `Associated with ${event.sideB.name} (ACLED assoc_actor_2).` });
    }
  }
  return roles;
}

/**
 * The batch to write for checked ACLED rows: actors found by name (or alias) or created,
 * and rows that cannot be written (an actor or event that was deleted) as rejections.
 */
export async function acledBatch(repo: ImportsRepository, rows: { line: number; event: AcledEvent }[]) {
  const rejections: Rejection[] = [];
  const names = [...new Set([ACLED_REPORTER, ...rows.flatMap(({ event }) => rolesOf(event).map((r) => r.name))])];
  const known = await repo.actorsByName(names);
  const unknown = names.filter((name) => !known.has(name));
  const taken = await repo.actorIds(unknown.map(actorIdFor));
  const deletedActors = new Set<string>();
  for (const name of unknown) {
    const state = taken.get(actorIdFor(name));
    if (state?.deleted) deletedActors.add(name);
    // An actor this import created once and someone renamed since: still the same actor.
    else if (state) known.set(name, actorIdFor(name));
  }

  const holders = await repo.eventsByExternalId(rows.map(({ event }) => event.externalId));
  const freshIds = rows.filter(({ event }) => !holders.has(event.externalId)).map(({ event }) => acledRecordId('evt', event.externalId));
  const idsInUse = await repo.events(freshIds);

  const actors = new Map<string, DesiredActor>();
  const actorId = (name: string, kind: ActorKind, sourceId: string, text: string, excerpt: string): string => {
    const found = known.get(name);
    if (found) return found;
    const id = actorIdFor(name);
    if (!actors.has(name)) actors.set(name, { id, data: { name, kind }, provenance: [linkTo(id, sourceId, text, excerpt)] });
    return id;
  };

  const items: DesiredItem[] = [];
  for (const { line, event } of rows) {
    const holder = holders.get(event.externalId);
    const eventId = holder?.id ?? acledRecordId('evt', event.externalId);
    const problems: Rejection[] = [];
    if (holder?.deleted) {
      problems.push({ line, column: 'event_id_cnty', reason: `the event "${eventId}" imported from ${event.externalId} was deleted from the ledger; it is not brought back` });
    } else if (!holder && idsInUse.has(eventId)) {
      problems.push({ line, column: 'event_id_cnty', reason: `the id "${eventId}" is taken by an event with another external id` });
    }
    const roles = rolesOf(event);
    for (const role of roles) {
      if (deletedActors.has(role.name)) {
        problems.push({ line, column: role.role === 'side_a' ? 'actor1' : 'actor2', reason: `the actor "${role.name}" was deleted from the ledger; restore it or rename the actor in the file` });
      }
    }
    if (deletedActors.has(ACLED_REPORTER)) problems.push({ line, column: 'fatalities', reason: 'the actor "ACLED" (the reporter) was deleted from the ledger' });
    if (problems.length > 0) {
      rejections.push(...problems);
      continue;
    }

    const sourceId = acledRecordId('src', event.externalId);
    const text = event.source.text;
    const cite = (subjectKey: string) => [linkTo(subjectKey, sourceId, text, event.excerpt)];
    const participants = new Map<string, DesiredParticipant>();
    for (const role of roles) {
      const actor = actorId(role.name, role.kind, sourceId, text, event.excerpt);
      const id = participantId(eventId, actor, role.role);
      if (participants.has(id)) continue;
      participants.set(id, { id, eventId, actorId: actor, role: role.role, notes: role.notes, provenance: cite(`${eventId}/${actor}/${role.role}`) });
    }
    const reportId = acledRecordId('cas', event.externalId);
    items.push({
      line,
      source: {
        id: sourceId,
        data: {
          title: event.source.title,
          publisher: ACLED_REPORTER,
          url: null,
          originalUrl: null,
          language: null,
          publishedOn: event.source.publishedOn,
          kind: 'dataset',
          credit: null,
          notes: event.source.notes,
          text,
        },
      },
      event: {
        id: eventId,
        // parent_id and status are left to editors: a re-import does not clear them.
        data: {
          title: event.title,
          eventType: event.eventType,
          subEventType: event.subEventType,
          startDate: event.startDate,
          endDate: event.endDate,
          datePrecision: event.datePrecision,
          dateNote: event.dateNote,
          country: event.country,
          admin1: event.admin1,
          admin2: event.admin2,
          location: event.location,
          latitude: event.latitude,
          longitude: event.longitude,
          geoPrecision: event.geoPrecision,
          description: event.description,
          notes: event.notes,
          externalId: event.externalId,
        },
        provenance: cite(eventId),
        participants: [...participants.values()],
      },
      casualtyReport: {
        id: reportId,
        data: {
          eventId,
          reportedById: actorId(ACLED_REPORTER, 'other', sourceId, text, event.excerpt),
          statementId: null,
          reportedOn: event.reportedOn,
          reportedOnPrecision: event.reportedOn ? 'day' : null,
          periodStart: event.startDate,
          periodEnd: event.endDate,
          category: 'unspecified',
          affectedActorId: null,
          affectedCountry: null,
          killedMin: event.fatalities,
          killedMax: event.fatalities,
          injuredMin: null,
          injuredMax: null,
          qualifier: null,
          notes: null,
        },
        provenance: cite(reportId),
      },
    });
  }
  const batch: DesiredBatch = { actors: [...actors.values()], items };
  return { batch, rejections };
}
