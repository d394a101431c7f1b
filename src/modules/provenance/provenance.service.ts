import { InvalidInputError, type FieldError } from '../../domain/errors.js';
import { derivedId } from '../../domain/ids.js';
import type { SourceRef } from '../../http/schemas.js';
import type { ProvenanceLink, ProvenanceRepository, ProvenanceRow } from './provenance.repository.js';

export interface ProvenanceInput {
  id: string;
  excerpt: string;
}

// A fact without a source passage is a claim with no claimant; these rules make every
// stored excerpt checkable against the source it cites.
export function createProvenanceService(repository: Pick<ProvenanceRepository, 'sourceTexts'>) {
  return {
    /**
     * Checks each excerpt against its source and returns the links to store. An excerpt
     * must be a verbatim substring of the source's stored text (when the source has text);
     * its offsets are where it first occurs.
     */
    async resolve(subjectKey: string, inputs: ProvenanceInput[], path: string): Promise<ProvenanceLink[]> {
      const texts = await repository.sourceTexts([...new Set(inputs.map((input) => input.id))]);
      const errors: FieldError[] = [];
      const links = inputs.map((input, i) => {
        const text = texts.get(input.id);
        if (text === undefined) {
          errors.push({ path: `${path}.${i}.id`, message: `no source has the id "${input.id}"` });
        }
        const start = text ? text.indexOf(input.excerpt) : -1;
        if (text && start < 0) {
          errors.push({ path: `${path}.${i}.excerpt`, message: `is not a verbatim passage of source "${input.id}"` });
        }
        return {
          id: derivedId('prv', subjectKey, input.id, input.excerpt),
          sourceId: input.id,
          excerpt: input.excerpt,
          startOffset: start >= 0 ? start : null,
          endOffset: start >= 0 ? start + input.excerpt.length : null,
        };
      });
      if (errors.length > 0) throw new InvalidInputError('Some provenance does not match its source.', errors);
      return links;
    },
  };
}

export type ProvenanceService = ReturnType<typeof createProvenanceService>;

/** What a source reference needs of a provenance row (Prisma's rows and raw SQL rows alike). */
export type SourceRefRow = Pick<ProvenanceRow, 'excerpt' | 'startOffset' | 'endOffset'> & { source: ProvenanceRow['source'] };

export function toSourceRefs(rows: SourceRefRow[]): SourceRef[] {
  return rows.map((row) => ({
    id: row.source.id,
    title: row.source.title,
    url: row.source.url,
    excerpt: row.excerpt,
    start_offset: row.startOffset,
    end_offset: row.endOffset,
  }));
}
