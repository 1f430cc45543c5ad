package dev.conduit.jmh.blocklayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.FormatOptions;
import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectReadHandle;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.blocklayout.StoreOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * put and get of 4 KiB and 4 MiB objects on one O_DIRECT file namespace. A put is durable when it
 * returns (data fdatasync + journal write + fdatasync), so single-thread put rates measure the
 * device's flush latency; {@code putGroupCommit} shows 16 writers sharing flushes. get reads every
 * chunk into a reused aligned buffer and verifies its CRC-32C (the zero-copy path; no byte[]).
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -jar jmh/target/benchmarks.jar ObjectStoreBenchmark \
 *     -f 2 -wi 2 -i 3 -w 1s -r 1s -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ObjectStoreBenchmark
{
    private static final int KEYS = 32;
    /** 16 threads × 4 keys × 4 MiB stays well inside the 1 GiB namespace, old versions included. */
    private static final int GROUP_KEYS_PER_THREAD = 4;

    @Param({"4096", "4194304"})
    public int sizeBytes;

    private ObjectStore store;
    private byte[] data;

    /** Per-thread read buffer and key cursor. */
    @State(Scope.Thread)
    public static class Cursor
    {
        private Arena arena;
        private MemorySegment chunk;
        private int next;

        /** Allocates the aligned chunk buffer. */
        @Setup(Level.Trial)
        public void setUp()
        {
            arena = Arena.ofConfined();
            chunk = arena.allocate(1 << 20, 4096);
            next = (int)Thread.currentThread().threadId() * 7;
        }

        /** Frees it. */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            arena.close();
        }

        String nextKey(final String prefix, final int keys)
        {
            return prefix + (next++ % keys);
        }
    }

    /** Formats a 1 GiB file namespace and writes the objects that get reads. */
    @Setup(Level.Trial)
    public void setUp()
    {
        final Path dir = BenchStores.fresh("putget-" + sizeBytes);
        DataDirectory.format(dir, 1L << 30, 1, FormatOptions.DEFAULT);
        store = DataDirectory.open(dir, StoreOptions.DEFAULT);
        data = new byte[sizeBytes];
        new SplittableRandom(sizeBytes).nextBytes(data);
        for (int i = 0; i < KEYS; i++)
        {
            store.put("get/" + i, data, ObjectMetadata.NONE);
        }
    }

    /** Closes the store and removes its files. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        store.close();
        BenchStores.delete(BenchStores.root().resolve("putget-" + sizeBytes));
    }

    /**
     * @param cursor per-thread key.
     * @return the record (kept alive for JMH).
     */
    @Benchmark
    public ObjectRecord put(final Cursor cursor)
    {
        return store.put(cursor.nextKey("put/", KEYS), data, ObjectMetadata.NONE);
    }

    /**
     * @param cursor per-thread key.
     * @return the record.
     */
    @Benchmark
    @Threads(16)
    public ObjectRecord putGroupCommit(final Cursor cursor)
    {
        return store.put(cursor.nextKey("group/" + Thread.currentThread().threadId() + "/", GROUP_KEYS_PER_THREAD), data, ObjectMetadata.NONE);
    }

    /**
     * @param cursor per-thread key and buffer.
     * @return the last chunk's first byte (kept alive for JMH).
     */
    @Benchmark
    public byte get(final Cursor cursor)
    {
        try (ObjectReadHandle h = store.openObject(cursor.nextKey("get/", KEYS)))
        {
            for (int i = 0; i < h.record().chunkCount(); i++)
            {
                h.readChunk(i, cursor.chunk);
            }
        }
        return cursor.chunk.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0);
    }
}
