package dev.conduit.objecttier.tier;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.gdspath.MissingKeySource;
import dev.conduit.objecttier.bucket.LocalCopies;

/**
 * The tier as a {@link dev.conduit.gdspath.DataPath}'s source of missing keys: a read (or a loader shard) of an S3
 * object's store key that is not local starts, or joins, the same single-flight fill a GET miss
 * uses, and the read runs on the normal GDS/bounce/host path once the object has landed. Keys
 * outside read-through buckets stay {@code NOT_FOUND}.
 *
 * <pre>{@code
 * try (DataPath path = DataPath.open(config, buckets.store()).withMissingKeys(new TierKeySource(tiering));
 *      Loader loader = Loader.open(new LoaderOptions().prefix(LocalCopies.objectPrefix("datasets") + "train/"), path,
 *          buckets.store().store()))
 * { ... }
 * }</pre>
 *
 * <p>A copy fetched this way is served without TTL revalidation (the data path reads the store
 * directly); the S3 GET path revalidates it as usual.
 *
 * @see dev.conduit.gdspath.DataPath#withMissingKeys
 */
public final class TierKeySource implements MissingKeySource
{
    private final Tiering tiering;

    /**
     * @param tiering the tiering layer whose read-through buckets supply missing keys.
     */
    public TierKeySource(final Tiering tiering)
    {
        this.tiering = tiering;
    }

    @Override
    public CompletableFuture<Void> fetch(final String storeKey)
    {
        final TierBinding binding = bindingOf(storeKey);
        if (binding == null)
        {
            return CompletableFuture.failedFuture(new ConduitException(ErrorCode.NOT_FOUND,
                "no object " + storeKey + " in the store, and no read-through cold tier holds its bucket"));
        }
        final String key = storeKey.substring(LocalCopies.objectPrefix(binding.bucket()).length());
        if (tiering.local().find(binding.bucket(), key).isPresent())
        {
            return CompletableFuture.completedFuture(null);
        }
        try
        {
            return tiering.fill(binding.bucket(), key, -1, false).fill().done().thenApply(stored -> null);
        }
        catch (final ConduitException e)
        {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Lists the cold objects of the read-through bucket {@code prefix} lies in (a prefix that spans
     * buckets lists nothing cold: a loader reads one dataset). Folder markers are skipped.
     */
    @Override
    public List<String> list(final String prefix)
    {
        final TierBinding binding = bindingOf(prefix);
        final List<String> keys = new ArrayList<>();
        if (binding != null)
        {
            final String objects = LocalCopies.objectPrefix(binding.bucket());
            tiering.cold(binding.bucket()).list(prefix.substring(objects.length()), object ->
            {
                if (!object.isFolderMarker())
                {
                    keys.add(objects + object.key());
                }
            });
        }
        return keys;
    }

    /** @return the read-through binding whose bucket holds {@code storeKey}, or null. */
    private TierBinding bindingOf(final String storeKey)
    {
        for (final TierBinding binding : tiering.bindings())
        {
            if (binding.policy().readThrough() && storeKey.startsWith(LocalCopies.objectPrefix(binding.bucket())))
            {
                return binding;
            }
        }
        return null;
    }
}
