package dev.conduit.spdk;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;

import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.blocklayout.namespace.NamespaceProvider;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nativebindings.spdk.SpdkStatus;
import dev.conduit.nativebindings.testing.SpdkDoubleControl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code spdk://} namespaces through the ServiceLoader-found provider, the scheduler and the
 * {@link SpdkBackend}, against the SPDK C double: byte-for-byte I/O from several threads over
 * several queue pairs, flush, NVMe errors, alignment, and a transport that fails with I/O in flight.
 */
@Timeout(60)
class SpdkNamespaceTest
{
    private static final int BLOCK = 4096;

    @AfterEach
    void reset()
    {
        SpdkDoubleControl.reset();
    }

    private static Namespace open(final String spec)
    {
        final NamespaceProvider provider = ServiceLoader.load(NamespaceProvider.class).stream().map(ServiceLoader.Provider::get)
            .filter(p -> p.scheme().equals("spdk")).findFirst().orElseThrow(() -> new AssertionError("no spdk provider registered"));
        return provider.open(spec);
    }

    private static MemorySegment pattern(final Arena arena, final int bytes, final int seed)
    {
        final MemorySegment m = arena.allocate(bytes, BLOCK);
        for (int i = 0; i < bytes; i++)
        {
            m.set(JAVA_BYTE, i, (byte) (i * 13 + seed * 7 + (i >>> 12)));
        }
        return m;
    }

    @Test
    void shouldWriteFlushAndReadBackByteForByteFromSeveralThreads() throws Exception
    {
        try (Namespace ns = open(DoubleTargets.spec(BLOCK, 1024, ",queues:2,depth:8"));
             Arena arena = Arena.ofShared())
        {
            assertTrue(ns.id().startsWith("spdk://trtype:TCP,"), ns.id());
            assertEquals(BLOCK, ns.blockSize());
            assertEquals(1024L * BLOCK, ns.capacityBytes());
            final List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (int t = 0; t < 4; t++)
            {
                final int thread = t;
                writers.add(CompletableFuture.runAsync(() ->
                {
                    for (int i = 0; i < 16; i++)
                    {
                        final long offset = ((long) thread * 16 + i) * 2 * BLOCK;
                        ns.write(pattern(arena, 2 * BLOCK, thread * 100 + i), offset);
                    }
                }));
            }
            CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).join();
            ns.flush();
            final MemorySegment back = arena.allocate(2 * BLOCK, BLOCK);
            for (int thread = 0; thread < 4; thread++)
            {
                for (int i = 0; i < 16; i++)
                {
                    assertEquals(2 * BLOCK, ns.read(back, ((long) thread * 16 + i) * 2 * BLOCK));
                    assertArrayEquals(pattern(arena, 2 * BLOCK, thread * 100 + i).toArray(JAVA_BYTE), back.toArray(JAVA_BYTE));
                }
            }
        }
    }

    @Test
    void shouldRefuseUnalignedIoAndUseAfterClose()
    {
        final Namespace ns = open(DoubleTargets.spec(BLOCK, 64, ""));
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment buf = arena.allocate(BLOCK, BLOCK);
            assertEquals(ErrorCode.UNALIGNED_IO, assertThrows(ConduitException.class, () -> ns.read(buf, 512)).code());
            assertEquals(ErrorCode.OUT_OF_RANGE, assertThrows(ConduitException.class, () -> ns.read(buf, 64L * BLOCK)).code());
            ns.close();
            assertEquals(ErrorCode.NAMESPACE_CLOSED, assertThrows(ConduitException.class, () -> ns.read(buf, 0)).code());
            assertEquals(ErrorCode.NAMESPACE_CLOSED, assertThrows(ConduitException.class, ns::flush).code());
            ns.close();
        }
    }

    @Test
    void shouldReportNvmeStatusesAsFailedRequests()
    {
        try (Namespace ns = open(DoubleTargets.spec(BLOCK, 64, ""));
             Arena arena = Arena.ofConfined())
        {
            SpdkDoubleControl.failStatus(SpdkStatus.SCT_MEDIA_ERROR, 0x81, 1);
            final ConduitException e = assertThrows(ConduitException.class, () -> ns.read(arena.allocate(BLOCK, BLOCK), 0));
            // Through the scheduler an NVMe status is NVME_COMMAND_FAILED, the status kept as the native code.
            assertEquals(ErrorCode.NVME_COMMAND_FAILED, e.code());
            assertEquals(SpdkStatus.SCT_MEDIA_ERROR << 8 | 0x81, e.nativeCode());
            SpdkDoubleControl.failStatus(SpdkStatus.SCT_GENERIC, SpdkStatus.SC_INTERNAL_DEVICE_ERROR, 1);
            final ConduitException flush = assertThrows(ConduitException.class, ns::flush);
            assertEquals(ErrorCode.IO_ERROR, flush.code()); // flush runs outside the scheduler: SpdkStatus's mapping
            assertEquals(SpdkStatus.SCT_GENERIC << 8 | SpdkStatus.SC_INTERNAL_DEVICE_ERROR, flush.nativeCode());
            ns.write(arena.allocate(BLOCK, BLOCK), 0); // the queue pair still works
        }
    }

    @Test
    void shouldFailEveryRequestInFlightWhenTheTransportFailsAndRefuseLaterOnes()
    {
        try (Namespace ns = open(DoubleTargets.spec(BLOCK, 64, ",depth:8"));
             Arena arena = Arena.ofShared())
        {
            SpdkDoubleControl.completionsPerPoll(-1); // the controller holds every command
            final List<CompletableFuture<Long>> reads = new ArrayList<>();
            for (int i = 0; i < 4; i++)
            {
                final long offset = (long) i * 2 * BLOCK; // apart, so the scheduler cannot merge them
                final MemorySegment buf = arena.allocate(BLOCK, BLOCK);
                reads.add(CompletableFuture.supplyAsync(() -> ns.read(buf, offset), Executors.newVirtualThreadPerTaskExecutor()));
            }
            final long until = System.nanoTime() + 20_000_000_000L;
            while (SpdkDoubleControl.outstandingCommands() < 4 && System.nanoTime() < until)
            {
                Thread.onSpinWait();
            }
            assertEquals(4, SpdkDoubleControl.outstandingCommands(), "all four reads are in flight at the controller");
            SpdkDoubleControl.breakQueuePairs();
            SpdkDoubleControl.completionsPerPoll(0);
            for (final CompletableFuture<Long> read : reads)
            {
                final Throwable cause = assertThrows(CompletionException.class, read::join).getCause();
                assertInstanceOf(CancellationException.class, cause, "aborted by SPDK when the queue pair failed");
            }
            final ConduitException later = assertThrows(ConduitException.class, () -> ns.read(arena.allocate(BLOCK, BLOCK), 0));
            assertEquals(ErrorCode.NVMF_CONNECTION_CLOSED, later.code());
            assertInstanceOf(ConduitException.class, assertThrows(ConduitException.class, ns::flush));
        }
    }
}
