import { derivedId } from '../../domain/ids.js';
import { recordDiff } from '../../domain/record-diff.js';
import { groupBy } from '../../domain/group-by.js';
import { toActorResource } from '../actors/actors.mapper.js';
import { toCasualtyReportResource } from '../casualty-reports/casualty-reports.mapper.js';
import { toEventResource, toParticipant } from '../events/events.mapper.js';
import type { ProvenanceLink, ProvenanceSubject } from '../provenance/provenance.repository.js';
import type { NewRevision } from '../revisions/revisions.repository.js';
import { toSourceResource } from '../sources/sources.service.js';
import type { CasualtyData, EventData, ImportsRepository, SourceData } from './imports.repository.js';

// Writes one batch of events, with what hangs off them, as the API would have: the same
// derived ids for participants and provenance, tombstones instead of deletions, a version
// bump on every change, and one revision per created or changed record (with the record
// as the API shows it) in the changes feed. Rows that already hold what the file says are
// left alone, so importing a file twice changes nothing.

export interface DesiredParticipant {
  id: string;
  eventId: string;
  actorId: string;
  role: string;
  notes: string | null;
  provenance: ProvenanceLink[];
}

export interface DesiredItem {
  line: number;
  event: { id: string; data: EventData; provenance: ProvenanceLink[]; participants: DesiredParticipant[] };
  /** The source record the row is (ACLED: each row is its own source). */
  source?: { id: string; data: SourceData };
  casualtyReport?: { id: string; data: CasualtyData; provenance: ProvenanceLink[] };
}

export interface DesiredActor {
  id: string;
  data: { name: string; kind: string };
  provenance: ProvenanceLink[];
}

export interface DesiredBatch {
  /** Actors to create; ones whose id is already taken are left as they are. */
  actors: DesiredActor[];
  items: DesiredItem[];
}

export type ItemOutcome = 'created' | 'updated' | 'unchanged';

/** A provenance link to a passage of a source whose text is known here. */
export function linkTo(subjectKey: string, sourceId: string, sourceText: string | null, excerpt: string): ProvenanceLink {
  const start = sourceText ? sourceText.indexOf(excerpt) : -1;
  return {
    id: derivedId('prv', subjectKey, sourceId, excerpt),
    sourceId,
    excerpt,
    startOffset: start >= 0 ? start : null,
    endOffset: start >= 0 ? start + excerpt.length : null,
  };
}

function differs(data: object, row: object): boolean {
  const stored = row as Record<string, unknown>;
  return Object.entries(data).some(([key, value]) => (value ?? null) !== (stored[key] ?? null));
}

/** A stored provenance row; `deletedAt` is null while it is live (its value is not read). */
type ProvenanceRowLite = { id: string; deletedAt: unknown; startOffset: number | null; endOffset: number | null };

/** What to do so that `links` become a subject's live provenance; whether anything changes. */
function planProvenance(subject: ProvenanceSubject, links: ProvenanceLink[], stored: ProvenanceRowLite[], plan: WritePlan): boolean {
  const wanted = new Set(links.map((link) => link.id));
  const byId = new Map(stored.map((row) => [row.id, row]));
  let changed = false;
  for (const link of links) {
    const row = byId.get(link.id);
    if (!row) {
      plan.provenanceInserts.push({ ...link, ...subject });
      changed = true;
    } else if (row.deletedAt !== null || row.startOffset !== link.startOffset || row.endOffset !== link.endOffset) {
      plan.provenanceRevivals.push(link);
      changed = true;
    }
  }
  for (const row of stored) {
    if (row.deletedAt === null && !wanted.has(row.id)) {
      plan.provenanceTombstones.push(row.id);
      changed = true;
    }
  }
  return changed;
}

interface WritePlan {
  provenanceInserts: (ProvenanceLink & ProvenanceSubject)[];
  provenanceRevivals: ProvenanceLink[];
  provenanceTombstones: string[];
}

function toEventSnapshot(row: Parameters<typeof toEventResource>[0], participants: Parameters<typeof toParticipant>[0][]) {
  return { ...toEventResource(row), participants: participants.map(toParticipant) };
}

/** Reads the records as the API shows them (and as the write services record them). */
async function snapshots(repo: ImportsRepository, ids: { events: string[]; sources: string[]; actors: string[]; casualtyReports: string[] }) {
  const [events, participants, sources, actors, reports] = [
    await repo.eventSnapshots(ids.events),
    await repo.participantSnapshots(ids.events),
    await repo.sourceSnapshots(ids.sources),
    await repo.actorSnapshots(ids.actors),
    await repo.casualtyReportSnapshots(ids.casualtyReports),
  ];
  const participantsBy = groupBy(participants, (p) => p.eventId);
  return {
    events: new Map(events.map((row) => [row.id, toEventSnapshot(row, participantsBy.get(row.id) ?? [])])),
    sources: new Map(sources.map((row) => [row.id, toSourceResource(row)])),
    actors: new Map(actors.map((row) => [row.id, toActorResource(row)])),
    casualtyReports: new Map(reports.map((row) => [row.id, toCasualtyReportResource(row)])),
  };
}

/**
 * Writes a batch inside the caller's write transaction and returns, per item, whether its
 * event was created, updated or already as the file says.
 */
export async function writeBatch(repo: ImportsRepository, batch: DesiredBatch, changedBy: string): Promise<ItemOutcome[]> {
  const { items } = batch;
  const eventIds = items.map((item) => item.event.id);
  const sourceIds = items.flatMap((item) => (item.source ? [item.source.id] : []));
  const reportIds = items.flatMap((item) => (item.casualtyReport ? [item.casualtyReport.id] : []));

  // ---- what is stored now ----
  const storedEvents = await repo.events(eventIds);
  const storedSources = await repo.sources(sourceIds);
  const storedReports = await repo.casualtyReports(reportIds);
  const storedActors = await repo.actorIds(batch.actors.map((actor) => actor.id));
  const storedParticipants = groupBy(await repo.participants(eventIds), (p) => p.eventId);
  const participantIds = items.flatMap((item) => item.event.participants.map((p) => p.id));
  const storedProvenance = await repo.provenance({
    eventIds,
    participantIds: [...participantIds, ...[...storedParticipants.values()].flat().map((p) => p.id)],
    casualtyReportIds: reportIds,
  });
  const provenanceOf = (key: 'eventId' | 'participantId' | 'casualtyReportId') => groupBy(storedProvenance.filter((row) => row[key] !== null), (row) => row[key]!);
  const provenanceByEvent = provenanceOf('eventId');
  const provenanceByParticipant = provenanceOf('participantId');
  const provenanceByReport = provenanceOf('casualtyReportId');

  // ---- the plan ----
  const plan: WritePlan = { provenanceInserts: [], provenanceRevivals: [], provenanceTombstones: [] };
  const newActors = batch.actors.filter((actor) => !storedActors.has(actor.id));
  const sourceInserts: { id: string; data: SourceData }[] = [];
  const sourceUpdates: { id: string; data: SourceData }[] = [];
  const eventInserts: { id: string; data: EventData }[] = [];
  const eventUpdates: { id: string; data: EventData }[] = [];
  const participantInserts: DesiredParticipant[] = [];
  const participantRevivals: DesiredParticipant[] = [];
  const participantTombstones: string[] = [];
  const reportInserts: { id: string; data: CasualtyData }[] = [];
  const reportUpdates: { id: string; data: CasualtyData }[] = [];
  const outcomes: ItemOutcome[] = [];

  for (const item of items) {
    const { event } = item;
    const storedEvent = storedEvents.get(event.id);
    let changed = false;

    if (item.source) {
      const stored = storedSources.get(item.source.id);
      if (!stored) sourceInserts.push(item.source);
      else if (differs(item.source.data, stored)) {
        sourceUpdates.push(item.source);
        changed = true;
      }
    }

    if (!storedEvent) eventInserts.push(event);
    changed = planProvenance({ eventId: event.id }, event.provenance, provenanceByEvent.get(event.id) ?? [], plan) || changed;

    const stored = new Map((storedParticipants.get(event.id) ?? []).map((p) => [p.id, p]));
    const wanted = new Set(event.participants.map((p) => p.id));
    for (const participant of event.participants) {
      const row = stored.get(participant.id);
      if (!row) participantInserts.push(participant);
      else if (row.deletedAt !== null || (row.notes ?? null) !== participant.notes) participantRevivals.push(participant);
      if (!row || row.deletedAt !== null || (row.notes ?? null) !== participant.notes) changed = true;
      changed = planProvenance({ participantId: participant.id }, participant.provenance, provenanceByParticipant.get(participant.id) ?? [], plan) || changed;
    }
    for (const row of stored.values()) {
      if (row.deletedAt === null && !wanted.has(row.id)) {
        participantTombstones.push(row.id);
        changed = true;
      }
    }

    if (item.casualtyReport) {
      const report = item.casualtyReport;
      const storedReport = storedReports.get(report.id);
      const provenanceChanged = planProvenance({ casualtyReportId: report.id }, report.provenance, provenanceByReport.get(report.id) ?? [], plan);
      if (!storedReport) reportInserts.push(report);
      else if (differs(report.data, storedReport) || provenanceChanged) {
        reportUpdates.push(report);
        changed = true;
      }
    }

    if (storedEvent && (changed || differs(event.data, storedEvent))) eventUpdates.push(event);
    outcomes.push(!storedEvent ? 'created' : eventUpdates.at(-1) === event ? 'updated' : 'unchanged');
  }

  // ---- before: the changed records as they were ----
  const before = await snapshots(repo, {
    events: eventUpdates.map((e) => e.id),
    sources: sourceUpdates.map((s) => s.id),
    actors: [],
    casualtyReports: reportUpdates.map((r) => r.id),
  });

  // ---- write: parents before the rows that point at them ----
  await repo.insertSources(sourceInserts.map(({ id, data }) => ({ id, ...data })));
  for (const { id, data } of sourceUpdates) await repo.updateSource(id, data);
  await repo.insertActors(newActors.map(({ id, data }) => ({ id, ...data })));
  await repo.insertEvents(eventInserts.map(({ id, data }) => ({ id, ...data })));
  for (const { id, data } of eventUpdates) await repo.updateEvent(id, data);
  await repo.insertParticipants(
    participantInserts.map((p) => ({ id: p.id, eventId: p.eventId, actorId: p.actorId, role: p.role, notes: p.notes })),
  );
  for (const p of participantRevivals) await repo.reviveParticipant(p.id, p.notes);
  await repo.tombstoneParticipants(participantTombstones);
  await repo.insertCasualtyReports(reportInserts.map(({ id, data }) => ({ id, ...data })));
  for (const { id, data } of reportUpdates) await repo.updateCasualtyReport(id, data);
  await repo.insertProvenance([...newActors.flatMap((actor) => actor.provenance.map((link) => ({ ...link, actorId: actor.id }))), ...plan.provenanceInserts]);
  for (const link of plan.provenanceRevivals) await repo.reviveProvenance(link.id, link.startOffset, link.endOffset);
  await repo.tombstoneProvenance(plan.provenanceTombstones);

  // ---- after: one revision per created or changed record ----
  const after = await snapshots(repo, {
    events: [...eventInserts, ...eventUpdates].map((e) => e.id),
    sources: [...sourceInserts, ...sourceUpdates].map((s) => s.id),
    actors: newActors.map((a) => a.id),
    casualtyReports: [...reportInserts, ...reportUpdates].map((r) => r.id),
  });
  const revisions: NewRevision[] = [];
  const record = (resource: string, ids: string[], was: Map<string, { version: number }>, is: Map<string, { version: number }>) => {
    for (const id of ids) {
      const previous = was.get(id) ?? null;
      const now = is.get(id);
      if (!now) continue;
      revisions.push({
        resource,
        recordId: id,
        version: now.version,
        action: previous ? 'updated' : 'created',
        changedBy,
        changes: recordDiff(previous, now),
        snapshot: now,
      });
    }
  };
  record('sources', [...sourceInserts, ...sourceUpdates].map((s) => s.id), before.sources, after.sources);
  record('actors', newActors.map((a) => a.id), new Map(), after.actors);
  record('events', [...eventInserts, ...eventUpdates].map((e) => e.id), before.events, after.events);
  record('casualty-reports', [...reportInserts, ...reportUpdates].map((r) => r.id), before.casualtyReports, after.casualtyReports);
  await repo.recordRevisions(revisions);
  return outcomes;
}
