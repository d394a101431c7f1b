import { describe, expect, it } from 'vitest';
import { isContested, rangeOf } from '../../src/domain/casualty-figures.js';

describe('rangeOf', () => {
  it('spans the figures given, never adding them', () => {
    expect(rangeOf([{ min: 50, max: 50 }, { min: 4, max: 4 }])).toEqual({ low: 4, high: 50 });
  });
  it('is open-ended above when a figure is "at least N"', () => {
    expect(rangeOf([{ min: 5, max: null }, { min: 7, max: 7 }])).toEqual({ low: 5, high: null });
  });
  it('uses each figure\'s own bounds', () => {
    expect(rangeOf([{ min: 10, max: 20 }, { min: 15, max: 30 }])).toEqual({ low: 10, high: 30 });
  });
  it('is null when nobody gave a figure', () => {
    expect(rangeOf([null, null])).toBeNull();
  });
});

describe('isContested', () => {
  const un = { reporterId: 'un', killed: { min: 50, max: 50 }, injured: null };
  it('is true when different reporters disagree', () => {
    expect(isContested([un, { reporterId: 'official', killed: { min: 4, max: 4 }, injured: null }])).toBe(true);
  });
  it('is false when different reporters agree', () => {
    expect(isContested([un, { ...un, reporterId: 'official' }])).toBe(false);
  });
  it('is false for a single reporter', () => {
    expect(isContested([un])).toBe(false);
  });
});
