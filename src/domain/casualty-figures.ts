// Casualty figures from different reporters are never summed (domain.md): two reports may
// cover overlapping scopes (a UN toll for a whole conflict, an official's toll for one
// clash), so adding them double counts. Figures are shown side by side with their range.

export interface Figure {
  min: number | null;
  max: number | null;
}

export interface Range {
  low: number | null;
  high: number | null;
}

/**
 * The low-high range across figures that were given. `high` is null when any figure is
 * open-ended ("at least N"): nothing bounds it from above.
 */
export function rangeOf(figures: (Figure | null)[]): Range | null {
  const given = figures.filter((f): f is Figure => f !== null && (f.min !== null || f.max !== null));
  if (given.length === 0) return null;
  const lows = given.map((f) => f.min ?? f.max ?? 0);
  const openEnded = given.some((f) => f.max === null);
  return {
    low: Math.min(...lows),
    high: openEnded ? null : Math.max(...given.map((f) => f.max as number)),
  };
}

function sameFigure(a: Figure | null, b: Figure | null): boolean {
  return (a?.min ?? null) === (b?.min ?? null) && (a?.max ?? null) === (b?.max ?? null);
}

export interface ReportedFigures {
  /** Who reported; null for an unattributed report. */
  reporterId: string | null;
  killed: Figure | null;
  injured: Figure | null;
}

/** Contested: at least two different reporters, and their figures differ. */
export function isContested(reports: ReportedFigures[]): boolean {
  const reporters = new Set(reports.map((r) => r.reporterId));
  if (reporters.size < 2) return false;
  const [first, ...rest] = reports;
  return rest.some((r) => !sameFigure(r.killed, first.killed) || !sameFigure(r.injured, first.injured));
}
