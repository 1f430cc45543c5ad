package dev.conduit.jmh.blocklayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.FormatOptions;
import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.blocklayout.PutSession;
import dev.conduit.blocklayout.StoreOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Durable 64 MiB puts on one O_DIRECT file namespace: {@code put} is {@code ObjectStore.put} of a
 * byte array (size known up front), {@code session} streams the same bytes through a put session
 * of unknown length in 1 MiB appends (space allocated as data arrives, trimmed at commit). Each
 * operation is one object; MiB/s = ops/s × 64.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar PutSessionBenchmark \
 *     -f 2 -wi 2 -i 3 -w 1s -r 1s -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PutSessionBenchmark
{
    private static final int OBJECT_BYTES = 64 << 20;
    private static final int APPEND_BYTES = 1 << 20;

    private ObjectStore store;
    private byte[] data;
    private Arena arena;
    private MemorySegment nativeData;

    /** Formats a 1 GiB file namespace; both benchmarks replace one key, so space is reused. */
    @Setup(Level.Trial)
    public void setUp()
    {
        final Path dir = BenchStores.fresh("put-session");
        DataDirectory.format(dir, 1L << 30, 1, FormatOptions.DEFAULT);
        store = DataDirectory.open(dir, StoreOptions.DEFAULT);
        data = new byte[OBJECT_BYTES];
        new SplittableRandom(64).nextBytes(data);
        arena = Arena.ofShared();
        nativeData = arena.allocate(OBJECT_BYTES, 4096);
        MemorySegment.copy(MemorySegment.ofArray(data), 0, nativeData, 0, OBJECT_BYTES);
    }

    /** Closes the store and removes its files. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        store.close();
        arena.close();
        BenchStores.delete(BenchStores.root().resolve("put-session"));
    }

    /** @return the record (kept alive for JMH). */
    @Benchmark
    public ObjectRecord put()
    {
        return store.put("object", data, ObjectMetadata.NONE);
    }

    /** @return the record (kept alive for JMH). */
    @Benchmark
    public ObjectRecord session()
    {
        try (PutSession put = store.openPut("object", ObjectMetadata.NONE))
        {
            for (long at = 0; at < OBJECT_BYTES; at += APPEND_BYTES)
            {
                put.append(nativeData.asSlice(at, APPEND_BYTES));
            }
            return put.commit();
        }
    }
}
