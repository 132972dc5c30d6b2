// Maintenance drugs for pharmacy fills: NDCs come from the shipped data/codesets/ndc_drug_class.csv
// (real FDA NDC Directory codes, see its SOURCE.md); prices and dosing here are typical round values.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const NDC_FILE = fileURLToPath(new URL('../../../data/codesets/ndc_drug_class.csv', import.meta.url));

export interface NdcRow {
  ndc: string;
  drug: string;
  strength: string;
  drugClass: string;
  pdcClass: string;
}

/** Reads the shipped NDC list (simple CSV: no quoted fields). */
export function readNdcFile(path = NDC_FILE): NdcRow[] {
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
  const header = lines[0]!.split(',');
  const expected = ['ndc_code', 'drug_name', 'strength', 'drug_class', 'pdc_class'];
  if (header.join(',') !== expected.join(',')) throw new Error(`${path}: unexpected header ${lines[0]}`);
  return lines.slice(1).map((l) => {
    const [ndc, drug, strength, drugClass, pdcClass] = l.split(',');
    return { ndc: ndc!, drug: drug!, strength: strength!, drugClass: drugClass!, pdcClass: pdcClass ?? '' };
  });
}

export interface Drug {
  name: string;
  /** Therapy group within which members switch drugs (a PQA class or a single drug). */
  group: string;
  pdcClass: string;
  ndcs: readonly string[];
  /** Dollars per dispensed unit (tablet, mL, inhaler). */
  unitCost: number;
  /** Units per day of supply. */
  unitsPerDay: number;
  brand: boolean;
  /** Adherence shift for the drug (added to the member's adherence propensity). */
  adherenceShift: number;
  /** As-needed drug: irregular fills, not a maintenance supply. */
  asNeeded?: boolean;
  /** Fixed days supply per fill (packages that last a set time). */
  fixedDays?: number;
}

interface DrugTerms {
  group: string;
  unitCost: number;
  unitsPerDay: number;
  brand?: boolean;
  adherenceShift: number;
  asNeeded?: boolean;
  fixedDays?: number;
}

const TERMS: Record<string, DrugTerms> = {
  atorvastatin: { group: 'statins', unitCost: 0.15, unitsPerDay: 1, adherenceShift: -0.04 },
  rosuvastatin: { group: 'statins', unitCost: 0.2, unitsPerDay: 1, adherenceShift: -0.04 },
  simvastatin: { group: 'statins', unitCost: 0.1, unitsPerDay: 1, adherenceShift: -0.04 },
  pravastatin: { group: 'statins', unitCost: 0.18, unitsPerDay: 1, adherenceShift: -0.04 },
  lisinopril: { group: 'ras_antagonists', unitCost: 0.08, unitsPerDay: 1, adherenceShift: 0.02 },
  losartan: { group: 'ras_antagonists', unitCost: 0.15, unitsPerDay: 1, adherenceShift: 0.02 },
  valsartan: { group: 'ras_antagonists', unitCost: 0.35, unitsPerDay: 1, adherenceShift: 0.02 },
  enalapril: { group: 'ras_antagonists', unitCost: 0.2, unitsPerDay: 1, adherenceShift: 0.02 },
  metformin: { group: 'metformin', unitCost: 0.06, unitsPerDay: 2, adherenceShift: -0.06 },
  glipizide: { group: 'sulfonylurea', unitCost: 0.1, unitsPerDay: 1, adherenceShift: -0.06 },
  sitagliptin: { group: 'dpp4', unitCost: 16, unitsPerDay: 1, brand: true, adherenceShift: -0.08 },
  empagliflozin: { group: 'sglt2', unitCost: 19.5, unitsPerDay: 1, brand: true, adherenceShift: -0.08 },
  'insulin glargine': {
    group: 'insulin',
    unitCost: 20,
    unitsPerDay: 0.5,
    brand: true,
    adherenceShift: -0.05,
    fixedDays: 30,
  },
  levothyroxine: { group: 'levothyroxine', unitCost: 0.25, unitsPerDay: 1, adherenceShift: 0.05 },
  amlodipine: { group: 'amlodipine', unitCost: 0.07, unitsPerDay: 1, adherenceShift: 0 },
  sertraline: { group: 'sertraline', unitCost: 0.12, unitsPerDay: 1, adherenceShift: -0.15 },
  albuterol: {
    group: 'albuterol',
    unitCost: 45,
    unitsPerDay: 0.04,
    brand: false,
    adherenceShift: 0,
    asNeeded: true,
    fixedDays: 25,
  },
};

let cache: Map<string, Drug> | undefined;

/** Drugs by name, each with its NDCs from the shipped file. */
export function drugs(): Map<string, Drug> {
  if (cache) return cache;
  const byDrug = new Map<string, NdcRow[]>();
  for (const row of readNdcFile()) {
    const list = byDrug.get(row.drug) ?? [];
    list.push(row);
    byDrug.set(row.drug, list);
  }
  const out = new Map<string, Drug>();
  for (const [name, terms] of Object.entries(TERMS)) {
    const rows = byDrug.get(name);
    if (!rows || rows.length === 0) throw new Error(`no NDC for ${name} in ${NDC_FILE}`);
    out.set(name, {
      name,
      group: terms.group,
      pdcClass: rows[0]!.pdcClass,
      ndcs: rows.map((r) => r.ndc),
      unitCost: terms.unitCost,
      unitsPerDay: terms.unitsPerDay,
      brand: terms.brand ?? false,
      adherenceShift: terms.adherenceShift,
      ...(terms.asNeeded ? { asNeeded: true } : {}),
      ...(terms.fixedDays ? { fixedDays: terms.fixedDays } : {}),
    });
  }
  cache = out;
  return out;
}

/** Drugs of a switching group with their market-share weights. */
export const GROUP_CHOICES: Record<string, readonly (readonly [string, number])[]> = {
  statins: [
    ['atorvastatin', 50],
    ['rosuvastatin', 22],
    ['simvastatin', 18],
    ['pravastatin', 10],
  ],
  ras_antagonists: [
    ['lisinopril', 45],
    ['losartan', 35],
    ['valsartan', 10],
    ['enalapril', 10],
  ],
};
