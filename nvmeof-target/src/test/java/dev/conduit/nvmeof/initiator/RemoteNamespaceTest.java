package dev.conduit.nvmeof.initiator;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nvmeof.command.NvmeStatus;
import dev.conduit.nvmeof.target.NvmfTarget;
import dev.conduit.nvmeof.target.NvmfTargetConfig;
import dev.conduit.nvmeof.target.Subsystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RemoteNamespaceTest
{
    private static final String HOST = "nqn.2014-08.org.nvmexpress:uuid:abcdabcd-0000-1111-2222-333333333333";
    private static final String NQN = "nqn.2026-01.dev.conduit:remote";

    private final Arena arena = Arena.ofShared();
    private MemoryNamespace backing;
    private MemoryNamespace small;
    private NvmfTarget target;

    @BeforeEach
    void start()
    {
        backing = MemoryNamespace.allocate("backing", 32L << 20);
        small = MemoryNamespace.allocate("small", 512, 1L << 20);
        target = NvmfTarget.start(NvmfTargetConfig.defaults("127.0.0.1", 0),
            List.of(new Subsystem(NQN, List.of(backing, small), Set.of(HOST), false, "CONDUIT-R")));
    }

    @AfterEach
    void stop()
    {
        target.close();
        backing.close();
        small.close();
        arena.close();
    }

    private MemorySegment pattern(final int lengthBytes, final long seed)
    {
        return Patterns.of(arena, lengthBytes, seed);
    }

    @Test
    void shouldReadWhatItWroteThroughTheTarget()
    {
        try (RemoteNamespace ns = RemoteNamespace.connect(target.localAddress(), HostQueue.Options.of(HOST).withDigests(true, true), NQN, 1, 2))
        {
            assertEquals(4096, ns.blockSize());
            assertEquals(32L << 20, ns.capacityBytes());
            assertEquals(128 * 1024, ns.maxTransferBytes());
            // 1 MiB + 4 KiB: nine commands spread over both queues.
            final MemorySegment data = pattern((1 << 20) + 4096, 42);
            ns.write(data, 8L << 20);
            ns.flush();
            assertEquals(-1, data.mismatch(backing.contents().asSlice(8L << 20, data.byteSize())));
            final MemorySegment back = arena.allocate(data.byteSize(), 4096);
            assertEquals(0, ns.readFully(back, 8L << 20));
            assertEquals(-1, data.mismatch(back));
        }
    }

    @Test
    void shouldUseTheRemoteLbaSize()
    {
        try (RemoteNamespace ns = RemoteNamespace.connect(target.localAddress(), HostQueue.Options.of(HOST), NQN, 2, 1))
        {
            assertEquals(512, ns.blockSize());
            assertEquals(1L << 20, ns.capacityBytes());
            final MemorySegment data = pattern(1536, 7);
            ns.write(data, 512);
            assertEquals(-1, data.mismatch(small.contents().asSlice(512, 1536)));
        }
    }

    @Test
    void shouldRefuseBadTransfersAndReportNvmeStatus()
    {
        try (RemoteNamespace ns = RemoteNamespace.connect(target.localAddress(), HostQueue.Options.of(HOST), NQN, 1, 1))
        {
            final MemorySegment block = arena.allocate(4096, 4096);
            assertEquals(ErrorCode.UNALIGNED_IO, assertThrows(ConduitException.class, () -> ns.read(block, 100)).code());
            assertEquals(ErrorCode.OUT_OF_RANGE, assertThrows(ConduitException.class, () -> ns.read(block, 32L << 20)).code());
        }
        final ConduitException missing = assertThrows(ConduitException.class,
            () -> RemoteNamespace.connect(target.localAddress(), HostQueue.Options.of(HOST), NQN, 3, 1));
        assertEquals(ErrorCode.NVME_COMMAND_FAILED, missing.code());
        assertEquals(NvmeStatus.INVALID_NAMESPACE, missing.nativeCode());
    }

    @Test
    void shouldKeepTheControllerAliveWithKeepAlives() throws Exception
    {
        try (RemoteNamespace ns = RemoteNamespace.connect(target.localAddress(), HostQueue.Options.of(HOST).withKeepAliveTimeoutMs(1000), NQN, 1, 1))
        {
            // Idle for several KATOs: only the namespace's own Keep Alives can keep the controller.
            TimeUnit.MILLISECONDS.sleep(3000);
            assertEquals(0, target.keepAliveExpiries());
            ns.flush();
        }
    }
}
