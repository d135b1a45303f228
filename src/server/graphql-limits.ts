import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { Plugin } from 'graphql-yoga';

/**
 * Bounds on what one GraphQL document may ask (OWASP API4): deep nesting, alias fan-out, directive floods, huge
 * documents and expensive selections are refused at validation with BAD_REQUEST, before anything runs. The
 * largest legitimate query of the API (a page of users with samples, events and records) stays well inside.
 * The schema has no cycles yet, so depth is bounded by it; the depth limit guards relations added later
 * (introspection, which GraphiQL needs, is exempt).
 */
export const GRAPHQL_LIMITS = { maxDepth: 10, maxAliases: 15, maxDirectives: 20, maxTokens: 2000, maxCost: 5000 } as const;

export function graphqlLimitPlugins(production: boolean): Plugin[] {
  const plugins: Plugin[] = [
    maxDepthPlugin({ n: GRAPHQL_LIMITS.maxDepth, exposeLimits: true }) as Plugin,
    maxAliasesPlugin({ n: GRAPHQL_LIMITS.maxAliases, exposeLimits: true }) as Plugin,
    maxDirectivesPlugin({ n: GRAPHQL_LIMITS.maxDirectives, exposeLimits: true }) as Plugin,
    maxTokensPlugin({ n: GRAPHQL_LIMITS.maxTokens, exposeLimits: true }) as Plugin,
    costLimitPlugin({ maxCost: GRAPHQL_LIMITS.maxCost, exposeLimits: true }) as Plugin,
  ];
  // Field suggestions ("Did you mean …?") map the schema for an attacker; GraphiQL is off in production anyway.
  if (production) plugins.push(blockFieldSuggestionsPlugin() as Plugin);
  return plugins;
}
