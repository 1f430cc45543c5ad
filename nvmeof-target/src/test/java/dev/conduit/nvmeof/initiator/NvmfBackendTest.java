package dev.conduit.nvmeof.initiator;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.conduit.blocklayout.namespace.ForwardingNamespace;
import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.ErrorDomain;
import dev.conduit.nvmeof.command.NvmeStatus;
import dev.conduit.nvmeof.target.NvmfTarget;
import dev.conduit.nvmeof.target.NvmfTargetConfig;
import dev.conduit.nvmeof.target.Subsystem;
import dev.conduit.scheduler.IoScheduler;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.SchedulerContext;
import dev.conduit.scheduler.store.ScheduledNamespace;
import dev.conduit.scheduler.store.ScheduledStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A remote namespace under the I/O scheduler: its own asynchronous backend, NVMe statuses in the error model. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NvmfBackendTest
{
    private static final String HOST = "nqn.2014-08.org.nvmexpress:uuid:bac0e0d0-0000-4000-8000-000000000001";
    private static final String NQN = "nqn.2026-01.dev.conduit:backend";
    private static final long FAILING_FROM_BYTES = 8L << 20;

    private final Arena arena = Arena.ofShared();
    private MemoryNamespace backing;
    private NvmfTarget target;
    private IoScheduler scheduler;
    private RemoteNamespace remote;

    @BeforeEach
    void start()
    {
        backing = MemoryNamespace.allocate("backend", 16L << 20);
        // Writes from 8 MiB on fail inside the target: the host must see the NVMe status it sends.
        final ForwardingNamespace failing = new ForwardingNamespace(backing)
        {
            @Override
            public void write(final MemorySegment src, final long offsetBytes)
            {
                if (offsetBytes >= FAILING_FROM_BYTES)
                {
                    throw new ConduitException(ErrorCode.IO_ERROR, "injected write failure at " + offsetBytes);
                }
                super.write(src, offsetBytes);
            }
        };
        target = NvmfTarget.start(NvmfTargetConfig.defaults("127.0.0.1", 0),
            List.of(new Subsystem(NQN, List.of(failing), Set.of(HOST), false, "CONDUIT-B")));
        remote = RemoteNamespace.connect(target.localAddress(), HostQueue.Options.of(HOST), NQN, 1, 2);
        scheduler = IoScheduler.launch(new SchedulerContext());
    }

    @AfterEach
    void stop()
    {
        scheduler.close();
        remote.close();
        target.close();
        backing.close();
        arena.close();
    }

    private ScheduledNamespace scheduled()
    {
        return (ScheduledNamespace)ScheduledStore.wrapper(scheduler, Priority.LATENCY).apply(remote);
    }

    private MemorySegment pattern(final int lengthBytes, final long seed)
    {
        return Patterns.of(arena, lengthBytes, seed);
    }

    @Test
    void shouldServeTheNamespaceThroughItsOwnBackend() throws Exception
    {
        final ScheduledNamespace ns = scheduled();
        final NvmfBackend backend = assertInstanceOf(NvmfBackend.class, ns.target().device().backend());
        assertTrue(backend.capacity() > 1 && backend.capacity() <= 2 * (remote.queueEntries() - 1), "capacity " + backend.capacity());
        // 1 MiB + 4 KiB: more than MDTS, so one task is several commands over both queues.
        final MemorySegment data = pattern((1 << 20) + 4096, 5);
        ns.write(data, 4096);
        ns.flush();
        assertEquals(-1, data.mismatch(backing.contents().asSlice(4096, data.byteSize())));
        final MemorySegment back = arena.allocate(data.byteSize(), 4096);
        ns.readFully(back, 4096);
        assertEquals(-1, data.mismatch(back));

        // Many callers at once, disjoint 4 KiB blocks: the device keeps them in flight together.
        final int blocks = 256;
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor())
        {
            final List<Future<?>> done = new ArrayList<>();
            for (int b = 0; b < blocks; b++)
            {
                final long offsetBytes = (2L << 20) + b * 4096L;
                final MemorySegment block = pattern(4096, b);
                done.add(callers.submit(() ->
                {
                    ns.write(block, offsetBytes);
                    final MemorySegment read = arena.allocate(4096, 4096);
                    ns.readFully(read, offsetBytes);
                    assertEquals(-1, block.mismatch(read), "block at " + offsetBytes);
                    return null;
                }));
            }
            for (final Future<?> f : done)
            {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        assertEquals(0, backend.retried());
    }

    @Test
    void shouldSurfaceTheNvmeStatusOfAFailedCommand()
    {
        final ScheduledNamespace ns = scheduled();
        final ConduitException e = assertThrows(ConduitException.class, () -> ns.write(pattern(8192, 1), FAILING_FROM_BYTES));
        assertEquals(ErrorCode.NVME_COMMAND_FAILED, e.code(), e.getMessage());
        assertEquals(ErrorDomain.NVME, e.domain());
        assertEquals(NvmeStatus.INTERNAL_ERROR, e.nativeCode());
        // The device still serves the next request.
        final MemorySegment data = pattern(4096, 9);
        ns.write(data, 0);
        assertEquals(-1, data.mismatch(backing.contents().asSlice(0, 4096)));
    }
}
