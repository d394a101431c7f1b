// ACLED's published event taxonomy, so that ACLED exports import without mapping tables.

export const EVENT_TAXONOMY = [
  {
    event_type: 'Battles',
    disorder_type: 'Political violence',
    sub_event_types: ['Armed clash', 'Government regains territory', 'Non-state actor overtakes territory'],
  },
  {
    event_type: 'Explosions/Remote violence',
    disorder_type: 'Political violence',
    sub_event_types: [
      'Chemical weapon',
      'Air/drone strike',
      'Suicide bomb',
      'Shelling/artillery/missile attack',
      'Remote explosive/landmine/IED',
      'Grenade',
    ],
  },
  {
    event_type: 'Violence against civilians',
    disorder_type: 'Political violence',
    sub_event_types: ['Sexual violence', 'Attack', 'Abduction/forced disappearance'],
  },
  {
    event_type: 'Protests',
    disorder_type: 'Demonstrations',
    sub_event_types: ['Peaceful protest', 'Protest with intervention', 'Excessive force against protesters'],
  },
  {
    event_type: 'Riots',
    disorder_type: 'Political violence; Demonstrations',
    sub_event_types: ['Violent demonstration', 'Mob violence'],
  },
  {
    event_type: 'Strategic developments',
    disorder_type: 'Strategic developments',
    sub_event_types: [
      'Agreement',
      'Arrests',
      'Change to group/activity',
      'Disrupted weapons use',
      'Headquarters or base established',
      'Looting/property destruction',
      'Non-violent transfer of territory',
      'Other',
    ],
  },
] as const;

export type EventType = (typeof EVENT_TAXONOMY)[number]['event_type'];
export type SubEventType = (typeof EVENT_TAXONOMY)[number]['sub_event_types'][number];

export const EVENT_TYPES = EVENT_TAXONOMY.map((t) => t.event_type) as [EventType, ...EventType[]];
export const SUB_EVENT_TYPES = EVENT_TAXONOMY.flatMap((t) => t.sub_event_types) as [SubEventType, ...SubEventType[]];

/** The event type a sub-event type belongs to. */
export function eventTypeOf(subEventType: string): EventType | undefined {
  return EVENT_TAXONOMY.find((t) => (t.sub_event_types as readonly string[]).includes(subEventType))?.event_type;
}
