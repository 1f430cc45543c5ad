package dev.conduit.cli;

import dev.conduit.core.config.ConduitConfig;
import dev.conduit.core.config.Settings;
import dev.conduit.scheduler.DeviceContext;
import dev.conduit.scheduler.SchedulerContext;

/**
 * Hands the {@code scheduler.*} values of a {@link ConduitConfig} to the scheduler's contexts, so
 * that the scheduler reads no configuration of its own.
 */
public final class SchedulerSettings
{
    private SchedulerSettings()
    {
    }

    /**
     * @param config the effective configuration.
     * @return scheduler-wide settings from it.
     */
    public static SchedulerContext schedulerContext(final ConduitConfig config)
    {
        return new SchedulerContext()
            .drainTimeoutNs(config.get(Settings.DRAIN_TIMEOUT))
            .idleSpins(config.get(Settings.IDLE_SPINS))
            .idleYields(config.get(Settings.IDLE_YIELDS))
            .idleMaxParkNs(config.get(Settings.IDLE_MAX_PARK));
    }

    /**
     * @param config the effective configuration.
     * @return a fresh per-device context from it (one per device: contexts freeze when concluded).
     */
    public static DeviceContext deviceContext(final ConduitConfig config)
    {
        return new DeviceContext()
            .queueDepth(config.get(Settings.QUEUE_DEPTH))
            .completionBatch(config.get(Settings.COMPLETION_BATCH))
            .submitBatch(config.get(Settings.SUBMIT_BATCH))
            .taskSizeBytes(config.get(Settings.TASK_SIZE))
            .ringSize(config.get(Settings.RING_SIZE))
            .maxRequests(config.get(Settings.MAX_REQUESTS))
            .maxIovPerTask(config.get(Settings.MAX_IOV_PER_TASK))
            .coalesceMaxBytes(config.get(Settings.COALESCE_MAX))
            .coalesceWindow(config.get(Settings.COALESCE_WINDOW))
            .latencyReserve(config.get(Settings.LATENCY_RESERVE))
            .latencyBurst(config.get(Settings.LATENCY_BURST))
            .deadlineCheckIntervalNs(config.get(Settings.DEADLINE_CHECK_INTERVAL));
    }
}
