// Filled from the seed below.
export const ACTOR_EXAMPLE = {};
