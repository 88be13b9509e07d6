/**
 * The public client's token cache on disk: AES-256-GCM encrypted, owner-only, locked across
 * threads and processes, written atomically, and never fatal when unreadable. The key lives apart
 * from the cache: OS keyring, environment variable, or an owner-only key file (see
 * {@link dev.entramcp.adapter.entra.cache.CacheKeyPolicy} for what each protects against).
 */
package dev.entramcp.adapter.entra.cache;
