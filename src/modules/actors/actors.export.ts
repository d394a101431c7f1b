import { joined, type Exporter } from '../../http/export.js';
import type { ActorResource } from './actors.schemas.js';

export const actorExporter: Exporter<ActorResource> = {
  filename: 'actors',
  columns: ['id', 'name', 'kind', 'country', 'parent_id', 'title', 'aliases', 'notes', 'source_id', 'source_url', 'source_excerpt', 'version', 'created_at', 'updated_at'],
  flatten: (a) => ({
    id: a.id,
    name: a.name,
    kind: a.kind,
    country: a.country,
    parent_id: a.parent_id,
    title: a.title,
    aliases: joined(a.aliases),
    notes: a.notes,
    source_id: a.sources[0]?.id ?? null,
    source_url: a.sources[0]?.url ?? null,
    source_excerpt: a.sources[0]?.excerpt ?? null,
    version: a.version,
    created_at: a.created_at,
    updated_at: a.updated_at,
  }),
};
