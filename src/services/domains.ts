// Every KPI domain `claimlens kpi <domain>` and the API serve, in display order.
import { adherenceDomain } from './adherence.ts';
import { costDomain } from './cost.ts';
import { denialsDomain } from './denials.ts';
import type { KpiDomain } from './kpi.ts';
import { patientsDomain } from './patients.ts';
import { payersDomain } from './payers.ts';
import { programsDomain } from './programs.ts';
import { providersDomain } from './providers.ts';
import { rcmDomain } from './rcm.ts';
import { readmissionsDomain } from './readmissions.ts';

export const KPI_DOMAINS: KpiDomain[] = [
  costDomain,
  payersDomain,
  providersDomain,
  programsDomain,
  denialsDomain,
  rcmDomain,
  patientsDomain,
  readmissionsDomain,
  adherenceDomain,
];
