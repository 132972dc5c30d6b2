// What a route of the API is: a URL, JSON schemas for its parameters and answer (the same schemas
// validate requests and make the OpenAPI description) and a handler that calls one service.
import type { Config } from '../../config.ts';
import type { Warehouse } from '../../engine/duckdb.ts';
import type { Principal } from '../access.ts';
import type { LiveWarehouse } from '../live-warehouse.ts';

/** A JSON Schema (draft 7 subset Fastify's validator and OpenAPI 3.1 both read). */
export type JsonSchema = { [key: string]: unknown };

interface RouteDoc {
  /** Fastify URL pattern, `:name` for path parameters. */
  url: string;
  summary: string;
  description: string;
  tag: string;
  querystring?: JsonSchema;
  params?: JsonSchema;
  /** Schema of the 200 answer. */
  response: JsonSchema;
}

export interface DataContext {
  query: Record<string, string | undefined>;
  params: Record<string, string>;
  principal: Principal;
  wh: Warehouse;
  /** Build of the warehouse file being read (see LiveWarehouse). */
  generation: number;
  modifiedAt: Date;
  sizeBytes: number;
  config: Config;
}

/** A route that reads the warehouse: served under a lease and cached per (route, query, role, build). */
export interface DataRoute extends RouteDoc {
  kind: 'data';
  /** What the audit log calls this access (the governed service's action name). */
  action: string;
  handler(ctx: DataContext): Promise<unknown>;
}

export interface PlainContext {
  live: LiveWarehouse;
  startedAt: number;
}

/** A route that answers without the warehouse's data (health, the API description). */
export interface PlainRoute extends RouteDoc {
  kind: 'plain';
  handler(ctx: PlainContext): Promise<unknown>;
}

export type RouteSpec = DataRoute | PlainRoute;
