package dev.conduit.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.scheduler.Priority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FioRunnerTest
{
    private static BenchConfig config(final BenchMode mode, final long timeNs, final long rampNs)
    {
        return new BenchConfig("data.bin", mode, 1 << 20, 32, 2, 1L << 30, timeNs, rampNs, true, "auto",
            Priority.LATENCY, "host", Path.of("var"));
    }

    @Test
    void shouldParseAReportFioWrote() throws IOException
    {
        final String json;
        try (InputStream in = FioRunnerTest.class.getResourceAsStream("fio-randread-4k.json"))
        {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // The values below are the ones in the file (a real fio-3.33 run, iodepth 8).
        final BenchResult r = FioRunner.parse("fio: a warning before the report\n" + json, true);
        assertEquals("fio fio-3.33", r.detail());
        assertEquals(55832.167832, r.iops(), 1e-6);
        assertEquals(228688559 / BenchResult.GIB, r.gibPerSec(), 1e-9);
        assertEquals(132.096, r.p50Us(), 1e-9);
        assertEquals(374.784, r.p99Us(), 1e-9);
        assertEquals(1253.376, r.p999Us(), 1e-9);
        assertEquals(2891.426, r.maxUs(), 1e-9);
    }

    @Test
    void shouldRefuseReportsWithoutTheNeededSide()
    {
        final ConduitException e = assertThrows(ConduitException.class,
            () -> FioRunner.parse("{\"jobs\":[{\"read\":{\"bw_bytes\":1,\"iops\":1}}]}", false));
        assertEquals(ErrorCode.TOOL_FAILED, e.code());
        assertEquals(ErrorCode.TOOL_FAILED, assertThrows(ConduitException.class, () -> FioRunner.parse("oops", true)).code());
    }

    @Test
    void shouldRunTheSameWorkloadAsConduit()
    {
        final IoPath uring = new IoPath(IoPath.IO_URING, true, true, true);
        final List<Region> whole = List.of(new Region(Path.of("data.bin"), 0, 1L << 30));
        final List<String> cmd = FioRunner.command(Path.of("fio"), config(BenchMode.RANDREAD, 10_000_000_000L, 2_000_000_000L),
            uring, whole);
        for (final String expected : List.of("--filename=data.bin", "--ioengine=io_uring", "--direct=1", "--rw=randread",
            "--bs=1m", "--iodepth=32", "--numjobs=2", "--size=1073741824", "--runtime=10000ms", "--time_based",
            "--ramp_time=2000ms", "--output-format=json", "--group_reporting"))
        {
            assertTrue(cmd.contains(expected), expected + " in " + cmd);
        }
        final List<String> sized = FioRunner.command(Path.of("fio"), config(BenchMode.WRITE, 0, 0), uring, whole);
        assertTrue(sized.contains("--rw=write"));
        assertTrue(sized.stream().noneMatch(a -> a.startsWith("--runtime") || a.startsWith("--time_based")));
    }

    @Test
    void shouldSayHowToInstallFioWhenAbsent()
    {
        final ConduitException e = assertThrows(ConduitException.class, () -> FioRunner.locate("no/such/fio"));
        assertEquals(ErrorCode.TOOL_NOT_FOUND, e.code());
    }
}
