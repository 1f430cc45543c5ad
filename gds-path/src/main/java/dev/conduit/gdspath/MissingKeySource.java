package dev.conduit.gdspath;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a {@link DataPath} (and the loader over it) turns when a key is not in the store: it makes
 * the object local, for instance by fetching it from a cold tier, and the read then runs on the
 * normal path. gds-path knows nothing of where the bytes come from; the object tier implements it.
 *
 * <p>Threading: any thread; {@link #fetch} must not block (it starts the work and returns).
 */
public interface MissingKeySource
{
    /**
     * Makes {@code key} local. Concurrent calls for one key share one fetch, and a key that is
     * already local completes at once.
     *
     * @param key a store key that was not found.
     * @return completes when the key is local, or exceptionally ({@code NOT_FOUND} when it exists
     *         nowhere, or why it could not be fetched).
     */
    CompletableFuture<Void> fetch(String key);

    /**
     * Keys under a prefix that this source could make local (a loader given a prefix lists them
     * with the store's own). Blocks while it lists.
     *
     * @param prefix a store key prefix.
     * @return the keys, in any order; none by default.
     */
    default List<String> list(final String prefix)
    {
        return List.of();
    }
}
