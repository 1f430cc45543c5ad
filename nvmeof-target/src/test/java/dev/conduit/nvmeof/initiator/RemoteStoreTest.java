package dev.conduit.nvmeof.initiator;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.FormatOptions;
import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nvmeof.target.NvmfTarget;
import dev.conduit.nvmeof.target.NvmfTargetConfig;
import dev.conduit.nvmeof.target.Subsystem;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.store.ScheduledStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scale-out picture on loopback: one store striped over namespaces that two targets serve. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RemoteStoreTest
{
    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    private final List<MemoryNamespace> backing = new ArrayList<>();
    private final List<NvmfTarget> targets = new ArrayList<>();

    @BeforeEach
    void start()
    {
        for (int i = 0; i < 2; i++)
        {
            // Node 1 has 512-byte LBAs, like the kernel's nvmet-tcp over a RAM disk.
            final MemoryNamespace ns = MemoryNamespace.allocate("node" + i, i == 0 ? 4096 : 512, 64 * MIB);
            backing.add(ns);
            targets.add(NvmfTarget.start(NvmfTargetConfig.defaults("127.0.0.1", 0),
                List.of(new Subsystem(nqn(i), List.of(ns), Set.of(NvmfNamespaceProvider.DEFAULT_HOST_NQN), false, "CONDUIT-S" + i))));
        }
    }

    @AfterEach
    void stop()
    {
        targets.forEach(NvmfTarget::close);
        backing.forEach(MemoryNamespace::close);
    }

    private static String nqn(final int node)
    {
        return "nqn.2026-01.dev.conduit:store-node" + node;
    }

    private String spec(final int node, final String options)
    {
        return "nvmf://127.0.0.1:" + targets.get(node).localAddress().getPort() + "/" + nqn(node) + "/1" + options;
    }

    @Test
    void shouldStripeAStoreOverTwoTargetsAndReopenIt()
    {
        DataDirectory.format(dir, List.of(spec(0, ""), spec(1, "?queues=1&digests=on")), FormatOptions.DEFAULT.withJournalBytes(2 * MIB));
        final SplittableRandom random = new SplittableRandom(12);
        final List<byte[]> objects = new ArrayList<>();
        for (final int size : new int[] {0, 100, 4096, (int)(5 * MIB + 17), (int)(3 * MIB)})
        {
            final byte[] data = new byte[size];
            random.nextBytes(data);
            objects.add(data);
        }
        try (ObjectStore store = DataDirectory.open(dir, StoreOptions.DEFAULT))
        {
            for (int i = 0; i < objects.size(); i++)
            {
                store.put("obj-" + i, objects.get(i), ObjectMetadata.NONE);
                assertArrayEquals(objects.get(i), store.getBytes("obj-" + i));
            }
        }
        // Both nodes hold object data past their metadata areas: the 5 MiB object is striped in 1 MiB units.
        for (final MemoryNamespace ns : backing)
        {
            assertTrue(holdsAStripeUnitOf(ns, objects.get(3)), ns.id() + " holds none of the striped object");
        }
        // Reopened through the scheduler, the way the CLI opens it.
        try (ScheduledStore scheduled = ScheduledStore.open(dir, StoreOptions.DEFAULT, Priority.LATENCY))
        {
            for (int i = 0; i < objects.size(); i++)
            {
                assertArrayEquals(objects.get(i), scheduled.store().getBytes("obj-" + i), "obj-" + i);
            }
        }
    }

    /** @return true when the first 4 KiB of one of the object's stripe units lies 4 KiB-aligned in {@code ns}. */
    private static boolean holdsAStripeUnitOf(final MemoryNamespace ns, final byte[] data)
    {
        final MemorySegment contents = ns.contents();
        for (long unit = 0; unit + 4096 <= data.length; unit += MIB)
        {
            final MemorySegment piece = MemorySegment.ofArray(data).asSlice(unit, 4096);
            for (long offset = 0; offset + 4096 <= contents.byteSize(); offset += 4096)
            {
                if (contents.asSlice(offset, 4096).mismatch(piece) == -1)
                {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void shouldRefuseAMalformedOrUnreachableSpec()
    {
        final ConduitException option = assertThrows(ConduitException.class,
            () -> DataDirectory.format(dir, List.of(spec(0, "?queues=0")), FormatOptions.DEFAULT));
        assertEquals(ErrorCode.INVALID_ARGUMENT, option.code());
        assertTrue(option.getMessage().contains("queues"), option.getMessage());
        final ConduitException host = assertThrows(ConduitException.class,
            () -> DataDirectory.format(dir, List.of(spec(0, "?hostnqn=nqn.2014-08.org.example:not-allowed")), FormatOptions.DEFAULT));
        assertEquals(ErrorCode.NVME_COMMAND_FAILED, host.code());
        assertFalse(DataDirectory.isFormatted(dir));
    }
}
