// Data freshness for the meta route and the dashboard: the latest build (meta.build_log), the latest
// load of each input table (input.load_log), the service-date window and the payers, plans and member
// states in the warehouse (the values the dashboard's filters offer).
import type { Warehouse } from '../engine/duckdb.ts';
import { knownPlans, knownStates } from '../services/filters.ts';
import type { ApiLoad, ApiMeta } from './api.ts';

const ISO = "'%Y-%m-%dT%H:%M:%SZ'";

export type Freshness = Pick<ApiMeta, 'build' | 'loads' | 'last_load_at' | 'data'>;

export async function freshness(wh: Warehouse): Promise<Freshness> {
  let build: ApiMeta['build'] = null;
  if (await wh.tableExists('meta', 'build_log')) {
    const b = await wh.one<{ build_id: string; started_at: string; finished_at: string; models: number }>(
      `SELECT build_id, strftime(min(started_at), ${ISO}) AS started_at,
              strftime(max(finished_at), ${ISO}) AS finished_at, count(*) AS models
       FROM meta.build_log
       GROUP BY build_id
       ORDER BY max(finished_at) DESC
       LIMIT 1`,
    );
    build = b ?? null;
  }
  let loads: ApiLoad[] = [];
  if (await wh.tableExists('input', 'load_log')) {
    loads = await wh.all<ApiLoad>(
      `SELECT table_name, count(*) AS files, sum(rows_read) AS rows_read, sum(rows_loaded) AS rows_loaded,
              sum(rows_quarantined) AS rows_quarantined, strftime(max(loaded_at), ${ISO}) AS loaded_at
       FROM input.load_log
       WHERE (table_name, load_id) IN (SELECT table_name, max(load_id) FROM input.load_log GROUP BY table_name)
       GROUP BY table_name
       ORDER BY table_name`,
    );
  }
  const lastLoad = loads.reduce<string | null>(
    (a, l) => (a === null || l.loaded_at > a ? l.loaded_at : a),
    null,
  );
  const window = (await wh.tableExists('input', 'medical_claim'))
    ? await wh.one<{ first: string | null; last: string | null }>(
        'SELECT CAST(min(claim_start_date) AS VARCHAR) AS first, CAST(max(claim_start_date) AS VARCHAR) AS last FROM input.medical_claim',
      )
    : undefined;
  const payers = (await wh.tableExists('input', 'eligibility'))
    ? (
        await wh.all<{ payer: string }>(
          'SELECT DISTINCT payer FROM input.eligibility UNION SELECT DISTINCT payer FROM input.medical_claim ORDER BY 1',
        )
      ).map((r) => r.payer)
    : [];
  const plans = (await wh.tableExists('input', 'eligibility')) ? await knownPlans(wh) : [];
  const states = await knownStates(wh);
  return {
    build,
    loads,
    last_load_at: lastLoad,
    data: {
      first_service_date: window?.first ?? null,
      last_service_date: window?.last ?? null,
      payers,
      plans,
      states,
    },
  };
}
