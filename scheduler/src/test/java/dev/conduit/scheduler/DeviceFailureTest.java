package dev.conduit.scheduler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A device whose duty cycle throws (a broken backend, a bug): every request it holds, queued or in
 * flight, completes exactly once with a failure; producers blocked on its full ring are released;
 * later submits are refused; close still works. Real device threads, a gated backend with a fault
 * switch.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeviceFailureTest
{
    private static final long SIZE = 4096;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer = arena.allocate(1 << 20, 4096);
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<Long, Long> results = new ConcurrentHashMap<>();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final IoCallback callback = (tag, result) ->
    {
        if (results.putIfAbsent(tag, result) != null)
        {
            duplicates.incrementAndGet();
        }
    };
    private IoScheduler scheduler;
    private GatedBackend backend;

    @AfterEach
    void tearDown()
    {
        if (scheduler != null)
        {
            // A device that did not fail as it should still holds tasks; let them finish so close returns.
            backend.open();
            scheduler.close();
        }
        arena.close();
    }

    static Stream<Arguments> faults()
    {
        return Stream.of(GatedBackend.Stage.values()).flatMap(stage -> Stream.of(
            Arguments.of(stage, new IllegalStateException("backend bug at " + stage)),
            Arguments.of(stage, new OutOfMemoryError("backend error at " + stage))));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("faults")
    void shouldFailQueuedAndInFlightRequestsExactlyOnceWhenTheBackendThrows(
        final GatedBackend.Stage stage, final Throwable fault)
    {
        final IoDevice device = launch(new GatedBackend(2), new DeviceContext().queueDepth(2));
        final TargetHandle target = device.attach(new SizedTarget("t", 1L << 40, 1));
        final IoRequest request = new IoRequest();
        for (long i = 0; i < 6; i++)
        {
            device.submit(request.read(target, i * 1_000_000L, buffer, 0, SIZE), callback, i);
        }
        // Waiting for the flush too: a FLUSH fault armed between the second submit and its flush would fail the first two.
        Await.until("two in flight and flushed, four queued", () -> backend.flushed.get() == 2);

        backend.failNext(stage, fault);
        if (stage != GatedBackend.Stage.POLL)
        {
            // The first two complete; dispatching the next two reaches submit and flush.
            backend.open();
        }
        Await.until("every request completed", () -> results.size() == 6, results::toString);

        final int firstFailed = stage == GatedBackend.Stage.POLL ? 0 : 2;
        for (long i = 0; i < 6; i++)
        {
            final long result = results.get(i);
            if (i < firstFailed)
            {
                assertEquals(SIZE, result, "completed before the fault: " + i);
            }
            else
            {
                assertTrue(result < 0, "request " + i + " failed: " + IoStatus.name(result));
            }
        }
        assertDeviceRefusesAndCloses(device, fault, request);
    }

    @Test
    void shouldReleaseAProducerBlockedOnAFullRingWhenTheDeviceDies() throws InterruptedException
    {
        final int ringSize = 4;
        final int maxRequests = 2;
        final IoDevice device = launch(new GatedBackend(1), new DeviceContext().queueDepth(1).ringSize(ringSize).maxRequests(maxRequests));
        final TargetHandle target = device.attach(new SizedTarget("t", 1L << 40, 1));
        final int total = maxRequests + ringSize + 1;
        final AtomicLong returned = new AtomicLong();
        final Thread producer = Thread.ofPlatform().start(() ->
        {
            final IoRequest request = new IoRequest();
            for (long i = 0; i < total; i++)
            {
                device.submit(request.read(target, i * 1_000_000L, buffer, 0, SIZE), callback, i);
                returned.incrementAndGet();
            }
        });
        // One in flight, one queued (the pool), four in the ring; the last submit waits for a slot.
        Await.until("the producer is blocked on the full ring",
            () -> returned.get() == total - 1 && device.ringRemainingCapacity() < 0,
            () -> "returned " + returned.get() + ", ring remaining " + device.ringRemainingCapacity());
        assertTrue(producer.isAlive());

        final Error fault = new OutOfMemoryError("backend died");
        backend.failNext(GatedBackend.Stage.POLL, fault);
        producer.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(producer.isAlive(), "the blocked producer was released");
        assertEquals(total, returned.get());

        Await.until("every request completed", () -> results.size() == total, results::toString);
        assertTrue(results.values().stream().allMatch(r -> r < 0), results.toString());
        assertEquals(IoStatus.SHUTDOWN, results.get((long)total - 1), "the ring-held request never ran");
        assertDeviceRefusesAndCloses(device, fault, new IoRequest().read(target, 0, buffer, 0, SIZE));
    }

    @Test
    void shouldFailEverythingAndRethrowWhenTheDutyCycleThrowsInInvokerMode()
    {
        backend = new GatedBackend(2);
        scheduler = IoScheduler.launch(new SchedulerContext().threadingMode(ThreadingMode.INVOKER)
            .errorHandler(errors::add));
        final IoDevice device = scheduler.addDevice("invoked", backend, new DeviceContext().queueDepth(2));
        final TargetHandle target = device.attach(new SizedTarget("t", 1L << 40, 1));
        final IoRequest request = new IoRequest();
        for (long i = 0; i < 3; i++)
        {
            device.submit(request.read(target, i * 1_000_000L, buffer, 0, SIZE), callback, i);
        }
        scheduler.doWork();
        assertEquals(2, backend.submitted.get());

        final IllegalStateException fault = new IllegalStateException("poll bug");
        backend.failNext(GatedBackend.Stage.POLL, fault);
        assertSame(fault, assertThrows(IllegalStateException.class, scheduler::doWork));
        assertEquals(3, results.size(), "every request completed at once: " + results);
        assertTrue(results.values().stream().allMatch(r -> r < 0), results.toString());
        assertDeviceRefusesAndCloses(device, fault, request);
    }

    private IoDevice launch(final GatedBackend gated, final DeviceContext context)
    {
        backend = gated;
        scheduler = IoScheduler.launch(new SchedulerContext().errorHandler(errors::add));
        return scheduler.addDevice("failing", gated, context);
    }

    private void assertDeviceRefusesAndCloses(final IoDevice device, final Throwable fault, final IoRequest request)
    {
        assertEquals(0, duplicates.get(), "a request completed twice");
        final ConduitException refused = assertThrows(ConduitException.class, () -> device.submit(request, callback, 99));
        assertEquals(ErrorCode.DEVICE_FAILED, refused.code());
        assertSame(fault, refused.getCause());
        assertEquals(ErrorCode.DEVICE_FAILED,
            assertThrows(ConduitException.class, () -> device.trySubmit(request, callback, 98)).code());
        assertFalse(results.containsKey(99L) || results.containsKey(98L), "refused requests get no completion");
        Await.until("the fault reported", () -> errors.contains(fault));
        assertEquals(1, backend.closeCount.get(), "the backend is closed once, when the device fails");
        scheduler.close();
        assertEquals(1, backend.closeCount.get(), "close does not close it again");
        assertEquals(1, errors.size(), "reported once: " + errors);
    }
}
