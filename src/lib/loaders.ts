import DataLoader from 'dataloader';

/**
 * The loader factory: one DataLoader per name per request context, so a field resolved for every item of a page
 * costs one batched query, not one per item (N+1). Not caching across loads: a subscription keeps its context for
 * its whole life, and a cache there would serve stale rows; batching within a tick is what removes the N+1.
 */
const loadersByContext = new WeakMap<object, Map<string, DataLoader<unknown, unknown>>>();

export function requestLoader<K, V>(ctx: object, name: string, batch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
  let loaders = loadersByContext.get(ctx);
  if (!loaders) loadersByContext.set(ctx, (loaders = new Map()));
  let loader = loaders.get(name) as DataLoader<K, V> | undefined;
  if (!loader) {
    loader = new DataLoader<K, V>(batch, { cache: false });
    loaders.set(name, loader as DataLoader<unknown, unknown>);
  }
  return loader;
}
