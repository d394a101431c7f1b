// Filled from the seed below.
export const STATEMENT_EXAMPLE = {};
