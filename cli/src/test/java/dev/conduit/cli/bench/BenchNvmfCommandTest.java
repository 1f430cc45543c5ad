package dev.conduit.cli.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.nvmeof.target.NvmfTarget;
import dev.conduit.nvmeof.target.NvmfTargetConfig;
import dev.conduit.nvmeof.target.Subsystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code conduit bench --target nvmf://...} in-process against Conduit's target on 127.0.0.1 over a RAM namespace. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BenchNvmfCommandTest
{
    private static final String NQN = "nqn.2026-01.dev.conduit:bench-test";
    private static final String BENCH_HOST = "nqn.2026-01.dev.conduit:bench";

    private MemoryNamespace ram;
    private NvmfTarget target;
    private String url;

    @BeforeEach
    void start()
    {
        ram = MemoryNamespace.allocate("ram", 32L << 20);
        target = NvmfTarget.start(NvmfTargetConfig.defaults("127.0.0.1", 0),
            List.of(new Subsystem(NQN, List.of(ram), Set.of(BENCH_HOST), false, "CONDUIT-BT")));
        url = "nvmf://127.0.0.1:" + target.localAddress().getPort() + "/" + NQN + "/1";
    }

    @AfterEach
    void stop()
    {
        target.close();
        ram.close();
    }

    @Test
    void shouldReadForTheGivenTimeOverTwoQueues() throws Exception
    {
        final BenchRun r = BenchRun.run("bench", "--target", url, "--mode", "randread", "--bs", "4k", "--qd", "8",
            "--threads", "2", "--time", "1s", "--json");
        assertEquals(0, r.exitCode(), r.err());
        final JsonNode json = new ObjectMapper().readTree(r.out());
        final JsonNode conduit = json.get("conduit");
        assertTrue(conduit.get("ios").asLong() > 0 && conduit.get("iops").asDouble() > 0, conduit.toString());
        assertEquals(conduit.get("ios").asLong() * 4096, conduit.get("bytes").asLong());
        assertTrue(conduit.get("lat_us").get("p99").asDouble() > 0, conduit.toString());
        assertEquals(url, json.get("config").get("target").asText());
        assertEquals("randread", json.get("config").get("mode").asText());
    }

    @Test
    void shouldWriteTheRequestedBytesOntoTheRemoteNamespace() throws Exception
    {
        final BenchRun r = BenchRun.run("bench", "--target", url, "--mode", "write", "--bs", "128k", "--qd", "4",
            "--size", "4m", "--json");
        assertEquals(0, r.exitCode(), r.err());
        final JsonNode conduit = new ObjectMapper().readTree(r.out()).get("conduit");
        assertEquals(4L << 20, conduit.get("bytes").asLong(), conduit.toString());
        try (Arena arena = Arena.ofShared())
        {
            final MemorySegment written = arena.allocate(4 << 20, 4096);
            ram.read(written, 0);
            assertNotEquals(-1L, written.mismatch(arena.allocate(4 << 20, 4096)), "the bench's pattern reached the namespace");
        }
    }

    @Test
    void shouldFailClearlyOnAnUnknownSubsystemOrABadUrl()
    {
        final BenchRun unknown = BenchRun.run("bench", "--target", url.replace(NQN, NQN + "-nope"), "--time", "1s");
        assertNotEquals(0, unknown.exitCode());
        assertTrue(unknown.err().contains("Connect"), unknown.err());
        final BenchRun bad = BenchRun.run("bench", "--target", "nvmf://127.0.0.1/" + NQN, "--time", "1s");
        assertNotEquals(0, bad.exitCode());
        assertTrue(bad.err().contains("HOST[:PORT]/NQN/NSID"), bad.err());
        final BenchRun fio = BenchRun.run("bench", "--target", url, "--vs-fio");
        assertNotEquals(0, fio.exitCode());
        assertTrue(fio.err().contains("fio cannot open"), fio.err());
    }
}
