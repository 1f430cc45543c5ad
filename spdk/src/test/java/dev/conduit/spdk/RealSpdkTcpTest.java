package dev.conduit.spdk;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.nativebindings.spdk.SpdkControllerIdentity;
import dev.conduit.nativebindings.spdk.SpdkLibrary;
import dev.conduit.nvmeof.target.NvmfTarget;
import dev.conduit.nvmeof.target.NvmfTargetConfig;
import dev.conduit.nvmeof.target.Subsystem;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Real SPDK, where it is installed: Conduit's SPDK backend writes and reads through SPDK's own
 * NVMe/TCP initiator against Conduit's NVMe/TCP target on 127.0.0.1, and every byte is compared on
 * both sides (what came back through SPDK, and what landed in the target's namespace). Runs in a
 * JVM of its own (the {@code real-spdk} surefire execution); skipped, saying why, without SPDK.
 */
@Timeout(180)
class RealSpdkTcpTest
{
    private static final String NQN = "nqn.2026-01.dev.conduit:spdk-real";
    private static final long CAPACITY = 64L << 20;
    private static final int CHUNK = 1 << 20;

    @Test
    void shouldWriteAndReadByteForByteThroughSpdksTcpInitiatorAgainstConduitsTarget()
    {
        final Optional<SpdkLibrary> spdk = SpdkLibrary.load();
        Assumptions.assumeTrue(spdk.isEmpty() || !spdk.get().name().contains("_double."),
            "this JVM loads the SPDK test double; real SPDK runs in the real-spdk surefire execution");
        Assumptions.assumeTrue(spdk.isPresent(), "SPDK is not installed here (" + SpdkLibrary.loadFailure() + "); set "
            + SpdkLibrary.OVERRIDE_ENV + " to an SPDK build's libspdk_nvme.so, its directory on LD_LIBRARY_PATH, to run this test");
        System.out.println("real SPDK " + spdk.get().version().orElse("(version unknown)") + " from " + spdk.get().name());

        try (MemoryNamespace backing = MemoryNamespace.allocate("backing", CAPACITY);
             NvmfTarget target = NvmfTarget.start(NvmfTargetConfig.defaults("127.0.0.1", 0),
                 List.of(new Subsystem(NQN, List.of(backing), Set.of(), true, "CONDUIT-SPDK")));
             Arena arena = Arena.ofShared())
        {
            final int port = target.localAddress().getPort();
            try (SpdkNamespace ns = (SpdkNamespace) new SpdkNamespaceProvider().open(
                "spdk://trtype:TCP,adrfam:IPv4,traddr:127.0.0.1,trsvcid:" + port + ",subnqn:" + NQN + ",ns:1,queues:2"))
            {
                final SpdkControllerIdentity id = ns.controller().identity();
                assertEquals(NQN, id.subsystemNqn());
                assertEquals(CAPACITY, ns.capacityBytes());
                final long[] offsets = {0, 5L * CHUNK, CAPACITY - CHUNK};
                for (final long offset : offsets)
                {
                    ns.write(pattern(arena, offset), offset);
                }
                ns.flush();
                final MemorySegment back = arena.allocate(CHUNK, 4096);
                for (final long offset : offsets)
                {
                    final byte[] expected = pattern(arena, offset).toArray(JAVA_BYTE);
                    ns.readFully(back, offset);
                    assertArrayEquals(expected, back.toArray(JAVA_BYTE), "read back through SPDK at " + offset);
                    assertArrayEquals(expected, backing.contents().asSlice(offset, CHUNK).toArray(JAVA_BYTE),
                        "bytes in Conduit's target at " + offset);
                }
                final MemorySegment block = arena.allocate(ns.blockSize(), 4096);
                assertEquals(ns.blockSize(), ns.read(block, CAPACITY - ns.blockSize()));
                System.out.println("ok " + id + ": wrote, flushed and read back " + offsets.length + " x " + CHUNK + " B byte for byte");
            }
        }
    }

    private static MemorySegment pattern(final Arena arena, final long offset)
    {
        final MemorySegment m = arena.allocate(CHUNK, 4096);
        for (int i = 0; i < CHUNK; i += 8)
        {
            m.set(JAVA_LONG, i, (offset + i) * 0x9E3779B97F4A7C15L);
        }
        return m;
    }
}
