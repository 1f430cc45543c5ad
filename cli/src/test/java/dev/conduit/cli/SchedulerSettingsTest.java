package dev.conduit.cli;

import java.nio.file.Path;
import java.util.Map;

import dev.conduit.core.config.ConduitConfig;
import dev.conduit.core.config.ConfigLoader;
import dev.conduit.scheduler.DeviceContext;
import dev.conduit.scheduler.SchedulerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(10)
class SchedulerSettingsTest
{
    @Test
    void shouldGiveTheSchedulerItsOwnDefaultsWhenNothingIsConfigured()
    {
        final ConduitConfig defaults = ConduitConfig.defaults();

        final DeviceContext device = SchedulerSettings.deviceContext(defaults);
        final SchedulerContext scheduler = SchedulerSettings.schedulerContext(defaults);

        assertEquals(DeviceContext.QUEUE_DEPTH_DEFAULT, device.queueDepth());
        assertEquals(DeviceContext.COMPLETION_BATCH_DEFAULT, device.completionBatch());
        assertEquals(DeviceContext.SUBMIT_BATCH_DEFAULT, device.submitBatch());
        assertEquals(DeviceContext.TASK_SIZE_DEFAULT, device.taskSizeBytes());
        assertEquals(DeviceContext.RING_SIZE_DEFAULT, device.ringSize());
        assertEquals(DeviceContext.MAX_REQUESTS_DEFAULT, device.maxRequests());
        assertEquals(DeviceContext.MAX_IOV_DEFAULT, device.maxIovPerTask());
        assertEquals(DeviceContext.COALESCE_MAX_BYTES_DEFAULT, device.coalesceMaxBytes());
        assertEquals(DeviceContext.COALESCE_WINDOW_DEFAULT, device.coalesceWindow());
        assertEquals(DeviceContext.LATENCY_RESERVE_DEFAULT, device.latencyReserve());
        assertEquals(DeviceContext.LATENCY_BURST_DEFAULT, device.latencyBurst());
        assertEquals(DeviceContext.DEADLINE_CHECK_INTERVAL_DEFAULT, device.deadlineCheckIntervalNs());
        assertEquals(SchedulerContext.DRAIN_TIMEOUT_DEFAULT, scheduler.drainTimeoutNs());
        assertEquals(SchedulerContext.IDLE_SPINS_DEFAULT, scheduler.idleSpins());
        assertEquals(SchedulerContext.IDLE_YIELDS_DEFAULT, scheduler.idleYields());
        assertEquals(SchedulerContext.IDLE_MAX_PARK_DEFAULT, scheduler.idleMaxParkNs());
    }

    @Test
    void shouldPassConfiguredValuesIntoTheContexts()
    {
        final ConduitConfig config = new ConfigLoader(Map.of("CONDUIT_SCHEDULER_QUEUE_DEPTH", "64"), Path.of("target"))
            .set("scheduler.taskSize", "1m")
            .set("scheduler.coalesceMax", "0")
            .set("scheduler.drainTimeout", "5s")
            .set("scheduler.idleMaxPark", "50us")
            .load();

        final DeviceContext device = SchedulerSettings.deviceContext(config);
        final SchedulerContext scheduler = SchedulerSettings.schedulerContext(config);

        assertEquals(64, device.queueDepth());
        assertEquals(1L << 20, device.taskSizeBytes());
        assertEquals(0, device.coalesceMaxBytes());
        assertEquals(5_000_000_000L, scheduler.drainTimeoutNs());
        assertEquals(50_000L, scheduler.idleMaxParkNs());
    }
}
