package dev.conduit.nativebindings.spdk;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nativebindings.testing.SpdkDoubleControl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SPDK bindings through the C double: environment, transport ids, controller and namespace
 * data, DMA memory and registration, queue pairs, contiguous and SGL I/O whose completions arrive
 * through the FFM upcall, NVMe statuses, queue-pair failures and freeing with I/O in flight.
 */
@Timeout(60)
class SpdkDoubleTest
{
    private static final int BLOCK = 512;
    private static final int EIO = 5;
    private static final int ENOMEM = 12;
    private static final int ENXIO = 6;
    private static final int ENOENT = 2;

    private final List<int[]> completions = new ArrayList<>();
    private SpdkEnvironment env;
    private SpdkController ctrlr;
    private SpdkNamespaceInfo ns;
    private Arena arena;

    @BeforeEach
    void connect()
    {
        SpdkDoubleControl.reset();
        env = SpdkFixture.environment();
        ctrlr = SpdkController.connect(env, SpdkFixture.newTarget(BLOCK, 2048));
        ns = ctrlr.namespace(1);
        arena = Arena.ofConfined();
    }

    @AfterEach
    void close()
    {
        ctrlr.close();
        arena.close();
        SpdkDoubleControl.reset();
    }

    private SpdkQueuePair queuePair(final int requests)
    {
        return ctrlr.allocateQueuePair(Math.min(requests, 64), requests, (tag, status) -> completions.add(new int[] {tag, status}));
    }

    private static MemorySegment pattern(final Arena arena, final int bytes, final int seed)
    {
        final MemorySegment m = arena.allocate(bytes, 4096);
        for (int i = 0; i < bytes; i++)
        {
            m.set(JAVA_BYTE, i, (byte) (i * 31 + seed));
        }
        return m;
    }

    private void pollUntil(final SpdkQueuePair qp, final int count)
    {
        for (int i = 0; i < 1000 && completions.size() < count; i++)
        {
            assertTrue(qp.poll(0) >= 0);
        }
        assertEquals(count, completions.size());
    }

    @Test
    void shouldReturnTheSameEnvironmentAndRefuseOtherOptions()
    {
        assertSame(env, SpdkFixture.environment());
        final ConduitException e = assertThrows(ConduitException.class,
            () -> SpdkEnvironment.initialise(SpdkFixture.library(), SpdkEnvOptions.pcieDefaults()));
        assertEquals(ErrorCode.SPDK_ENV_MISMATCH, e.code());
        assertEquals(SpdkEnvOptions.fabricsDefaults(), SpdkEnvironment.current().options());
    }

    @Test
    void shouldReadTheControllerAndNamespaceData()
    {
        final SpdkControllerIdentity id = ctrlr.identity();
        assertEquals(0x1d0f, id.vendorId());
        assertEquals("DOUBLE0001", id.serialNumber());
        assertEquals("SPDK test double", id.modelNumber());
        assertEquals("25.09", id.firmwareRevision());
        assertEquals(SpdkFixture.SUBNQN, id.subsystemNqn());
        assertEquals(1, id.namespaceIds());
        assertEquals(1, id.namespaceCount());
        assertEquals(BLOCK, ns.sectorBytes());
        assertEquals(2048, ns.sectors());
        assertEquals(2048L * BLOCK, ns.capacityBytes());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ConduitException.class, () -> ctrlr.namespace(2)).code());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ConduitException.class, () -> ctrlr.namespace(0)).code());
    }

    @Test
    void shouldRejectMalformedTransportIdsAndAbsentControllers()
    {
        final ConduitException bad = assertThrows(ConduitException.class, () -> SpdkController.connect(env, "trtype:TCP bogus:1"));
        assertEquals(ErrorCode.NVME_TRANSPORT_ID_INVALID, bad.code());
        final ConduitException nobody = assertThrows(ConduitException.class,
            () -> SpdkController.connect(env, "trtype:TCP adrfam:IPv4 traddr:127.0.0.1 trsvcid:1 subnqn:nqn.none"));
        assertEquals(ErrorCode.NOT_FOUND, nobody.code());
    }

    @Test
    void shouldConnectToAnAllowListedTargetOnlyWithTheHostNqnOfTheTransportId()
    {
        final String trid = SpdkFixture.newTarget(BLOCK, 64);
        final String port = trid.replaceAll(".*trsvcid:(\\S+).*", "$1");
        final String host = "nqn.2014-08.org.nvmexpress:uuid:c0d0c7a1-0000-4000-8000-0000000005d4";
        SpdkDoubleControl.allowHost(port, host);
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ConduitException.class, () -> SpdkController.connect(env, trid)).code());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ConduitException.class,
            () -> SpdkController.connect(env, trid + " hostnqn:nqn.2014-08.org.nvmexpress:uuid:someone-else")).code());
        try (SpdkController allowed = SpdkController.connect(env, trid + " HOSTNQN=" + host))
        {
            assertEquals(64L * BLOCK, allowed.namespace(1).capacityBytes());
        }
        assertEquals(ErrorCode.NVME_TRANSPORT_ID_INVALID, assertThrows(ConduitException.class,
            () -> SpdkController.connect(env, trid + " hostnqn:" + "n".repeat(224))).code());
    }

    @Test
    void shouldAllocateAndFreeDmaMemoryAndRegisterOnly2MiBPages()
    {
        final long before = SpdkDoubleControl.outstandingDma();
        try (SpdkDmaBuffer buffer = SpdkDmaBuffer.allocate(env, 8192, 4096))
        {
            assertEquals(8192, buffer.segment().byteSize());
            assertEquals(0, buffer.segment().address() % 4096);
            assertEquals(0, buffer.segment().get(JAVA_LONG, 4096));
            assertEquals(before + 1, SpdkDoubleControl.outstandingDma());
        }
        assertEquals(before, SpdkDoubleControl.outstandingDma());
        SpdkDoubleControl.fail("spdk_dma_zmalloc", ENOMEM, 1);
        assertEquals(ErrorCode.OUT_OF_MEMORY, assertThrows(ConduitException.class, () -> SpdkDmaBuffer.allocate(env, 4096, 4096)).code());

        final MemorySegment pages = arena.allocate(SpdkMemoryRegistration.PAGE_BYTES * 2, SpdkMemoryRegistration.PAGE_BYTES);
        try (SpdkMemoryRegistration r = SpdkMemoryRegistration.register(env, pages))
        {
            assertSame(pages, r.segment());
        }
        assertEquals(ErrorCode.UNALIGNED_IO,
            assertThrows(ConduitException.class, () -> SpdkMemoryRegistration.register(env, pages.asSlice(4096, 4096))).code());
    }

    @Test
    void shouldWriteAndReadBackThroughTheCompletionUpcall()
    {
        final SpdkQueuePair qp = queuePair(16);
        final MemorySegment src = pattern(arena, 8 * BLOCK, 7);
        final MemorySegment dst = arena.allocate(8 * BLOCK, 4096);
        assertEquals(0, qp.submit(true, ns, src, 100, 8, 3));
        assertEquals(1, qp.outstanding());
        pollUntil(qp, 1);
        assertEquals(0, qp.flush(ns, 4));
        pollUntil(qp, 2);
        assertEquals(0, qp.submit(false, ns, dst, 100, 8, 5));
        pollUntil(qp, 3);
        assertArrayEquals(new int[] {3, 4, 5}, completions.stream().mapToInt(c -> c[0]).toArray());
        completions.forEach(c -> assertEquals(0, SpdkStatus.code(c[1])));
        assertArrayEquals(src.toArray(JAVA_BYTE), dst.toArray(JAVA_BYTE));
        assertEquals(0, qp.outstanding());
    }

    @Test
    void shouldScatterAndGatherThroughTheSglUpcalls()
    {
        final SpdkQueuePair qp = queuePair(8);
        final MemorySegment a = pattern(arena, BLOCK, 1);
        final MemorySegment b = pattern(arena, 3 * BLOCK, 2);
        final MemorySegment iov = iovecs(a, b);
        assertEquals(0, qp.submitVector(true, ns, iov, 2, 10, 4, 0));
        pollUntil(qp, 1);
        final MemorySegment whole = arena.allocate(4 * BLOCK, 4096);
        assertEquals(0, qp.submit(false, ns, whole, 10, 4, 1));
        pollUntil(qp, 2);
        assertArrayEquals(a.toArray(JAVA_BYTE), whole.asSlice(0, BLOCK).toArray(JAVA_BYTE));
        assertArrayEquals(b.toArray(JAVA_BYTE), whole.asSlice(BLOCK).toArray(JAVA_BYTE));

        final MemorySegment c = arena.allocate(2 * BLOCK, 4096);
        final MemorySegment d = arena.allocate(2 * BLOCK, 4096);
        assertEquals(0, qp.submitVector(false, ns, iovecs(c, d), 2, 10, 4, 2));
        pollUntil(qp, 3);
        assertArrayEquals(whole.asSlice(0, 2 * BLOCK).toArray(JAVA_BYTE), c.toArray(JAVA_BYTE));
        assertArrayEquals(whole.asSlice(2 * BLOCK).toArray(JAVA_BYTE), d.toArray(JAVA_BYTE));
    }

    private MemorySegment iovecs(final MemorySegment... parts)
    {
        final MemorySegment iov = arena.allocate(16L * parts.length, 8);
        for (int i = 0; i < parts.length; i++)
        {
            iov.set(JAVA_LONG, 16L * i, parts[i].address());
            iov.set(JAVA_LONG, 16L * i + 8, parts[i].byteSize());
        }
        return iov;
    }

    @Test
    void shouldReportNvmeStatusesAndRefuseSubmissionsSpdkRefuses()
    {
        final SpdkQueuePair qp = queuePair(2);
        final MemorySegment buf = arena.allocate(BLOCK, 4096);
        assertEquals(0, qp.submit(false, ns, buf, 2048, 1, 0));
        pollUntil(qp, 1);
        assertEquals(ErrorCode.OUT_OF_RANGE, SpdkStatus.failure(completions.get(0)[1], "read").code());
        assertTrue(SpdkStatus.doNotRetry(completions.get(0)[1]));

        SpdkDoubleControl.failStatus(SpdkStatus.SCT_MEDIA_ERROR, 0x81, 1);
        assertEquals(0, qp.submit(false, ns, buf, 0, 1, 1));
        pollUntil(qp, 2);
        assertEquals(SpdkStatus.SCT_MEDIA_ERROR << 8 | 0x81, SpdkStatus.code(completions.get(1)[1]));

        assertEquals(0, qp.submit(false, ns, buf, 0, 1, 0));
        assertEquals(0, qp.submit(false, ns, buf, 1, 1, 1));
        assertEquals(-ENOMEM, qp.submit(false, ns, buf, 2, 1, 0), "a full queue pair refuses");
        SpdkDoubleControl.fail("spdk_nvme_ns_cmd_write", EIO, 1);
        assertEquals(-EIO, qp.submit(true, ns, buf, 2, 1, 0));
        assertThrows(ConduitException.class, () -> qp.submit(false, ns, buf, 0, 1, 2), "tags stop at capacity");
        pollUntil(qp, 4);
    }

    @Test
    void shouldAbortOneCommandByItsTagAndLeaveTheOthers()
    {
        final SpdkQueuePair qp = queuePair(8);
        final MemorySegment buf = arena.allocate(2 * BLOCK, 4096);
        SpdkDoubleControl.completionsPerPoll(-1); // the device has not answered yet
        assertEquals(0, qp.submit(false, ns, buf, 0, 1, 3));
        assertEquals(0, qp.submit(false, ns, buf.asSlice(BLOCK, BLOCK), 1, 1, 4));
        assertEquals(0, qp.abort(3));
        assertEquals(-ENOENT, qp.abort(5), "no command carries tag 5");
        assertEquals(1, qp.pollAdmin(), "the Abort command completed");
        assertEquals(0, qp.pollAdmin());
        SpdkDoubleControl.completionsPerPoll(0);
        pollUntil(qp, 2);
        for (final int[] c : completions)
        {
            assertEquals(c[0] == 3 ? SpdkStatus.SC_ABORTED_BY_REQUEST : 0, SpdkStatus.code(c[1]), "tag " + c[0]);
        }
        assertEquals(ErrorCode.CANCELLED, SpdkStatus.errorCode(SpdkStatus.SC_ABORTED_BY_REQUEST));
        assertEquals(0, qp.outstanding());
        assertThrows(ConduitException.class, () -> qp.abort(8), "tags stop at capacity");
    }

    @Test
    void shouldCompleteOutstandingCommandsAsAbortedWhenTheTransportFails()
    {
        final SpdkQueuePair qp = queuePair(8);
        final MemorySegment buf = arena.allocate(4 * BLOCK, 4096);
        for (int tag = 0; tag < 4; tag++)
        {
            assertEquals(0, qp.submit(false, ns, buf.asSlice((long) tag * BLOCK, BLOCK), tag, 1, tag));
        }
        SpdkDoubleControl.breakQueuePairs();
        assertEquals(-ENXIO, qp.poll(0));
        assertEquals(4, completions.size());
        completions.forEach(c -> assertEquals(ErrorCode.CANCELLED, SpdkStatus.failure(c[1], "read").code()));
        assertEquals(0, qp.outstanding());
        assertEquals(-ENXIO, qp.submit(false, ns, buf, 0, 1, 0), "a failed queue pair refuses new commands");
    }

    @Test
    void shouldAbortWhatIsInFlightWhenTheQueuePairOrControllerIsFreed()
    {
        SpdkDoubleControl.completionsPerPoll(1);
        final SpdkQueuePair first = queuePair(8);
        final SpdkQueuePair second = queuePair(8);
        assertNotSame(first, second);
        final MemorySegment buf = arena.allocate(BLOCK, 4096);
        assertEquals(0, first.submit(false, ns, buf, 0, 1, 0));
        assertEquals(0, first.submit(false, ns, buf, 1, 1, 1));
        assertEquals(1, first.poll(0));
        first.close();
        assertEquals(2, completions.size());
        assertEquals(ErrorCode.CANCELLED, SpdkStatus.failure(completions.get(1)[1], "read").code());
        assertEquals(0, first.poll(0), "a freed queue pair polls nothing");

        assertEquals(0, second.submit(true, ns, buf, 5, 1, 7));
        ctrlr.close();
        assertEquals(3, completions.size(), "detach freed the open queue pair, aborting its command");
        assertEquals(7, completions.get(2)[0]);
        assertEquals(ErrorCode.NAMESPACE_CLOSED, assertThrows(ConduitException.class, ctrlr::identity).code());
        ctrlr.close(); // idempotent
    }

    @Test
    void shouldHoldAListenerFailureUntilPollReturns()
    {
        final SpdkQueuePair qp = ctrlr.allocateQueuePair(4, 4, (tag, status) ->
        {
            throw new IllegalStateException("listener failed for tag " + tag);
        });
        final MemorySegment buf = arena.allocate(BLOCK, 4096);
        assertEquals(0, qp.submit(false, ns, buf, 0, 1, 2));
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> qp.poll(0));
        assertEquals("listener failed for tag 2", e.getMessage());
        assertEquals(0, qp.outstanding());
    }

    @Test
    void shouldReportQueuePairAllocationFailure()
    {
        SpdkDoubleControl.fail("spdk_nvme_ctrlr_alloc_io_qpair", ENOMEM, 1);
        assertEquals(ErrorCode.OUT_OF_MEMORY, assertThrows(ConduitException.class, () -> queuePair(8)).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(ConduitException.class,
            () -> ctrlr.allocateQueuePair(8, 4, (t, s) -> { })).code());
    }
}
