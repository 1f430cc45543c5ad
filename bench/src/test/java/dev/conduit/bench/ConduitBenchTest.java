package dev.conduit.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.FormatOptions;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nativebindings.DirectIoSupport;
import dev.conduit.scheduler.Backends;
import dev.conduit.scheduler.Priority;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Small size-based runs of the harness on temporary files and stores: exact I/O counts, sane statistics. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConduitBenchTest
{
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    private BenchConfig config(final String target, final BenchMode mode, final long bs, final String backend,
        final boolean direct, final long size)
    {
        return new BenchConfig(target, mode, bs, 8, 2, size, 0, 0, direct, backend, Priority.LATENCY, "host", dir);
    }

    private static void assertSane(final BenchResult r, final long expectedIos, final long bs)
    {
        assertEquals(expectedIos, r.ios());
        assertEquals(expectedIos * bs, r.bytes());
        assertTrue(r.gibPerSec() > 0 && r.iops() > 0, r.toString());
        assertTrue(r.p50Us() <= r.p99Us() && r.p99Us() <= r.p999Us() && r.p999Us() <= r.maxUs(), r.toString());
    }

    @ParameterizedTest
    @CsvSource({"pread,read", "pread,randwrite", "io_uring,randread", "io_uring,write", "null,read"})
    void shouldMoveExactlySizeBytesPerJob(final String backend, final String mode)
    {
        Assumptions.assumeTrue(!backend.equals("io_uring") || Backends.ioUringSupport().available());
        final DirectIoSupport support = DirectIoSupport.probe(dir);
        final Path file = dir.resolve("bench.dat");
        final BenchConfig config = config(file.toString(), BenchMode.parse(mode), 64 << 10, backend, support.supported(), 4 * MIB);
        final BenchResult r = ConduitBench.run(config, Progress.silent());
        assertTrue(Files.exists(file));
        assertEquals(4 * MIB, file.toFile().length(), "created at --size");
        // Two jobs, each moving the whole 4 MiB.
        assertSane(r, 2 * 4 * MIB / (64 << 10), 64 << 10);
    }

    @Test
    void shouldRunForTheGivenTimeAfterTheRamp()
    {
        final Path file = dir.resolve("timed.dat");
        final BenchConfig config = new BenchConfig(file.toString(), BenchMode.RANDREAD, 4096, 4, 1, MIB,
            TimeUnit.MILLISECONDS.toNanos(300), TimeUnit.MILLISECONDS.toNanos(100), false, "pread", Priority.BULK, "host", dir);
        final BenchResult r = ConduitBench.run(config, Progress.silent());
        assertTrue(r.seconds() >= 0.25 && r.seconds() < 5, "measured " + r.seconds() + " s");
        assertTrue(r.ios() > 0);
    }

    @Test
    void shouldReadAnObjectFromTheStore()
    {
        final Path data = dir.resolve("store");
        DataDirectory.format(data, 64 * MIB, 2, FormatOptions.DEFAULT);
        final BenchConfig config = new BenchConfig(BenchConfig.STORE, BenchMode.RANDREAD, 64 << 10, 8, 1, 8 * MIB, 0, 0,
            true, "auto", Priority.LATENCY, "host", data);
        final ConduitRun first = StoreBench.run(config, Progress.silent());
        assertSane(first.result(), 8 * MIB / (64 << 10), 64 << 10);
        assertEquals(8 * MIB, first.regions().stream().mapToLong(Region::sizeBytes).sum(), "the object's own blocks");
        assertTrue(!first.regions().isEmpty(), first.regions().toString());
        assertEquals(Backends.ioUringSupport().available() ? IoPath.IO_URING : IoPath.PREAD, first.ioPath().engine());
        assertTrue(first.ioPath().direct() && !first.ioPath().fixedBuffers(), first.ioPath().toString());
        // The second run finds the object and reuses it.
        assertSane(StoreBench.run(config, Progress.silent()).result(), 8 * MIB / (64 << 10), 64 << 10);
    }

    @Test
    void shouldExplainWhatIsMissing()
    {
        final BenchConfig noStore = new BenchConfig(BenchConfig.STORE, BenchMode.READ, 4096, 1, 1, MIB, 0, 0, true, "auto",
            Priority.LATENCY, "host", dir.resolve("none"));
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ConduitException.class, () -> ConduitBench.run(noStore, Progress.silent())).code());
        assertThrows(IllegalArgumentException.class, () -> new BenchConfig(BenchConfig.STORE, BenchMode.WRITE, 4096, 1, 1, MIB,
            0, 0, true, "auto", Priority.LATENCY, "host", dir));
        assertThrows(IllegalArgumentException.class, () -> config("x", BenchMode.READ, 2048, "auto", true, MIB));
        assertThrows(IllegalArgumentException.class, () -> config("x", BenchMode.READ, 32 * MIB, "auto", true, 64 * MIB));
        assertThrows(IllegalArgumentException.class,
            () -> ConduitBench.run(config(dir.resolve("absent.dat").toString(), BenchMode.READ, 4096, "pread", false, 0),
                Progress.silent()));
    }
}
