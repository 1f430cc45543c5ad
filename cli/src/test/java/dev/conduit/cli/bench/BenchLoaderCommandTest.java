package dev.conduit.cli.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.bench.FioRunner;
import dev.conduit.bench.TarShardWriter;
import dev.conduit.cli.ExitCodes;
import dev.conduit.core.ConduitException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code conduit bench --loader} end to end, in-process, on a real store under {@code target/}. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BenchLoaderCommandTest
{
    private Path data;

    @BeforeEach
    void store() throws IOException
    {
        data = ScratchStore.format("bench-loader");
    }

    @Test
    void shouldRunTheLoaderOverGeneratedShardsForEveryEpoch() throws Exception
    {
        final BenchRun r = BenchRun.run("--data", data.toString(), "bench", "--loader", "--size", "8m", "--sample-size", "20k",
            "--batch", "16", "--epochs", "2", "--ring", "3", "--ramp", "300ms", "--json");
        assertEquals(0, r.exitCode(), r.err());
        final JsonNode json = new ObjectMapper().readTree(r.out());
        final int perShard = TarShardWriter.samplesPerShard(4 << 20, 20 << 10);
        final long samplesPerEpoch = 2L * perShard;
        final JsonNode loader = json.get("loader");
        assertEquals(2 * samplesPerEpoch, loader.get("samples").asLong(), "every sample of both shards, twice; padding not counted");
        assertEquals(2 * ((samplesPerEpoch + 15) / 16), loader.get("batches").asLong(), "the last batch of an epoch padded");
        assertTrue(loader.get("bytes").asLong() >= 2 * samplesPerEpoch * (20 << 10), loader.toString());
        assertTrue(loader.get("samples_per_s").asDouble() > 0 && loader.get("gib_s").asDouble() > 0, loader.toString());
        assertTrue(loader.get("cpu").get("s_per_gib").asDouble() > 0, loader.toString());
        assertEquals(loader.get("reads").asLong(), json.get("conduit").get("ios").asLong());
        assertTrue(json.get("fio").isNull() && json.get("ratio").isNull());
        assertEquals(2, json.get("config").get("shards").asInt());
        assertEquals("host", json.get("config").get("path").asText());
        assertTrue(loader.get("read_amplification").asDouble() > 1.2,
            "blocks of 16 samples of 20 KiB, verified in 1 MiB chunks: chunks are read by several batches " + loader);
        assertEquals(1 << 20, loader.get("chunk_bytes").asInt(), "the store's default chunk");
        final JsonNode warmup = json.get("config").get("warmup");
        assertTrue(warmup.get("epochs").asInt() >= 1 && warmup.get("seconds").asDouble() >= 0.3,
            "unmeasured epochs until --ramp has passed: " + warmup);

        // A second run finds the shards (and their index sidecars) and generates nothing.
        // Whole-shard blocks, unverified, one batch prefetched: every byte is read once (rounded to blocks), plus the
        // one batch of the next epoch the ring held when the run stopped.
        final BenchRun again = BenchRun.run("--data", data.toString(), "bench", "--loader", "--batch", "16", "--epochs", "1",
            "--block", "1000", "--no-crc", "--ring", "2", "--read-ahead", "4m", "--ramp", "1ms", "--json");
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(!again.err().contains("putting"), again.err());
        final JsonNode once = new ObjectMapper().readTree(again.out());
        assertEquals(samplesPerEpoch, once.get("loader").get("samples").asLong());
        assertTrue(once.get("loader").get("read_amplification").asDouble() < 1.1, once.get("loader").toString());
        assertEquals(1000, once.get("config").get("block_samples").asInt());
        assertFalse(once.get("config").get("verify").asBoolean());
        assertEquals(4 << 20, once.get("config").get("read_ahead_bytes").asLong());
        assertEquals(1, once.get("config").get("warmup").get("epochs").asInt(), "one warm-up epoch even with a --ramp shorter than it");
    }

    @Test
    void shouldCompareTheLoaderWithFioReadingTheSameExtents() throws Exception
    {
        try
        {
            FioRunner.locate(null);
        }
        catch (final ConduitException e)
        {
            Assumptions.abort("fio is not installed (.ci/run installs it): " + e.getMessage());
        }
        final BenchRun r = BenchRun.run("--data", data.toString(), "bench", "--loader", "--size", "8m", "--batch", "32",
            "--epochs", "1", "--vs-fio", "--rounds", "2", "--ramp", "1ms", "--time", "300ms", "--json");
        assertEquals(0, r.exitCode(), r.err());
        final JsonNode json = new ObjectMapper().readTree(r.out());
        final JsonNode rounds = json.get("rounds");
        assertEquals(2, rounds.size());
        assertEquals("loader", rounds.get(0).get("first").asText());
        assertEquals("fio", rounds.get(1).get("first").asText());
        for (final JsonNode round : rounds)
        {
            assertEquals(round.get("conduit").get("gib_s").asDouble() / round.get("fio").get("gib_s").asDouble(),
                round.get("ratio").get("gib_s").asDouble(), 1e-3);
        }
        final double mean = (rounds.get(0).get("ratio").get("gib_s").asDouble() + rounds.get(1).get("ratio").get("gib_s")
            .asDouble()) / 2;
        assertEquals(mean, json.get("ratio").get("gib_s").asDouble(), 1e-3);
        final String command = json.get("fio_command").toString();
        assertTrue(command.contains("--rw=read") && command.contains("--direct=1") && command.contains("--ioengine=io_uring")
            && command.contains("--registerfiles") && command.contains("--fixedbufs"), command);
        long bytes = 0;
        for (final JsonNode arg : json.get("fio_command"))
        {
            bytes += arg.asText().startsWith("--size=") ? Long.parseLong(arg.asText().substring(7)) : 0;
        }
        assertEquals(8L << 20, bytes, "fio reads the two 4 MiB shards' extents");
        assertTrue(command.contains("--bs=1m"), "whole stripe units, so fio reads in 1 MiB blocks: " + command);
        assertTrue(command.contains("--time_based") && command.contains("--runtime=300ms"), command);
        assertTrue(json.get("fio").get("bytes").asLong() > bytes, "fio read the extents over and over for --time: " + json.get("fio"));
        assertEquals(0.3, json.get("config").get("fio_time_s").asDouble(), 1e-9);
    }

    @Test
    void shouldRefuseATargetWithTheLoader()
    {
        final BenchRun r = BenchRun.run("--data", data.toString(), "bench", "--loader", "--target", "store");
        assertEquals(ExitCodes.FAILURE, r.exitCode(), r.err());
        assertTrue(r.err().contains("[INVALID_ARGUMENT]"), r.err());
    }
}
