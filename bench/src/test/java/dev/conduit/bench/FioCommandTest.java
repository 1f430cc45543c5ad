package dev.conduit.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.scheduler.Priority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** fio is given what Conduit used: engine options, total in-flight depth, the object's own blocks, direct or not. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FioCommandTest
{
    private static final Path FIO = Path.of("fio");
    private static final IoPath URING_ALL = new IoPath(IoPath.IO_URING, true, true, true);

    private static BenchConfig config(final String target, final BenchMode mode, final int qd, final int threads,
        final boolean direct, final long rateIops)
    {
        return new BenchConfig(target, mode, 4096, qd, threads, 1L << 30, 5_000_000_000L, 1_000_000_000L, direct,
            "auto", Priority.LATENCY, "host", Path.of("var"), 3, rateIops);
    }

    /** @return the value of every {@code --key=} argument, in order. */
    private static List<String> values(final List<String> cmd, final String key)
    {
        final List<String> values = new ArrayList<>();
        for (final String arg : cmd)
        {
            if (arg.startsWith("--" + key + "="))
            {
                values.add(arg.substring(key.length() + 3));
            }
        }
        return values;
    }

    @Test
    void shouldRegisterFilesAndBuffersWhenConduitDid()
    {
        final BenchConfig config = config("data.bin", BenchMode.RANDREAD, 64, 1, true, 0);
        final List<Region> whole = List.of(new Region(Path.of("data.bin"), 0, 1L << 30));
        final List<String> cmd = FioRunner.command(FIO, config, URING_ALL, whole);
        assertTrue(cmd.contains("--fixedbufs") && cmd.contains("--registerfiles"), cmd.toString());
        assertEquals(List.of("64"), values(cmd, "iodepth"));
        assertEquals(List.of("1"), values(cmd, "numjobs"));
        assertEquals(List.of("0"), values(cmd, "offset"));
        assertEquals(List.of("1073741824"), values(cmd, "size"));

        final List<String> plain = FioRunner.command(FIO, config, new IoPath(IoPath.IO_URING, true, false, true), whole);
        assertTrue(plain.contains("--registerfiles") && !plain.contains("--fixedbufs"), plain.toString());
    }

    @Test
    void shouldKeepTheSameTotalDepthOverThreads()
    {
        final List<String> cmd = FioRunner.command(FIO, config("data.bin", BenchMode.READ, 32, 4, true, 0), URING_ALL,
            List.of(new Region(Path.of("data.bin"), 0, 1L << 30)));
        assertEquals(List.of("32"), values(cmd, "iodepth"));
        assertEquals(List.of("4"), values(cmd, "numjobs"));
    }

    @Test
    void shouldGiveEachOfTheObjectsRunsItsShareOfTheTotalDepth()
    {
        // Three runs of the object's blocks (two on ns-0 that are not adjacent), 6, 3 and 3 MiB.
        final List<Region> regions = List.of(new Region(Path.of("ns-000.cdt"), 0, 6 << 20),
            new Region(Path.of("ns-000.cdt"), 64 << 20, 3 << 20), new Region(Path.of("ns-001.cdt"), 4096, 3 << 20));
        final List<String> cmd = FioRunner.command(FIO, config("store", BenchMode.RANDREAD, 32, 2, true, 0),
            new IoPath(IoPath.IO_URING, true, false, true), regions);
        assertEquals(List.of("ns-000.cdt", "ns-000.cdt", "ns-001.cdt"), values(cmd, "filename"));
        assertEquals(List.of("0", "67108864", "4096"), values(cmd, "offset"));
        assertEquals(List.of("6291456", "3145728", "3145728"), values(cmd, "size"));
        assertEquals(List.of("1", "1", "1"), values(cmd, "numjobs"));
        // 64 in flight in total (32 x 2 jobs), split by size.
        assertEquals(List.of("32", "16", "16"), values(cmd, "iodepth"));
        assertTrue(cmd.contains("--registerfiles") && !cmd.contains("--fixedbufs"), cmd.toString());
    }

    @Test
    void shouldRefuseABufferedDirectMismatch()
    {
        final List<Region> whole = List.of(new Region(Path.of("data.bin"), 0, 1L << 30));
        final ConduitException e = assertThrows(ConduitException.class, () -> FioRunner.command(FIO,
            config("data.bin", BenchMode.READ, 32, 1, false, 0), URING_ALL, whole));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertEquals(List.of("0"), values(FioRunner.command(FIO, config("data.bin", BenchMode.READ, 32, 1, false, 0),
            new IoPath(IoPath.IO_URING, true, true, false), whole), "direct"));
    }

    @Test
    void shouldGivePreadAThreadPerSlotAndRefuseTheNullBackend()
    {
        final List<Region> whole = List.of(new Region(Path.of("data.bin"), 0, 1L << 30));
        final List<String> cmd = FioRunner.command(FIO, config("data.bin", BenchMode.READ, 8, 2, true, 0),
            new IoPath(IoPath.PREAD, false, false, true), whole);
        assertEquals(List.of("psync"), values(cmd, "ioengine"));
        assertEquals(List.of("1"), values(cmd, "iodepth"));
        assertEquals(List.of("16"), values(cmd, "numjobs"));
        assertFalse(cmd.contains("--fixedbufs"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(ConduitException.class, () -> FioRunner.command(FIO,
            config("data.bin", BenchMode.READ, 8, 2, true, 0), new IoPath(IoPath.NULL, false, false, true), whole)).code());
    }

    @Test
    void shouldPaceFioAtTheSameTotalRate()
    {
        final List<String> cmd = FioRunner.command(FIO, config("data.bin", BenchMode.RANDREAD, 16, 4, true, 20_000),
            URING_ALL, List.of(new Region(Path.of("data.bin"), 0, 1L << 30)));
        // 4 jobs of 5,000 IOPS each.
        assertEquals(List.of("5000"), values(cmd, "rate_iops"));
    }
}
