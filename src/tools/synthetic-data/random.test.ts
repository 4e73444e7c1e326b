import { describe, expect, it } from 'vitest';
import { Random } from './random.js';

describe('seeded random streams', () => {
  it('the same seed parts give the same stream; other parts another one', () => {
    const draw = (...parts: number[]) => {
      const rng = new Random(...parts);
      return Array.from({ length: 5 }, () => rng.next());
    };
    expect(draw(42, 1, 7)).toEqual(draw(42, 1, 7));
    expect(draw(42, 1, 7)).not.toEqual(draw(42, 1, 8));
    expect(draw(42, 1, 7)).not.toEqual(draw(43, 1, 7));
    expect(draw(42, 1, 7).every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('draws version 4 UUIDs that never collide across many streams', () => {
    const seen = new Set<string>();
    for (let chunk = 0; chunk < 200; chunk++) {
      const rng = new Random(42, chunk % 20, chunk);
      for (let i = 0; i < 2000; i++) seen.add(rng.uuid());
    }
    expect(seen.size).toBe(400_000);
    for (const id of [...seen].slice(0, 1000)) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('weighted draws follow the weights', () => {
    const rng = new Random(1);
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 20_000; i++) counts[rng.weighted(['a', 'b'] as const, [3, 1])]++;
    expect(counts.a / 20_000).toBeGreaterThan(0.72);
    expect(counts.a / 20_000).toBeLessThan(0.78);
  });
});
