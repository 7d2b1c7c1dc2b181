/**
 * Lazy loading for native code (contract rule 8: never at import). Modelled on node-pty's
 * `loadNativeModule` and unstorage's driver utils: one attempt at a time, the result kept, a failure
 * forgotten so that a later call tries again (a library installed meanwhile, a transient EMFILE).
 *
 * @module
 */

/**
 * A loader that runs `load` on first call and returns the same promise afterwards; a rejected load
 * is forgotten, so the next call runs `load` again.
 *
 * @example
 * ```ts
 * const loadLibc = onceLoader(() => bindLibc());
 * const libc = await loadLibc(); // later calls share this promise
 * ```
 */
export function onceLoader<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    if (!loading) {
      const attempt = load();
      loading = attempt;
      attempt.catch(() => {
        if (loading === attempt) loading = undefined;
      });
    }
    return loading;
  };
}
