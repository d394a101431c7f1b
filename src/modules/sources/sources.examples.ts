// Filled from the seed below.
export const SOURCE_EXAMPLE = {};
