import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { EVENT_TAXONOMY } from '../../domain/taxonomy.js';

const TaxonomySchema = z
  .object({
    data: z.array(
      z.object({
        event_type: z.string(),
        disorder_type: z.string(),
        sub_event_types: z.array(z.string()),
      }),
    ),
  })
  .meta({ id: 'EventTaxonomy', description: "ACLED's event types and their sub-event types." });

export const taxonomyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/taxonomy/event-types',
    {
      schema: {
        operationId: 'listEventTypes',
        tags: ['taxonomy'],
        summary: 'Event types and sub-event types',
        description: "ACLED's published taxonomy: 6 event types and their 25 sub-event types, valid in `event_type` and `sub_event_type`.",
        response: { 200: TaxonomySchema },
      },
    },
    async () => ({ data: EVENT_TAXONOMY.map((t) => ({ ...t, sub_event_types: [...t.sub_event_types] })) }),
  );
};
