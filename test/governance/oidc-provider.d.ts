// The part of oidc-provider's API the authentication test uses (the package ships no types and
// @types/oidc-provider is not a dependency): a provider with clients, resource indicators and claims.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface ClientMetadata {
    client_id: string;
    client_secret?: string;
    grant_types?: string[];
    redirect_uris?: string[];
    response_types?: string[];
    token_endpoint_auth_method?: 'none' | 'client_secret_basic' | 'client_secret_post';
  }

  export interface ResourceServer {
    scope: string;
    audience?: string;
    accessTokenFormat?: 'jwt' | 'opaque';
    accessTokenTTL?: number;
    jwt?: { sign?: { alg: string } };
  }

  export interface Configuration {
    jwks?: { keys: Record<string, unknown>[] };
    clients?: ClientMetadata[];
    features?: {
      clientCredentials?: { enabled: boolean };
      devInteractions?: { enabled: boolean };
      resourceIndicators?: {
        enabled: boolean;
        defaultResource?: (ctx: unknown) => string;
        getResourceServerInfo?: (
          ctx: unknown,
          resource: string,
          client: { clientId: string },
        ) => ResourceServer;
      };
    };
    extraTokenClaims?: (ctx: unknown, token: unknown) => Record<string, unknown> | undefined;
  }

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }
}
