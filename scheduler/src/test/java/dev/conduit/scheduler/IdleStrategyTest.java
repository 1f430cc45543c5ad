package dev.conduit.scheduler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The device thread's back-off: spin, then yield only while nothing is in flight, then park. A thread
 * that yields with I/O in flight stays runnable, and on a busy machine it can lose the CPU for a whole
 * time slice per yield while its completions wait; with I/O in flight it must park (block in the
 * backend) instead, to be woken by the completion.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IdleStrategyTest
{
    @Test
    void shouldSpinThenYieldOnlyWhileNothingIsInFlightThenPark()
    {
        assertEquals(DeviceIdleStrategy.SPIN, DeviceIdleStrategy.step(1, 200, 20, 0));
        assertEquals(DeviceIdleStrategy.SPIN, DeviceIdleStrategy.step(200, 200, 20, 32));
        assertEquals(DeviceIdleStrategy.YIELD, DeviceIdleStrategy.step(201, 200, 20, 0));
        assertEquals(DeviceIdleStrategy.YIELD, DeviceIdleStrategy.step(220, 200, 20, 0));
        assertEquals(DeviceIdleStrategy.PARK, DeviceIdleStrategy.step(221, 200, 20, 0));
        assertEquals(DeviceIdleStrategy.PARK, DeviceIdleStrategy.step(201, 200, 20, 1), "tasks in flight: never yield");
        assertEquals(DeviceIdleStrategy.PARK, DeviceIdleStrategy.step(1, 0, 20, 32));
    }

    @Test
    void shouldParkRatherThanYieldWhileATaskIsInFlight() throws InterruptedException
    {
        final GatedBackend backend = new GatedBackend(4);
        final String prefix = "idle-strategy-test-";
        // Yields that would never run out: the thread may only reach a park because a task is in flight.
        try (Arena arena = Arena.ofShared();
            IoScheduler scheduler = IoScheduler.launch(new SchedulerContext()
                .threadNamePrefix(prefix).idleSpins(0).idleYields(1_000_000_000)
                .idleMaxParkNs(TimeUnit.MILLISECONDS.toNanos(50))))
        {
            final IoDevice device = scheduler.addDevice("dev0", backend, new DeviceContext().queueDepth(4));
            final TargetHandle target = device.attach(new SizedTarget("t0", 1L << 20, 1));
            final Thread thread = deviceThread(prefix + "dev0");
            final MemorySegment buffer = arena.allocate(4096, 4096);
            final RecordingCallback callback = new RecordingCallback();
            device.submit(new IoRequest().read(target, 0, buffer, 0, 4096), callback, 1);
            try
            {
                Await.until("the task reached the backend", () -> backend.submitted.get() == 1);
                Await.until("the thread parks with a task in flight", () -> thread.getState() == Thread.State.TIMED_WAITING);
            }
            finally
            {
                // Also on failure, so that close() does not wait for the held task.
                backend.open();
            }
            Await.until("the request completed", () -> callback.isDone(1));
            assertEquals(4096, callback.result(1));
            // Nothing in flight now: it yields (runnable) for the configured cycles and never parks.
            for (int i = 0; i < 20; i++)
            {
                Thread.sleep(5);
                final Thread.State state = thread.getState();
                assertTrue(state == Thread.State.RUNNABLE, "yielding while idle, not parked: " + state);
            }
        }
    }

    private static Thread deviceThread(final String name)
    {
        Thread found = null;
        for (final Thread t : Thread.getAllStackTraces().keySet())
        {
            if (t.getName().equals(name))
            {
                found = t;
            }
        }
        assertNotNull(found, "device thread " + name);
        return found;
    }
}
