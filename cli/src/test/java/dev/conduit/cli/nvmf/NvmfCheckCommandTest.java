package dev.conduit.cli.nvmf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.nvmeof.target.NvmfTarget;
import dev.conduit.nvmeof.target.NvmfTargetConfig;
import dev.conduit.nvmeof.target.Subsystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code conduit nvmf check} and {@code discover} against Conduit's own target on loopback, over a RAM namespace. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NvmfCheckCommandTest
{
    private static final String NQN = "nqn.2026-01.dev.conduit:check";
    private static final long CAPACITY_BYTES = 8L << 20;

    private MemoryNamespace ram;
    private NvmfTarget target;

    @BeforeEach
    void start()
    {
        ram = MemoryNamespace.allocate("check-ram", CAPACITY_BYTES);
        final Subsystem subsystem = new Subsystem(NQN, List.of(ram), Set.of(NvmfCheckCommand.DEFAULT_HOST_NQN), false, "CNDTCHECK001");
        target = NvmfTarget.start(NvmfTargetConfig.defaults("127.0.0.1", 0), List.of(subsystem));
    }

    @AfterEach
    void stop()
    {
        target.close();
        ram.close();
    }

    private CliResult check(final String... extra)
    {
        final String[] args = new String[3 + extra.length];
        args[0] = "nvmf";
        args[1] = "check";
        args[2] = "nvmf://127.0.0.1:" + target.localAddress().getPort() + "/" + NQN + "/1";
        System.arraycopy(extra, 0, args, 3, extra.length);
        return conduit(args);
    }

    private static CliResult conduit(final String... args)
    {
        return CliResult.run(args);
    }

    private void assertAllStepsPassed(final CliResult result, final String sizeBytes)
    {
        assertEquals(0, result.exitCode(), result.err());
        final List<String> lines = result.out().lines().toList();
        assertEquals(4, lines.size(), result.out());
        assertTrue(lines.get(0).startsWith("ok identify ") && lines.get(0).contains("block size 4096 B, capacity " + CAPACITY_BYTES + " B"), lines.get(0));
        assertTrue(lines.get(1).startsWith("ok write " + sizeBytes + " B from LBA 0"), lines.get(1));
        assertEquals("ok flush", lines.get(2));
        assertTrue(lines.get(3).startsWith("ok read back and compare " + sizeBytes + " B"), lines.get(3));
    }

    @Test
    void shouldWriteFlushAndReadBackThePattern()
    {
        assertAllStepsPassed(check("--size", "3m"), String.valueOf(3L << 20));
        // The pattern really landed on the namespace: not zeros, and what a second run reads back.
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment block = arena.allocate(4096, 4096);
            ram.read(block, (3L << 20) - 4096);
            assertNotEquals(-1L, block.mismatch(arena.allocate(4096, 4096)), "the last block written is not zeros");
            ram.read(block, 3L << 20);
            assertEquals(-1L, block.mismatch(arena.allocate(4096, 4096)), "nothing written past --size");
        }
    }

    @Test
    void shouldPassWithHeaderAndDataDigests()
    {
        final CliResult result = check("--size", "2m", "--digests");
        assertAllStepsPassed(result, String.valueOf(2L << 20));
        assertTrue(result.out().lines().findFirst().orElseThrow().endsWith("header and data digests"), result.out());
    }

    @Test
    void shouldFailInOneLineWhenTheHostIsNotAllowed()
    {
        final CliResult result = check("--host-nqn", "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-4000-8000-0000000bad00");
        assertNotEquals(0, result.exitCode());
        assertEquals("", result.out());
        final List<String> lines = result.err().lines().toList();
        assertEquals(1, lines.size(), result.err());
        assertTrue(lines.getFirst().startsWith("conduit check: "), lines.getFirst());
        assertFalse(result.err().contains("\tat "), "no stack trace");
    }

    @Test
    void shouldRefuseASizeBeyondTheCapacity()
    {
        final CliResult result = check("--size", "16m");
        assertNotEquals(0, result.exitCode());
        assertTrue(result.out().startsWith("ok identify "), result.out());
        assertTrue(result.err().contains("at most the capacity " + CAPACITY_BYTES), result.err());
    }

    @Test
    void shouldSpreadTheCheckOverTwoIoQueues()
    {
        final long connectionsBefore = target.acceptedConnections();
        final CliResult result = check("--size", "2m", "--queues", "2");
        assertAllStepsPassed(result, String.valueOf(2L << 20));
        assertTrue(result.out().lines().findFirst().orElseThrow().endsWith("2 I/O queues"), result.out());
        assertEquals(3, target.acceptedConnections() - connectionsBefore, "admin queue and two I/O queues");
        assertNotEquals(0, check("--queues", "0").exitCode());
    }

    @Test
    void shouldDiscoverTheSubsystemThisHostMayUse()
    {
        final String address = "nvmf://127.0.0.1:" + target.localAddress().getPort();
        final CliResult result = conduit("nvmf", "discover", address);
        assertEquals(0, result.exitCode(), result.err());
        assertEquals(List.of(address + "/" + NQN + " subtype=nvm transport=tcp family=ipv4 portid=1"), result.out().lines().toList());
        final CliResult other = conduit("nvmf", "discover", address + "/", "--host-nqn", "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-4000-8000-0000000bad00");
        assertEquals(0, other.exitCode(), other.err());
        assertEquals("", other.out(), "a host on no allow-list sees nothing");
        assertNotEquals(0, conduit("nvmf", "discover", address + "/" + NQN).exitCode());
    }
}
