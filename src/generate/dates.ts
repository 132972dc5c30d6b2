// Calendar arithmetic on integer day numbers (days since 1970-01-01, UTC) with a precomputed
// 'YYYY-MM-DD' table: the generator never builds Date objects in its hot loops.

const FIRST_YEAR = 1880;
const LAST_YEAR = 2100;

/** Day number of a civil date (Hinnant's days_from_civil). */
export function dayOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const BASE = dayOf(FIRST_YEAR, 1, 1);
const SPAN = dayOf(LAST_YEAR, 12, 31) - BASE + 1;
const TEXT: string[] = new Array(SPAN);
/** 'YYYY-MM-DD' as ASCII bytes, 10 per day, for writers that encode rows straight into buffers. */
export const DATE_BYTES = new Uint8Array(SPAN * 10);
const YEAR = new Int16Array(SPAN);
const MONTH = new Int8Array(SPAN);
const DOM = new Int8Array(SPAN);

{
  let i = 0;
  for (let y = FIRST_YEAR; y <= LAST_YEAR; y++) {
    for (let m = 1; m <= 12; m++) {
      const days = daysInMonth(y, m);
      const mm = m < 10 ? `0${m}` : `${m}`;
      for (let d = 1; d <= days; d++) {
        const text = `${y}-${mm}-${d < 10 ? `0${d}` : d}`;
        TEXT[i] = text;
        for (let k = 0; k < 10; k++) DATE_BYTES[i * 10 + k] = text.charCodeAt(k);
        YEAR[i] = y;
        MONTH[i] = m;
        DOM[i] = d;
        i++;
      }
    }
  }
}

/** Offset of a day's 10 bytes in DATE_BYTES. */
export function dateOffset(day: number): number {
  const i = day - BASE;
  if (i < 0 || i >= SPAN) throw new Error(`day ${day} outside ${FIRST_YEAR}-${LAST_YEAR}`);
  return i * 10;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** 'YYYY-MM-DD' of a day number. */
export function iso(day: number): string {
  const s = TEXT[day - BASE];
  if (s === undefined) throw new Error(`day ${day} outside ${FIRST_YEAR}-${LAST_YEAR}`);
  return s;
}

export function yearOf(day: number): number {
  return YEAR[day - BASE]!;
}

export function monthOf(day: number): number {
  return MONTH[day - BASE]!;
}

export function dayOfMonth(day: number): number {
  return DOM[day - BASE]!;
}

/** Months since year 0 (year*12 + month-1): a month key that sorts and subtracts. */
export function monthKey(day: number): number {
  return YEAR[day - BASE]! * 12 + MONTH[day - BASE]! - 1;
}

export function firstOfMonth(day: number): number {
  return day - DOM[day - BASE]! + 1;
}

export function lastOfMonth(day: number): number {
  const y = YEAR[day - BASE]!;
  const m = MONTH[day - BASE]!;
  return day - DOM[day - BASE]! + daysInMonth(y, m);
}

/** First day of the month `n` months after the month of `day`. */
export function addMonths(day: number, n: number): number {
  const key = monthKey(day) + n;
  return dayOf(Math.floor(key / 12), (key % 12) + 1, 1);
}

/** First day of a month key. */
export function dayOfMonthKey(key: number): number {
  return dayOf(Math.floor(key / 12), (key % 12) + 1, 1);
}

/** Whole years between two days (age at `on` for someone born on `birth`). */
export function ageAt(birth: number, on: number): number {
  const by = YEAR[birth - BASE]!;
  const oy = YEAR[on - BASE]!;
  let age = oy - by;
  const bm = MONTH[birth - BASE]!;
  const om = MONTH[on - BASE]!;
  if (om < bm || (om === bm && DOM[on - BASE]! < DOM[birth - BASE]!)) age--;
  return age;
}

/** Parses 'YYYY-MM' into its last day; undefined when malformed. */
export function parseYearMonthEnd(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  if (mo < 1 || mo > 12 || y < 2010 || y > LAST_YEAR - 5) return undefined;
  return dayOf(y, mo, daysInMonth(y, mo));
}
