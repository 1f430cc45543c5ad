package dev.conduit.spdk;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nativebindings.spdk.SpdkController;
import dev.conduit.nativebindings.spdk.SpdkEnvironment;
import dev.conduit.nativebindings.spdk.SpdkLibrary;
import dev.conduit.nativebindings.spdk.SpdkNamespaceInfo;
import dev.conduit.nativebindings.testing.SpdkDoubleControl;
import dev.conduit.scheduler.DeviceCounter;
import dev.conduit.scheduler.DeviceContext;
import dev.conduit.scheduler.IoDevice;
import dev.conduit.scheduler.IoFuture;
import dev.conduit.scheduler.IoRequest;
import dev.conduit.scheduler.IoScheduler;
import dev.conduit.scheduler.MemoryTarget;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.SchedulerContext;
import dev.conduit.scheduler.TargetHandle;
import dev.conduit.scheduler.ThreadingMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backend under a scheduler driven by the test thread (INVOKER): adjacent requests the device
 * merges into one task reach SPDK as one SGL command through the next-SGE upcall; a request whose
 * deadline passes has its command aborted in SPDK.
 */
@Timeout(60)
class SpdkBackendTest
{
    private static final int BLOCK = 4096;

    private SpdkController controller;
    private IoScheduler scheduler;
    private Arena arena;
    private SpdkNamespaceInfo info;

    @BeforeEach
    void connect()
    {
        final SpdkNamespaceSpec spec = SpdkNamespaceSpec.parse(DoubleTargets.spec(BLOCK, 64, ""));
        controller = SpdkController.connect(SpdkEnvironment.initialise(SpdkLibrary.load().orElseThrow(), spec.environment()),
            spec.transportId());
        scheduler = IoScheduler.launch(new SchedulerContext().threadingMode(ThreadingMode.INVOKER));
        arena = Arena.ofShared();
        info = controller.namespace(1);
    }

    @AfterEach
    void close()
    {
        SpdkDoubleControl.completionsPerPoll(0);
        scheduler.close();
        controller.close();
        arena.close();
    }

    @Test
    void shouldSendMergedTasksAsOneSglCommand()
    {
        final SpdkBackend backend = new SpdkBackend(controller, info, 4);
        assertNotNull(backend.unsupportedReason(new MemoryTarget("mem", arena.allocate(BLOCK))));
        final SpdkTarget target = new SpdkTarget(controller, info);
        assertNull(backend.unsupportedReason(target));
        final IoDevice device = scheduler.addDevice("spdk", backend, new DeviceContext().queueDepth(4));
        final TargetHandle handle = device.attach(target);

        final MemorySegment src = arena.allocate(4L * BLOCK, BLOCK);
        for (int i = 0; i < src.byteSize(); i++)
        {
            src.set(JAVA_BYTE, i, (byte) (i * 7 + (i >>> 12)));
        }
        final long writevBefore = SpdkDoubleControl.callCount("spdk_nvme_ns_cmd_writev");
        final long readvBefore = SpdkDoubleControl.callCount("spdk_nvme_ns_cmd_readv");
        final List<IoFuture> writes = new ArrayList<>();
        final List<IoFuture> reads = new ArrayList<>();
        final List<MemorySegment> back = new ArrayList<>();
        for (int i = 0; i < 4; i++)
        {
            writes.add(scheduler.write(handle, (long) i * BLOCK, src.asSlice((long) i * BLOCK, BLOCK), Priority.BULK));
        }
        drive(scheduler, writes);
        for (int i = 0; i < 4; i++)
        {
            back.add(arena.allocate(BLOCK, BLOCK));
            reads.add(scheduler.read(handle, (long) i * BLOCK, back.get(i), Priority.BULK));
        }
        drive(scheduler, reads);
        for (int i = 0; i < 4; i++)
        {
            assertEquals(BLOCK, writes.get(i).join());
            assertEquals(BLOCK, reads.get(i).join());
            assertArrayEquals(src.asSlice((long) i * BLOCK, BLOCK).toArray(JAVA_BYTE), back.get(i).toArray(JAVA_BYTE), "block " + i);
        }
        assertTrue(device.metrics().counter(DeviceCounter.MERGED) >= 6, "adjacent requests were merged");
        assertTrue(SpdkDoubleControl.callCount("spdk_nvme_ns_cmd_writev") > writevBefore, "a merged write went as SGL");
        assertTrue(SpdkDoubleControl.callCount("spdk_nvme_ns_cmd_readv") > readvBefore, "a merged read went as SGL");
    }

    @Test
    void shouldAbortTheCommandOfARequestWhoseDeadlinePassed()
    {
        final TargetHandle handle = scheduler.addDevice("spdk", new SpdkBackend(controller, info, 4), new DeviceContext().queueDepth(4))
            .attach(new SpdkTarget(controller, info));
        final long abortsBefore = SpdkDoubleControl.callCount("spdk_nvme_ctrlr_cmd_abort_ext");
        SpdkDoubleControl.completionsPerPoll(-1); // the controller never answers the read on its own
        final IoFuture late = scheduler.submit(new IoRequest().read(handle, 0, arena.allocate(BLOCK, BLOCK), 0, BLOCK)
            .timeoutNs(TimeUnit.MILLISECONDS.toNanos(20)));
        final long giveUpNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (SpdkDoubleControl.callCount("spdk_nvme_ctrlr_cmd_abort_ext") == abortsBefore && System.nanoTime() < giveUpNs)
        {
            scheduler.doWork();
        }
        assertEquals(abortsBefore + 1, SpdkDoubleControl.callCount("spdk_nvme_ctrlr_cmd_abort_ext"), "the backend asked SPDK to abort");
        SpdkDoubleControl.completionsPerPoll(0); // the aborted read now completes, as ABORTED - BY REQUEST
        drive(scheduler, List.of(late));
        final CompletionException failed = assertThrows(CompletionException.class, late::join);
        assertEquals(ErrorCode.TIMED_OUT, ((ConduitException) failed.getCause()).code());
        assertEquals(0, SpdkDoubleControl.outstandingCommands(), "the aborted command completed in SPDK");
        final IoFuture next = scheduler.read(handle, BLOCK, arena.allocate(BLOCK, BLOCK), Priority.BULK);
        drive(scheduler, List.of(next));
        assertEquals(BLOCK, next.join(), "the queue pair works on after the abort");
    }

    private static void drive(final IoScheduler scheduler, final List<IoFuture> futures)
    {
        for (int i = 0; i < 100_000 && !futures.stream().allMatch(IoFuture::isDone); i++)
        {
            scheduler.doWork();
        }
        assertTrue(futures.stream().allMatch(IoFuture::isDone), "every request completed");
    }
}
