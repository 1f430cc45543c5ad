package dev.conduit.nvmeof.target;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nvmeof.command.NvmeStatus;
import dev.conduit.nvmeof.command.Opcodes;
import dev.conduit.nvmeof.initiator.HostController;
import dev.conduit.nvmeof.initiator.HostQueue;
import dev.conduit.nvmeof.initiator.Sqes;
import dev.conduit.nvmeof.pdu.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Namespaces attached and detached while a host is connected: Namespace Attribute Changed notices and log page 0x04. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AsyncEventTest
{
    private static final String HOST = "nqn.2014-08.org.nvmexpress:uuid:aee00000-0000-4000-8000-000000000001";
    private static final String NQN = "nqn.2026-01.dev.conduit:aer";
    private static final long NOTICE = 0x02 | 0x04 << 16;

    private final Arena arena = Arena.ofShared();
    private MemoryNamespace first;
    private MemoryNamespace second;
    private NvmfTarget target;
    private HostController host;

    @BeforeEach
    void start()
    {
        first = MemoryNamespace.allocate("aer1", 1L << 20);
        second = MemoryNamespace.allocate("aer2", 2L << 20);
        target = NvmfTarget.start(NvmfTargetConfig.defaults("127.0.0.1", 0), List.of(new Subsystem(NQN, List.of(first), Set.of(HOST), false, "CONDUIT-AER")));
        host = HostController.connect(target.localAddress(), HostQueue.Options.of(HOST), NQN, 1);
    }

    @AfterEach
    void stop()
    {
        host.close();
        target.close();
        first.close();
        second.close();
        arena.close();
    }

    private MemorySegment sqe()
    {
        return arena.allocate(64, 8);
    }

    private CompletableFuture<HostQueue.Completion> asyncEventRequest()
    {
        return host.admin().submit(Sqes.plain(sqe(), Opcodes.ADMIN_ASYNC_EVENT, 0), null, false);
    }

    private MemorySegment changedNamespaceLog()
    {
        final MemorySegment log = arena.allocate(4096, 8);
        host.adminCommand(Sqes.getLogPage(sqe(), 0x04, 0, 0, 4096), log, "Get Log Page 0x04");
        return log;
    }

    private HostQueue.Completion io(final int opcode, final long nsid)
    {
        final MemorySegment block = arena.allocate(4096, 4096);
        return HostQueue.await(host.io(0).submit(Sqes.readWrite(sqe(), opcode, nsid, 0, 1), block, opcode == Opcodes.IO_WRITE), "I/O");
    }

    @Test
    void shouldNoticeAttachAndDetachOnceTheHostAsked()
    {
        assertEquals(1 << 8, Wire.u32(host.identify(arena, 0x01, 0), 92) & (1 << 8), "OAES: namespace attribute notices");
        host.adminCommand(Sqes.setFeatures(sqe(), Opcodes.FEATURE_ASYNC_EVENT_CONFIG, 1 << 8), null, "Set Features AEC");
        final CompletableFuture<HostQueue.Completion> firstEvent = asyncEventRequest();
        assertFalse(firstEvent.isDone(), "held until an event");

        assertEquals(2, target.attachNamespace(NQN, second));
        final HostQueue.Completion notice = HostQueue.await(firstEvent, "AER");
        assertTrue(notice.ok());
        assertEquals(NOTICE, notice.result());
        assertEquals(2, Wire.u32(host.identify(arena, 0x01, 0), 516), "NN");
        final MemorySegment active = host.identify(arena, 0x02, 0);
        assertEquals(1, Wire.u32(active, 0));
        assertEquals(2, Wire.u32(active, 4));
        assertTrue(io(Opcodes.IO_WRITE, 2).ok());

        // Detached before the host read the log: the next notice waits for that read.
        final CompletableFuture<HostQueue.Completion> secondEvent = asyncEventRequest();
        assertEquals(second, target.detachNamespace(NQN, 2));
        assertFalse(secondEvent.isDone(), "no second notice before log 0x04 is read");
        final MemorySegment log = changedNamespaceLog();
        assertEquals(2, Wire.u32(log, 0));
        assertEquals(0, Wire.u32(log, 4));
        assertEquals(NOTICE, HostQueue.await(secondEvent, "AER").result());

        assertEquals(NvmeStatus.INVALID_NAMESPACE, NvmeStatus.code(io(Opcodes.IO_READ, 2).status()));
        assertEquals(0, Wire.u64(host.identify(arena, 0x00, 2), 0), "an inactive NSID identifies as zeroes");
        assertEquals(1, Wire.u32(host.identify(arena, 0x02, 0), 0));
        assertEquals(0, Wire.u32(host.identify(arena, 0x02, 0), 4));
        assertEquals(2, target.attachNamespace(NQN, second), "the lowest free NSID is taken again");
    }

    @Test
    void shouldRefuseUnknownSubsystemsAndNamespaces()
    {
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ConduitException.class, () -> target.attachNamespace("nqn.2026-01.dev.conduit:none", second)).code());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ConduitException.class, () -> target.detachNamespace(NQN, 5)).code());
    }
}
