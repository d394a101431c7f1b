// Filled from the seed below.
export const EVENT_EXAMPLE = {};
