package dev.conduit.jmh.scheduler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.FormatOptions;
import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectReadHandle;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.blocklayout.namespace.FileNamespace;
import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.scheduler.IoCallback;
import dev.conduit.scheduler.IoScheduler;
import dev.conduit.scheduler.IoStatus;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.store.ObjectRangeReader;
import dev.conduit.scheduler.store.RangeRequest;
import dev.conduit.scheduler.store.ScheduledStore;
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
 * The store path's 4 KiB random reads through the scheduler, one at a time, on an O_DIRECT file
 * namespace (io_uring where the host has it): {@code namespaceRead} is a blocking
 * {@code ScheduledNamespace.read} (how {@code ObjectStore}'s own reads reach the scheduler),
 * {@code rangeRead} an {@code ObjectRangeReader} read of a 64 MiB object's layout (unpinned), and
 * {@code pinnedRead}/{@code pinnedUnalignedRead} reads of a pinned version of that object through a
 * reused {@code RangeRequest}, aligned (straight into the buffer) and at any byte (staged and
 * copied). Every form completes into a reused callback. Run with {@code -prof gc}: the goal is
 * 0 B/op in steady state.
 *
 * <pre>{@code
 * java --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar StorePathReadBenchmark \
 *     -f 2 -wi 2 -i 3 -w 1s -r 1s -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class StorePathReadBenchmark
{
    private static final int READ_BYTES = 4096;
    private static final int SPIN_LIMIT = 100;
    private static final long OBJECT_BYTES = 64L << 20;
    private static final long BLOCKS = OBJECT_BYTES / READ_BYTES;

    private Path dir;
    private ScheduledStore store;
    private Namespace namespace;
    private ObjectRangeReader reader;
    private ObjectRecord record;
    private ObjectReadHandle version;
    private final RangeRequest request = new RangeRequest();
    private Arena arena;
    private MemorySegment buffer;
    private final SplittableRandom random = new SplittableRandom(42);
    private final Waiter waiter = new Waiter();

    /** Spins until its one outstanding read has completed; reused for every read. */
    static final class Waiter implements IoCallback
    {
        private volatile long result = Long.MIN_VALUE;

        @Override
        public void onComplete(final long tag, final long result)
        {
            this.result = result;
        }

        void reset()
        {
            result = Long.MIN_VALUE;
        }

        long await()
        {
            long r;
            int spins = 0;
            while ((r = result) == Long.MIN_VALUE)
            {
                // Spin briefly, then yield: on a small machine the device thread needs the core.
                if (++spins < SPIN_LIMIT)
                {
                    Thread.onSpinWait();
                }
                else
                {
                    Thread.yield();
                }
            }
            if (r < 0)
            {
                throw IoStatus.toException(r, "benchmark read");
            }
            return r;
        }
    }

    /**
     * Formats a one-namespace store holding a 64 MiB object, and a separate 64 MiB file namespace
     * on the same scheduler for the namespace reads.
     *
     * @throws IOException when the directory cannot be made.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "store-path-read");
        final Path storeDir = dir.resolve("store");
        DataDirectory.format(storeDir, 256L << 20, 1, FormatOptions.DEFAULT);
        store = ScheduledStore.open(storeDir, StoreOptions.DEFAULT, Priority.LATENCY);
        final byte[] data = new byte[(int)OBJECT_BYTES];
        new SplittableRandom(7).nextBytes(data);
        record = store.store().put("blob", data, ObjectMetadata.NONE);
        reader = store.reader();
        version = store.store().openObject("blob");
        namespace = ScheduledStore.wrapper(store.scheduler(), Priority.LATENCY)
            .apply(FileNamespace.create(dir.resolve("ns.dat"), OBJECT_BYTES));
        arena = Arena.ofShared();
        buffer = arena.allocate(READ_BYTES, READ_BYTES);
        request.object(version).into(buffer, 0).priority(Priority.LATENCY);
        for (long at = 0; at < OBJECT_BYTES; at += READ_BYTES)
        {
            buffer.fill((byte)at);
            namespace.write(buffer, at);
        }
        namespace.flush();
    }

    /** Closes everything and removes the files. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        version.close();
        namespace.close();
        store.close();
        arena.close();
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path p : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(p);
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /** @return bytes read (a blocking scheduled namespace read of a random 4 KiB block). */
    @Benchmark
    public long namespaceRead()
    {
        return namespace.read(buffer, random.nextLong(BLOCKS) * READ_BYTES);
    }

    /** @return bytes read (a random aligned 4 KiB range of the pinned object version, straight into the buffer). */
    @Benchmark
    public long pinnedRead()
    {
        waiter.reset();
        reader.read(request.range(random.nextLong(BLOCKS) * READ_BYTES, READ_BYTES), waiter, 0);
        return waiter.await();
    }

    /** @return bytes read (a random unaligned 4 KiB range of the pinned version: staged, then copied). */
    @Benchmark
    public long pinnedUnalignedRead()
    {
        waiter.reset();
        reader.read(request.range(random.nextLong(OBJECT_BYTES - READ_BYTES), READ_BYTES), waiter, 0);
        return waiter.await();
    }

    /** @return bytes read (a random 4 KiB range of the object through its layout, unpinned). */
    @Benchmark
    public long rangeRead()
    {
        waiter.reset();
        reader.read(record.layout(), random.nextLong(BLOCKS) * READ_BYTES, buffer, READ_BYTES, Priority.LATENCY, waiter, 0);
        return waiter.await();
    }
}
