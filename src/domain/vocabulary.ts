// The closed vocabularies of domain.md. The database stores them as text (one model for
// SQLite and PostgreSQL); these lists are the single place that says what is allowed.

export const ACTOR_KINDS = [
  'state',
  'government',
  'ministry',
  'armed_forces',
  'intelligence_agency',
  'department',
  'armed_group',
  'intergovernmental_org',
  'media',
  'person',
  'other',
] as const;

export const PARTICIPANT_ROLES = [
  'side_a',
  'side_b',
  'perpetrator',
  'target',
  'mediator',
  'host',
  'delegation',
  'delegation_lead',
  'participant',
] as const;

export const DATE_PRECISIONS = ['day', 'week', 'month', 'year', 'range'] as const;

/** From most to least exact. ACLED's geo_precision 1/2/3 map to locality/admin2/admin1. */
export const GEO_PRECISIONS = ['exact', 'locality', 'admin2', 'admin1', 'country', 'region'] as const;

export const EVENT_STATUSES = ['planned', 'ongoing', 'stalled', 'concluded', 'in_effect', 'collapsed'] as const;

export const STATEMENT_KINDS = [
  'accusation',
  'denial',
  'claim',
  'demand',
  'commitment',
  'warning',
  'announcement',
  'appreciation',
  'report',
] as const;

export const ATTRIBUTIONS = ['stated', 'inferred', 'ambiguous'] as const;

export const CASUALTY_CATEGORIES = ['civilians', 'military', 'combatants', 'unspecified'] as const;

export const SOURCE_KINDS = ['news_article', 'press_release', 'report', 'dataset', 'other'] as const;
