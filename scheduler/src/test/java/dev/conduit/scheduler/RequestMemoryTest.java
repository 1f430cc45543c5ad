package dev.conduit.scheduler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.memory.DeviceMemory;
import dev.conduit.core.memory.HostMemory;
import dev.conduit.core.memory.IoArena;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Memory that knows what it is: device memory refused at submission by backends that cannot serve
 * it, closed arenas refused at submission, and guarded memory held open while its I/O is in flight.
 * No GPU exists here, so the device memory is a reference made without CUDA: that it is refused
 * before any backend sees it is exactly what is tested.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequestMemoryTest
{
    private static final int BLOCK = 4096;
    private static final DeviceMemory GPU_BUFFER = new DeviceMemory(0xC0FFEEL, 0x7f00_dead_0000L, 1 << 20);

    private final Arena arena = Arena.ofShared();
    private IoScheduler scheduler;
    private ScratchDir scratch;
    private FileTarget file;

    @AfterEach
    void tearDown() throws Exception
    {
        if (scheduler != null)
        {
            scheduler.close();
        }
        if (file != null)
        {
            file.close();
        }
        if (scratch != null)
        {
            scratch.close();
        }
        arena.close();
    }

    @Test
    void shouldRefuseDeviceMemoryAtSubmissionWhenBackendIsIoUring() throws Exception
    {
        Assumptions.assumeTrue(Backends.ioUringSupport().available(), Backends.ioUringSupport().reason());
        scratch = new ScratchDir("devmem");
        final Path path = scratch.path().resolve("data");
        Content.writeFile(path, 16 * BLOCK);
        file = FileTarget.open(path, true);
        final IoUringBackend backend = new IoUringBackend("uring0", 8);
        scheduler = IoScheduler.launch(new SchedulerContext());
        final IoDevice device = scheduler.addDevice("uring0", backend, new DeviceContext().queueDepth(8));
        final TargetHandle handle = device.attach(file);
        final long ringCapacity = device.ringRemainingCapacity();

        final IoRequest request = new IoRequest().read(handle, 0, GPU_BUFFER, 0, BLOCK);
        final ConduitException refused = assertThrows(ConduitException.class,
            () -> device.submit(request, (tag, result) -> { }, 1));

        assertEquals(ErrorCode.MEMORY_KIND_UNSUPPORTED, refused.code());
        assertTrue(refused.getMessage().contains("DEVICE memory"), refused.getMessage());
        assertTrue(refused.getMessage().contains("io_uring"), refused.getMessage());
        assertTrue(refused.getMessage().contains("0x7f00dead0000"), refused.getMessage());
        assertEquals(ringCapacity, device.ringRemainingCapacity(), "a refused request must not take a ring slot");
        assertThrows(ConduitException.class, () -> device.trySubmit(request, (tag, result) -> { }, 2));

        // The device is unharmed, and nothing but the host read below ever reached the ring.
        final MemorySegment host = arena.allocate(BLOCK, BLOCK);
        assertEquals(BLOCK, scheduler.read(handle, BLOCK, host, Priority.LATENCY).get(10, TimeUnit.SECONDS));
        assertEquals(-1, Content.firstMismatch(host, BLOCK, BLOCK));
        scheduler.close(); // publishes the device's last counts
        assertEquals(1, device.metrics().counter(DeviceCounter.TASKS));
        assertEquals(1, device.metrics().counter(DeviceCounter.REQUESTS));
    }

    @Test
    void shouldRefuseDeviceMemoryWhenBackendIsPreadAndServeItWhenBackendIsNull()
    {
        scheduler = IoScheduler.launch(new SchedulerContext().threadingMode(ThreadingMode.INVOKER));
        final MemoryTarget memory = new MemoryTarget("mem", arena.allocate(1 << 20, BLOCK));
        final IoDevice pread = scheduler.addDevice("pread0", new PreadBackend("pread0", 2));
        final IoDevice nothing = scheduler.addDevice("null0", new NullBackend(8));
        final RecordingCallback callback = new RecordingCallback();

        final ConduitException refused = assertThrows(ConduitException.class,
            () -> pread.submit(new IoRequest().write(pread.attach(memory), 0, GPU_BUFFER, 0, BLOCK), callback, 1));
        assertEquals(ErrorCode.MEMORY_KIND_UNSUPPORTED, refused.code());
        assertTrue(refused.getMessage().contains("pread"), refused.getMessage());

        // The null backend touches no memory, so it declares every kind.
        nothing.submit(new IoRequest().read(nothing.attach(memory), 0, GPU_BUFFER, BLOCK, BLOCK), callback, 2);
        while (!callback.isDone(2))
        {
            scheduler.doWork();
        }
        assertEquals(BLOCK, callback.result(2));
        assertFalse(callback.isDone(1));
    }

    @Test
    void shouldRefuseMemoryBeyondItsEndOrWhoseArenaIsClosed()
    {
        scheduler = IoScheduler.launch(new SchedulerContext().threadingMode(ThreadingMode.INVOKER));
        final IoDevice device = scheduler.addDevice("null0", new NullBackend(8));
        final TargetHandle handle = device.attach(new MemoryTarget("mem", arena.allocate(1 << 20, BLOCK)));
        final RecordingCallback callback = new RecordingCallback();
        final Arena closed = Arena.ofShared();
        final MemorySegment segment = closed.allocate(BLOCK, BLOCK);
        closed.close();
        final long ringCapacity = device.ringRemainingCapacity();

        final ConduitException refused = assertThrows(ConduitException.class,
            () -> device.submit(new IoRequest().read(handle, 0, segment, 0, BLOCK), callback, 1));
        assertEquals(ErrorCode.MEMORY_CLOSED, refused.code());
        assertThrows(ConduitException.class,
            () -> device.submit(new IoRequest().read(handle, 0, HostMemory.of(segment), 0, BLOCK), callback, 2));
        assertThrows(IllegalArgumentException.class,
            () -> device.submit(new IoRequest().read(handle, 0, GPU_BUFFER, GPU_BUFFER.lengthBytes(), 1), callback, 3));
        assertEquals(ringCapacity, device.ringRemainingCapacity());
    }

    @Test
    void shouldHoldIoArenaOpenUntilItsRequestCompletes()
    {
        final ManualBackend backend = new ManualBackend(8);
        scheduler = IoScheduler.launch(new SchedulerContext().threadingMode(ThreadingMode.INVOKER));
        final IoDevice device = scheduler.addDevice("dev0", backend);
        final TargetHandle handle = device.attach(new MemoryTarget("mem", arena.allocate(1 << 20, BLOCK)));
        final RecordingCallback callback = new RecordingCallback();
        final IoArena ioArena = IoArena.ofShared();
        final HostMemory buffer = ioArena.allocateHost(2 * BLOCK, BLOCK);

        device.submit(new IoRequest().read(handle, 0, buffer, BLOCK, BLOCK), callback, 1);
        scheduler.doWork();
        assertEquals(1, backend.inFlightCount());
        assertEquals(buffer.address() + BLOCK, backend.oldestInFlight().iovAddress(0));

        final IllegalStateException inUse = assertThrows(IllegalStateException.class, ioArena::close);
        assertTrue(inUse.getMessage().contains("in flight"), inUse.getMessage());
        assertTrue(buffer.isAlive(), "the memory must stay allocated while the kernel may write into it");

        backend.completeAll();
        scheduler.doWork();
        assertEquals(BLOCK, callback.result(1));
        ioArena.close();
        assertFalse(buffer.isAlive());
        final ConduitException refused = assertThrows(ConduitException.class,
            () -> device.submit(new IoRequest().read(handle, 0, buffer, 0, BLOCK), callback, 2));
        assertEquals(ErrorCode.MEMORY_CLOSED, refused.code());
    }

    @Test
    void shouldReleaseIoArenaWhenRingIsFullOrDeviceShutsDown()
    {
        // No drain time: requests still in the ring at close are failed with SHUTDOWN, not run.
        scheduler = IoScheduler.launch(
            new SchedulerContext().threadingMode(ThreadingMode.INVOKER).drainTimeoutNs(0));
        final IoDevice device = scheduler.addDevice("dev0", new ManualBackend(8), new DeviceContext().ringSize(2));
        final TargetHandle handle = device.attach(new MemoryTarget("mem", arena.allocate(1 << 20, BLOCK)));
        final RecordingCallback callback = new RecordingCallback();
        final IoArena ioArena = IoArena.ofShared();
        final HostMemory buffer = ioArena.allocateHost(BLOCK, BLOCK);
        final IoRequest request = new IoRequest().read(handle, 0, buffer, 0, BLOCK);

        device.trySubmit(request, callback, 1);
        device.trySubmit(request, callback, 2);
        assertEquals(IoStatus.REJECTED, device.trySubmit(request, callback, 3));
        assertEquals(2, buffer.guard().holds(), "a rejected submission must give its hold back");

        scheduler.close();
        scheduler = null;
        assertEquals(IoStatus.SHUTDOWN, callback.result(1));
        assertEquals(IoStatus.SHUTDOWN, callback.result(2));
        assertEquals(0, buffer.guard().holds());
        ioArena.close();
    }
}
