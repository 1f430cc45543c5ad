package dev.conduit.bench;

import java.lang.management.ManagementFactory;

import com.sun.management.OperatingSystemMXBean;

/**
 * CPU time of the whole process (every thread: the bench's, the scheduler's device threads, the JIT and
 * GC), the figure behind CPU-seconds per GiB: a data path that frees the CPU shows it here, not in GiB/s.
 */
final class ProcessCpu
{
    private static final OperatingSystemMXBean OS = (OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean();

    private ProcessCpu()
    {
    }

    /** @return CPU time this process has used, nanoseconds ({@code -1} where the platform does not say). */
    static long nowNs()
    {
        return OS.getProcessCpuTime();
    }

    /**
     * @param cpuNs CPU time spent.
     * @param bytes bytes moved in that time.
     * @return CPU-seconds per GiB, or NaN without bytes or without a CPU clock.
     */
    static double secondsPerGib(final long cpuNs, final long bytes)
    {
        return bytes <= 0 || cpuNs < 0 ? Double.NaN : cpuNs / 1e9 / (bytes / BenchResult.GIB);
    }
}
