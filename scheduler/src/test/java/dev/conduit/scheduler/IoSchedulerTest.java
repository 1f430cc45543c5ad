package dev.conduit.scheduler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scheduler with real device threads: many producers, backpressure, shutdown with I/O in flight. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IoSchedulerTest
{
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer = arena.allocate(1 << 20, 4096);
    private IoScheduler scheduler;

    @AfterEach
    void tearDown()
    {
        if (scheduler != null)
        {
            scheduler.close();
        }
        arena.close();
    }

    private static TargetHandle sized(final IoDevice device)
    {
        return device.attach(new SizedTarget("t", 1L << 40, 1));
    }

    @Test
    void shouldCompleteEveryRequestFromManyProducersExactlyOnce() throws InterruptedException
    {
        scheduler = IoScheduler.launch(new SchedulerContext());
        final IoDevice device = scheduler.addDevice("null0", new NullBackend(), new DeviceContext().ringSize(64));
        final TargetHandle target = sized(device);
        final int producers = 4;
        final int perProducer = 20_000;
        final AtomicLongArray seen = new AtomicLongArray(producers * perProducer);
        final AtomicLong bytes = new AtomicLong();
        final IoCallback callback = (tag, result) ->
        {
            seen.incrementAndGet((int)tag);
            bytes.addAndGet(result);
        };
        final List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++)
        {
            final int base = p * perProducer;
            threads.add(Thread.ofPlatform().start(() ->
            {
                final IoRequest request = new IoRequest();
                for (int i = 0; i < perProducer; i++)
                {
                    // Scattered offsets: no merging, so every request is one task.
                    request.read(target, (base + i) * 1_000_000L, buffer, 0, 512)
                        .priority((i & 1) == 0 ? Priority.LATENCY : Priority.BULK);
                    device.submit(request, callback, base + i);
                }
            }));
        }
        for (final Thread t : threads)
        {
            t.join();
        }
        final long total = (long)producers * perProducer;
        Await.until("all completions", () -> device.metrics().counter(DeviceCounter.REQUESTS) == total);
        for (int i = 0; i < total; i++)
        {
            assertEquals(1, seen.get(i), "request " + i);
        }
        assertEquals(total * 512, bytes.get());
        assertEquals(total / 2, device.metrics().counter(Priority.BULK, DeviceCounter.REQUESTS));
    }

    @Test
    void shouldBlockProducersWhenFullAndResumeWhenDrained() throws InterruptedException
    {
        scheduler = IoScheduler.launch(new SchedulerContext());
        final GatedBackend backend = new GatedBackend(4);
        final int ringSize = 16;
        final int maxRequests = 8;
        final IoDevice device = scheduler.addDevice("gated", backend,
            new DeviceContext().ringSize(ringSize).maxRequests(maxRequests).queueDepth(4));
        final TargetHandle target = sized(device);
        final int producers = 4;
        final int perProducer = 200;
        final AtomicLong submitted = new AtomicLong();
        final AtomicLong completed = new AtomicLong();
        final IoCallback callback = (tag, result) -> completed.incrementAndGet();
        final List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++)
        {
            final int base = p * perProducer;
            threads.add(Thread.ofPlatform().start(() ->
            {
                final IoRequest request = new IoRequest();
                for (int i = 0; i < perProducer; i++)
                {
                    device.submit(request.read(target, (base + i) * 1_000_000L, buffer, 0, 4096), callback, i);
                    submitted.incrementAndGet();
                }
            }));
        }

        // Everything bounded fills up: queue depth, request pool, ring. Then producers must wait.
        Await.until("backend holds a full queue", () -> backend.submitted.get() == 4);
        Await.until("request pool full", () -> device.agent().liveRequests() == maxRequests);
        // Disruptor 4 producers claim first and then wait for space, so waiting producers push this below zero.
        Await.until("ring full", () -> device.ringRemainingCapacity() <= 0, () -> "remaining " +
            device.ringRemainingCapacity() + ", submitted " + submitted.get() + ", live " + device.agent().liveRequests());
        final long submittedWhileFull = submitted.get();
        assertTrue(submittedWhileFull <= maxRequests + ringSize, "admitted + ring-held: " + submittedWhileFull);
        assertEquals(0, completed.get());
        for (final Thread t : threads)
        {
            assertTrue(t.isAlive(), "producer still blocked");
        }
        assertEquals(submittedWhileFull, submitted.get(), "nobody got past a full ring");

        backend.open();
        for (final Thread t : threads)
        {
            t.join();
        }
        Await.until("all complete", () -> completed.get() == producers * perProducer);
        assertEquals(0, device.metrics().counter(DeviceCounter.REJECTED));
    }

    @Test
    void shouldDrainAndShutDownCleanlyWithIoInFlight() throws InterruptedException
    {
        scheduler = IoScheduler.launch(new SchedulerContext().drainTimeoutNs(TimeUnit.MILLISECONDS.toNanos(50)));
        final GatedBackend backend = new GatedBackend(2);
        final IoDevice device = scheduler.addDevice("gated", backend, new DeviceContext().queueDepth(2));
        final TargetHandle target = sized(device);
        final RecordingCallback callback = new RecordingCallback();
        final IoRequest request = new IoRequest();
        for (int i = 0; i < 6; i++)
        {
            scheduler.submit(request.read(target, i * 1_000_000L, buffer, 0, 4096), callback, i);
        }
        Await.until("two in flight", () -> backend.submitted.get() == 2);

        final Thread closer = Thread.ofPlatform().start(scheduler::close);
        Await.until("queued requests failed after the drain timeout", () -> callback.count() == 4);
        for (int i = 2; i < 6; i++)
        {
            assertEquals(IoStatus.SHUTDOWN, callback.result(i));
        }
        assertTrue(closer.isAlive(), "close waits for the I/O in flight");
        assertFalse(backend.closed, "the backend stays open while it owns tasks");

        backend.open();
        closer.join();
        assertEquals(4096, callback.result(0));
        assertEquals(4096, callback.result(1));
        assertTrue(backend.closed);
        final ConduitException e = assertThrows(ConduitException.class,
            () -> scheduler.submit(request, callback, 99));
        assertEquals(ErrorCode.SCHEDULER_CLOSED, e.code());
    }

    @Test
    void shouldGiveEveryRequestRacingWithCloseExactlyOneCompletion() throws InterruptedException
    {
        scheduler = IoScheduler.launch(new SchedulerContext());
        final IoDevice device = scheduler.addDevice("null0", new NullBackend(), new DeviceContext().ringSize(32));
        final TargetHandle target = sized(device);
        final ConcurrentHashMap<Long, Long> completions = new ConcurrentHashMap<>();
        final AtomicLong accepted = new AtomicLong();
        final AtomicBoolean duplicate = new AtomicBoolean();
        final IoCallback callback = (tag, result) ->
        {
            if (completions.put(tag, result) != null)
            {
                duplicate.set(true);
            }
        };
        final List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < 3; p++)
        {
            final long base = (long)p << 32;
            threads.add(Thread.ofPlatform().start(() ->
            {
                final IoRequest request = new IoRequest();
                for (long i = 0; i < 1_000_000; i++)
                {
                    try
                    {
                        device.submit(request.read(target, i * 8192, buffer, 0, 4096), callback, base + i);
                        accepted.incrementAndGet();
                    }
                    catch (final ConduitException e)
                    {
                        assertEquals(ErrorCode.SCHEDULER_CLOSED, e.code());
                        return;
                    }
                }
            }));
        }
        Await.until("traffic flowing", () -> accepted.get() > 10_000);
        scheduler.close();
        for (final Thread t : threads)
        {
            t.join();
        }
        assertFalse(duplicate.get(), "a request completed twice");
        Await.until("every accepted request completed", () -> completions.size() == accepted.get());
        assertTrue(completions.values().stream().allMatch(r -> r == 4096 || r == IoStatus.SHUTDOWN));
    }

    @Test
    void shouldLetCallbacksResubmitWithTrySubmit() throws InterruptedException
    {
        scheduler = IoScheduler.launch(new SchedulerContext());
        final IoDevice device = scheduler.addDevice("null0", new NullBackend(), new DeviceContext().ringSize(64));
        final TargetHandle target = sized(device);
        final AtomicLong done = new AtomicLong();
        final IoRequest loopRequest = new IoRequest();
        final long rounds = 50_000;
        final IoCallback[] self = new IoCallback[1];
        self[0] = (tag, result) ->
        {
            // Runs on the device thread: a closed loop with 8 requests outstanding never fills the ring.
            if (done.incrementAndGet() + 8 <= rounds)
            {
                loopRequest.read(target, (tag + 8) * 8192, buffer, 0, 4096);
                assertTrue(device.trySubmit(loopRequest, self[0], tag + 8) >= 0);
            }
        };
        final IoRequest request = new IoRequest();
        for (int i = 0; i < 8; i++)
        {
            device.submit(request.read(target, i * 8192L, buffer, 0, 4096), self[0], i);
        }
        Await.until("closed loop finished", () -> done.get() == rounds);
        assertEquals(0, device.metrics().counter(DeviceCounter.CALLBACK_ERRORS));
    }

    @Test
    void shouldCountCallbackExceptionsAndKeepServing()
    {
        final List<Throwable> errors = new ArrayList<>();
        scheduler = IoScheduler.launch(new SchedulerContext().errorHandler(t ->
        {
            synchronized (errors)
            {
                errors.add(t);
            }
        }));
        final IoDevice device = scheduler.addDevice("null0", new NullBackend());
        final TargetHandle target = sized(device);
        final IoRequest request = new IoRequest().read(target, 0, buffer, 0, 4096);
        device.submit(request, (tag, result) ->
        {
            throw new IllegalStateException("callback bug");
        }, 0);
        assertEquals(4096, device.submit(request).join());
        Await.until("metrics published", () -> device.metrics().counter(DeviceCounter.REQUESTS) == 2);
        assertEquals(1, device.metrics().counter(DeviceCounter.CALLBACK_ERRORS));
        synchronized (errors)
        {
            assertEquals("callback bug", errors.get(0).getMessage());
        }
    }

    @Test
    void shouldRouteCancelByRequestIdAcrossDevices()
    {
        scheduler = IoScheduler.launch(new SchedulerContext());
        final GatedBackend gated = new GatedBackend(1);
        scheduler.addDevice("null0", new NullBackend());
        final IoDevice second = scheduler.addDevice("gated", gated, new DeviceContext().queueDepth(1));
        final TargetHandle target = sized(second);
        final IoFuture first = second.submit(new IoRequest().read(target, 0, buffer, 0, 4096));
        final IoFuture queued = second.submit(new IoRequest().read(target, 1 << 20, buffer, 0, 4096));
        assertEquals(1, queued.requestId() >>> 48, "device index in the id");
        Await.until("first in flight", () -> gated.submitted.get() == 1);
        scheduler.cancel(queued.requestId());
        Await.until("cancelled", queued::isDone);
        assertTrue(queued.isCancelled());
        gated.open();
        assertEquals(4096, first.join());
    }
}
