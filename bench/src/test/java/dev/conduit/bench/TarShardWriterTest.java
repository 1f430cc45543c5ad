package dev.conduit.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.conduit.core.ConduitException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loader bench's shards, read back by the system's GNU tar; and fio's block over the shards' extents. */
@Timeout(60)
class TarShardWriterTest
{
    @Test
    void shouldWriteShardsGnuTarReads() throws Exception
    {
        final byte[] shard = TarShardWriter.shard(5, 3, 1000, 8192);
        assertEquals(8192, shard.length, "padded with zero blocks to the shard size");
        assertEquals(List.of("00000005.bin", "00000006.bin", "00000007.bin"),
            new String(tar(shard, "-tf", "-"), StandardCharsets.US_ASCII).lines().toList());
        final byte[] member = tar(shard, "-xOf", "-", "00000006.bin");
        assertEquals(1000, member.length);
        final byte[] expected = new byte[1000];
        for (int i = 0; i < expected.length; i++)
        {
            expected[i] = BlockPattern.byteAt(6 * 1000 + i);
        }
        assertArrayEquals(expected, member, "sample 6 holds the pattern from offset 6 x 1000");
    }

    @Test
    void shouldCountTheSamplesAShardHolds()
    {
        assertEquals(3, TarShardWriter.samplesPerShard(3 * (512 + 1024) + 1024, 1000));
        assertEquals(2, TarShardWriter.samplesPerShard(3 * (512 + 1024) + 1023, 1000));
        assertThrows(ConduitException.class, () -> TarShardWriter.samplesPerShard(4096, 4096));
    }

    @Test
    void shouldGiveFioTheLargestBlockEveryExtentAllows()
    {
        final LoaderBenchConfig config = new LoaderBenchConfig("p/", 8, 1, 1000, 4 << 20, 8 << 20, 4, 0, 16, 1, "host",
            Path.of("data"));
        final Path ns = Path.of("ns-000.cdt");
        assertEquals(1 << 20, LoaderBench.fioConfig(config, List.of(new Region(ns, 1 << 20, 4 << 20),
            new Region(ns, 8 << 20, 4 << 20))).blockSizeBytes());
        assertEquals(64 << 10, LoaderBench.fioConfig(config, List.of(new Region(ns, 1 << 20, 4 << 20),
            new Region(ns, 9 << 20, (4 << 20) + (64 << 10)))).blockSizeBytes());
        final List<Region> many = IntStream.range(0, 20)
            .mapToObj(i -> new Region(ns, (long)i << 23, 4 << 20)).toList();
        assertEquals(20, LoaderBench.fioConfig(config, many).queueDepth(), "at least one I/O in flight per region");
    }

    private static byte[] tar(final byte[] input, final String... args) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of("tar"));
        command.addAll(List.of(args));
        final Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream in = p.getOutputStream())
        {
            in.write(input);
        }
        final byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "tar " + String.join(" ", args));
        return out;
    }
}
