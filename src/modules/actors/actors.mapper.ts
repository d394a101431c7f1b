import { toSourceRefs } from '../provenance/provenance.service.js';
import type { ActorRow } from './actors.repository.js';
import type { ActorResource } from './actors.schemas.js';

type ActorCore = Omit<ActorResource, 'events' | 'statements_made' | 'statements_targeting' | 'children'>;

export function toActorResource(row: ActorRow): ActorCore {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as ActorResource['kind'],
    country: row.country,
    parent_id: row.parentId,
    title: row.title,
    aliases: row.aliases.map((a) => a.alias),
    notes: row.notes,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    version: row.version,
    sources: toSourceRefs(row.provenance),
  };
}
