package dev.conduit.jmh.blocklayout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.FormatOptions;
import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.blocklayout.StoreOptions;

/**
 * A store holding N small objects (100 to 200 bytes, one 4 KiB slot each, keys like
 * {@code dataset/shard-0042/sample-00012345.bin}), built once with 64 concurrent writers (group
 * commit) and kept in the benchmark directory; a marker file says it is complete.
 */
final class CatalogDataset
{
    private static final int WRITERS = 64;

    private CatalogDataset()
    {
    }

    /**
     * @param objects how many objects.
     * @return the data directory holding them.
     */
    static Path ensure(final int objects)
    {
        return ensure("catalog-", objects, i -> ObjectMetadata.NONE);
    }

    /**
     * @param name     the dataset's directory name, before the object count.
     * @param objects  how many objects.
     * @param metadata the metadata of object {@code i}.
     * @return the data directory holding them.
     */
    static Path ensure(final String name, final int objects, final IntFunction<ObjectMetadata> metadata)
    {
        final Path dir = BenchStores.root().resolve(name + objects);
        final Path marker = dir.resolve("complete");
        if (Files.exists(marker))
        {
            return dir;
        }
        BenchStores.delete(dir);
        final long dataBytes = (long)objects * 4096 + (512L << 20);
        DataDirectory.format(dir, dataBytes, 2, FormatOptions.DEFAULT);
        final long startNs = System.nanoTime();
        final AtomicInteger next = new AtomicInteger();
        try (ObjectStore store = DataDirectory.open(dir, StoreOptions.DEFAULT);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor())
        {
            for (int w = 0; w < WRITERS; w++)
            {
                pool.submit(() ->
                {
                    final byte[] body = new byte[200];
                    for (int i = next.getAndIncrement(); i < objects; i = next.getAndIncrement())
                    {
                        java.util.Arrays.fill(body, (byte)i);
                        store.put(String.format("dataset/shard-%04d/sample-%08d.bin", i % 1000, i),
                            java.util.Arrays.copyOf(body, 100 + i % 100), metadata.apply(i));
                        if (i % 100_000 == 0)
                        {
                            System.out.printf("dataset: %d objects (%.0f s)%n", i, (System.nanoTime() - startNs) / 1e9);
                        }
                    }
                    return null;
                });
            }
        }
        try
        {
            Files.writeString(marker, objects + "\n");
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        System.out.printf("dataset: %d objects built in %.0f s%n", objects, (System.nanoTime() - startNs) / 1e9);
        return dir;
    }
}
