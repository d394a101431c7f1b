// Filled from the seed below.
export const CASUALTY_REPORT_EXAMPLE = {};
