package dev.conduit.gdspath.loader;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.gdspath.DataPath;
import dev.conduit.gdspath.DeviceBuffer;
import dev.conduit.gdspath.DeviceBufferPool;
import dev.conduit.gdspath.MissingKeySource;

/**
 * Every sample of a loader's shards, numbered globally in shard order: tar shards ({@code .tar}) by
 * their {@link TarIndex} (from the {@code <shard>.idx} sidecar, built and stored when missing or
 * stale), any other object as one sample.
 *
 * <p>Threading: built once by the thread opening the loader; immutable afterwards.
 */
final class ShardCatalog
{
    static final String TAR_SUFFIX = ".tar";

    private final List<String> shardKeys;
    private final List<List<Sample>> shardSamples;
    private final int[] firstSample;
    private final int totalSamples;
    private final long[] sizeBytes;
    private final int[] chunkBytes;

    private ShardCatalog(final List<String> shardKeys, final List<List<Sample>> shardSamples, final List<ObjectRecord> records)
    {
        this.shardKeys = List.copyOf(shardKeys);
        this.shardSamples = List.copyOf(shardSamples);
        this.sizeBytes = new long[records.size()];
        this.chunkBytes = new int[records.size()];
        for (int s = 0; s < records.size(); s++)
        {
            sizeBytes[s] = records.get(s).sizeBytes();
            chunkBytes[s] = records.get(s).chunkSizeBytes();
        }
        this.firstSample = new int[shardKeys.size() + 1];
        long total = 0;
        for (int s = 0; s < shardKeys.size(); s++)
        {
            firstSample[s] = (int)total;
            total += shardSamples.get(s).size();
        }
        if (total > Integer.MAX_VALUE - 8)
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "more than 2^31 samples: " + total);
        }
        firstSample[shardKeys.size()] = (int)total;
        this.totalSamples = (int)total;
    }

    /**
     * @param shardKeys  the shards in order; empty means list {@code prefix}.
     * @param prefix     listed (sorted by key, sidecars skipped) when {@code shardKeys} is empty.
     * @param fetchAhead shards that are not local are fetched (through the data path's missing-key
     *                   source) this many at a time, in shard order, ahead of the one being indexed.
     */
    static ShardCatalog open(
        final List<String> shardKeys, final String prefix, final ObjectStore store, final DataPath path, final int fetchAhead)
    {
        final Optional<MissingKeySource> source = path.missingKeys();
        final List<String> keys = shardKeys.isEmpty() ? list(store, source, prefix) : shardKeys;
        if (keys.isEmpty())
        {
            throw new ConduitException(ErrorCode.NOT_FOUND, "no shards under prefix '" + prefix + "'");
        }
        final List<List<Sample>> samples = new ArrayList<>(keys.size());
        final List<ObjectRecord> records = new ArrayList<>(keys.size());
        final List<CompletableFuture<Void>> local = new ArrayList<>(keys.size());
        try (DeviceBufferPool scratch = DeviceBufferPool.host(TarIndex.WINDOW_BYTES, 1);
             DeviceBuffer window = scratch.acquire())
        {
            for (final String key : keys)
            {
                while (local.size() < keys.size() && local.size() < samples.size() + fetchAhead)
                {
                    local.add(makeLocal(store, source, keys.get(local.size())));
                }
                await(local.get(samples.size()));
                final ObjectRecord record = store.stat(key);
                records.add(record);
                samples.add(key.endsWith(TAR_SUFFIX)
                    ? indexOf(key, record, store, path, window).samples()
                    : List.of(new Sample(key, List.of(new TarMember(key, 0, record.sizeBytes())))));
            }
        }
        return new ShardCatalog(keys, samples, records);
    }

    /**
     * The shard's index: the sidecar when it describes this shard version, else a scan through the
     * data path, stored as the new sidecar.
     */
    static TarIndex indexOf(
        final String key, final ObjectRecord record, final ObjectStore store, final DataPath path, final DeviceBuffer window)
    {
        final String sidecarKey = key + TarIndexCodec.SUFFIX;
        if (store.find(sidecarKey).isPresent())
        {
            final TarIndex cached = TarIndexCodec.decode(store.getBytes(sidecarKey), record.sizeBytes(), record.etag());
            if (cached != null)
            {
                return cached;
            }
        }
        final RangeSource source = (offsetBytes, lengthBytes) ->
        {
            try
            {
                path.read(key, offsetBytes, lengthBytes, window, 0).join();
            }
            catch (final CompletionException e)
            {
                // The store's own exception (checksum mismatch, I/O error) says more than the wrapper.
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
            final MemorySegment bytes = window.segment();
            return bytes.asSlice(0, lengthBytes);
        };
        final TarIndex index = TarIndex.scan(source, record.sizeBytes());
        store.put(sidecarKey, TarIndexCodec.encode(index, record.sizeBytes(), record.etag()),
            new ObjectMetadata("application/x-conduit-tar-index", Map.of("shard-etag", record.etag())));
        return index;
    }

    int shardCount()
    {
        return shardKeys.size();
    }

    String shardKey(final int shard)
    {
        return shardKeys.get(shard);
    }

    /** @return the shard's size when it was indexed. */
    long sizeBytes(final int shard)
    {
        return sizeBytes[shard];
    }

    /** @return the shard's CRC-32C chunk size when it was indexed. */
    int chunkBytes(final int shard)
    {
        return chunkBytes[shard];
    }

    int sampleCount(final int shard)
    {
        return shardSamples.get(shard).size();
    }

    int firstSample(final int shard)
    {
        return firstSample[shard];
    }

    int totalSamples()
    {
        return totalSamples;
    }

    /** @return the shard holding global sample {@code id}. */
    int shardOf(final int id)
    {
        int lo = 0;
        int hi = shardKeys.size() - 1;
        while (lo < hi)
        {
            final int mid = (lo + hi + 1) >>> 1;
            if (firstSample[mid] <= id)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return lo;
    }

    Sample sample(final int shard, final int id)
    {
        return shardSamples.get(shard).get(id - firstSample[shard]);
    }

    private static List<String> list(final ObjectStore store, final Optional<MissingKeySource> source, final String prefix)
    {
        final TreeSet<String> keys = new TreeSet<>();
        store.forEach(prefix, record -> keys.add(record.key()));
        source.ifPresent(s -> keys.addAll(s.list(prefix)));
        keys.removeIf(key -> key.endsWith(TarIndexCodec.SUFFIX));
        return List.copyOf(keys);
    }

    /** A shard that is not in the store is fetched through the source (without one, {@link ObjectStore#stat} says NOT_FOUND). */
    private static CompletableFuture<Void> makeLocal(final ObjectStore store, final Optional<MissingKeySource> source, final String key)
    {
        return source.isEmpty() || store.find(key).isPresent() ? CompletableFuture.completedFuture(null) : source.get().fetch(key);
    }

    private static void await(final CompletableFuture<Void> fetch)
    {
        try
        {
            fetch.join();
        }
        catch (final CompletionException e)
        {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }
}
