// Builds a large single-transaction 835 (one ST/SE around many CLP loops) on disk, in chunks, for
// the streaming tests and the throughput figure; the whole file is never in memory.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

const HEADER = [
  'ISA*00*          *00*          *ZZ*PAYERSENDER    *ZZ*PROVIDERRECV   *240105*1200*^*00501*000000777*0*P*:',
  'GS*HP*PAYERSENDER*PROVIDERRECV*20240105*1200*777*X*005010X221A1',
  'ST*835*0001',
  'BPR*I*0*C*ACH*CCP*01*999999999*DA*123456*1234567890**01*999999999*DA*654321*20240105',
  'TRN*1*TRACE777*1234567890',
  'DTM*405*20240104',
  'N1*PR*SYNTHETIC HEALTH PLAN*XV*99999',
  'N1*PE*SYNTHETIC CLINIC*XX*1234567893',
];
const HEADER_IN_ST = HEADER.length - 2;

/** One CLP loop: 13 segments, 3 CAS adjustments on two service lines, paid 88.92. */
function claimLoop(n: number): string[] {
  return [
    `CLP*SYN${n}*1*341.28*88.92*105.26*12*PCN${n}*11*1`,
    `NM1*QC*1*DOE*JANE****MI*M${n % 100000}`,
    'DTM*232*20231221',
    'SVC*HC:99213*156.42*88.92**1',
    'DTM*472*20231221',
    'CAS*CO*45*67.5',
    'REF*6R*1',
    'AMT*B6*88.92',
    'SVC*HC:99214*184.86*0**1',
    'DTM*472*20231221',
    'CAS*PR*1*105.26',
    'CAS*CO*45*79.6',
    'REF*6R*2',
  ];
}
export const SEGMENTS_PER_CLAIM = 13;
export const ADJUSTMENTS_PER_CLAIM = 3;
export const PAID_PER_CLAIM = 88.92;

/** Writes the file and returns how many claims it holds; `seOff` spoils SE01 by that much. */
export async function writeLarge835(path: string, targetBytes: number, seOff = 0): Promise<number> {
  const out = createWriteStream(path);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`${HEADER.join('~\n')}~\n`);
  let bytes = 0;
  let claims = 0;
  while (bytes < targetBytes) {
    let block = '';
    for (let i = 0; i < 1000; i++) block += `${claimLoop(++claims).join('~\n')}~\n`;
    bytes += Buffer.byteLength(block);
    await write(block);
  }
  const count = HEADER_IN_ST + claims * SEGMENTS_PER_CLAIM + 1 + seOff;
  await write(`SE*${count}*0001~\nGE*1*777~\nIEA*1*000000777~\n`);
  out.end();
  await once(out, 'finish');
  return claims;
}
