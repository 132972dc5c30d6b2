// Every KPI domain `claimlens kpi <domain>` and the API serve, in display order.
import type { KpiDomain } from './kpi.ts';

export const KPI_DOMAINS: KpiDomain[] = [];
