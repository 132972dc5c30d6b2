// Where synthetic members and providers live: a few cities in four Midwest/Appalachian states, ZIP
// codes drawn from each city's real 3-digit ZIP area, and a synthetic deprivation percentile per ZIP.
import { Rng } from '../rng.ts';

export interface City {
  city: string;
  state: string;
  /** First and last 5-digit ZIP of the city's range (ZIPs in between are sampled). */
  zipFrom: number;
  zipTo: number;
  /** How many ZIPs to draw from the range. */
  zips: number;
  /** Typical deprivation percentile of the city (1 least, 100 most deprived). */
  adi: number;
  /** Relative population weight. */
  weight: number;
}

// Deprivation baselines are rough, public-knowledge orderings (e.g. Detroit, Flint and eastern
// Kentucky among the most deprived areas, Ann Arbor among the least); the ZIP-level values are synthetic.
export const CITIES: readonly City[] = [
  { city: 'Columbus', state: 'OH', zipFrom: 43201, zipTo: 43235, zips: 18, adi: 45, weight: 9 },
  { city: 'Cleveland', state: 'OH', zipFrom: 44102, zipTo: 44135, zips: 16, adi: 74, weight: 7 },
  { city: 'Cincinnati', state: 'OH', zipFrom: 45202, zipTo: 45248, zips: 16, adi: 55, weight: 6 },
  { city: 'Dayton', state: 'OH', zipFrom: 45402, zipTo: 45440, zips: 10, adi: 66, weight: 4 },
  { city: 'Athens', state: 'OH', zipFrom: 45701, zipTo: 45780, zips: 8, adi: 82, weight: 2 },
  { city: 'Pittsburgh', state: 'PA', zipFrom: 15201, zipTo: 15238, zips: 16, adi: 46, weight: 7 },
  { city: 'Philadelphia', state: 'PA', zipFrom: 19102, zipTo: 19154, zips: 20, adi: 62, weight: 10 },
  { city: 'Harrisburg', state: 'PA', zipFrom: 17101, zipTo: 17112, zips: 6, adi: 50, weight: 3 },
  { city: 'Scranton', state: 'PA', zipFrom: 18501, zipTo: 18512, zips: 6, adi: 63, weight: 2 },
  { city: 'Detroit', state: 'MI', zipFrom: 48201, zipTo: 48235, zips: 18, adi: 88, weight: 8 },
  { city: 'Grand Rapids', state: 'MI', zipFrom: 49503, zipTo: 49548, zips: 10, adi: 44, weight: 4 },
  { city: 'Ann Arbor', state: 'MI', zipFrom: 48103, zipTo: 48109, zips: 5, adi: 18, weight: 2 },
  { city: 'Flint', state: 'MI', zipFrom: 48502, zipTo: 48507, zips: 5, adi: 92, weight: 2 },
  { city: 'Louisville', state: 'KY', zipFrom: 40202, zipTo: 40245, zips: 16, adi: 58, weight: 6 },
  { city: 'Lexington', state: 'KY', zipFrom: 40502, zipTo: 40517, zips: 8, adi: 42, weight: 3 },
  { city: 'Pikeville', state: 'KY', zipFrom: 41501, zipTo: 41572, zips: 8, adi: 94, weight: 1 },
];

export const STATES: readonly string[] = ['OH', 'PA', 'MI', 'KY'];

export interface Zip {
  zip: string;
  city: string;
  state: string;
  stateIndex: number;
  adi: number;
  weight: number;
}

/**
 * The ZIP universe for a seed: ZIPs sampled from each city's range, each with a deprivation
 * percentile around the city's baseline. Returned sorted by deprivation (least deprived first),
 * which lets the population module tilt payer groups toward richer or poorer areas.
 */
export function buildZips(seed: number): Zip[] {
  const rng = new Rng(seed, 0x5a1b);
  const out: Zip[] = [];
  const seen = new Set<string>();
  for (const c of CITIES) {
    const width = c.zipTo - c.zipFrom + 1;
    let made = 0;
    let guard = 0;
    while (made < Math.min(c.zips, width) && guard++ < 1000) {
      const z = String(c.zipFrom + rng.int(width));
      if (seen.has(z)) continue;
      seen.add(z);
      const adi = Math.max(1, Math.min(100, Math.round(c.adi + rng.normal() * 14)));
      out.push({
        zip: z,
        city: c.city,
        state: c.state,
        stateIndex: STATES.indexOf(c.state),
        adi,
        weight: (c.weight / c.zips) * rng.uniform(0.5, 1.5),
      });
      made++;
    }
  }
  out.sort((a, b) => a.adi - b.adi || (a.zip < b.zip ? -1 : 1));
  return out;
}
