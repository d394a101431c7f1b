import type { Exporter } from '../../http/export.js';
import type { SourceResource } from './sources.schemas.js';

export const sourceExporter: Exporter<SourceResource> = {
  filename: 'sources',
  columns: ['id', 'title', 'publisher', 'url', 'original_url', 'language', 'published_on', 'kind', 'credit', 'notes', 'has_text', 'version', 'created_at', 'updated_at'],
  flatten: (s) => ({
    id: s.id,
    title: s.title,
    publisher: s.publisher,
    url: s.url,
    original_url: s.original_url,
    language: s.language,
    published_on: s.published_on,
    kind: s.kind,
    credit: s.credit,
    notes: s.notes,
    has_text: s.has_text,
    version: s.version,
    created_at: s.created_at,
    updated_at: s.updated_at,
  }),
};
