package dev.conduit.bench;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * The one-line result gdsio prints, written by Conduit's path bench and read back from either tool, so
 * scripts that already parse gdsio's output take Conduit's unchanged:
 *
 * <pre>
 * IoType: READ XferType: CPUONLY Threads: 4 DataSetSize: 4187136/4194304(KiB) IOSize: 1024(KiB) Throughput: 3.227660 GiB/sec, Avg_Latency: 1209.149901 usecs ops: 4089 total_time 1.237170 secs
 * </pre>
 *
 * @param ioType        {@code READ} or {@code WRITE}.
 * @param xferType      gdsio's transfer type name ({@code GPUD}, {@code CPUONLY}, {@code CPU_GPU}, ...).
 * @param threads       worker threads.
 * @param doneKib       KiB transferred.
 * @param plannedKib    KiB the run was set to transfer.
 * @param ioSizeKib     bytes per I/O, KiB.
 * @param gibPerSec     throughput.
 * @param avgLatencyUs  mean latency per I/O, microseconds.
 * @param ops           I/Os completed.
 * @param totalTimeS    wall time, seconds.
 */
public record GdsioLine(
    String ioType, String xferType, int threads, long doneKib, long plannedKib, long ioSizeKib, double gibPerSec,
    double avgLatencyUs, long ops, double totalTimeS)
{
    private static final Pattern LINE = Pattern.compile("IoType: (\\S+) XferType: (\\S+) Threads: (\\d+) "
        + "DataSetSize: (\\d+)/(\\d+)\\(KiB\\) IOSize: (\\d+)\\(KiB\\) Throughput: ([0-9.]+) GiB/sec, "
        + "Avg_Latency: ([0-9.]+) usecs ops: (\\d+) total_time ([0-9.]+) secs");

    /** @return the line as gdsio prints it (six decimals, as gdsio does). */
    public String format()
    {
        return String.format(Locale.ROOT, "IoType: %s XferType: %s Threads: %d DataSetSize: %d/%d(KiB) IOSize: %d(KiB) "
            + "Throughput: %.6f GiB/sec, Avg_Latency: %.6f usecs ops: %d total_time %.6f secs", ioType, xferType, threads,
            doneKib, plannedKib, ioSizeKib, gibPerSec, avgLatencyUs, ops, totalTimeS);
    }

    /**
     * @param text output holding a gdsio result line (other lines, such as gdsio's "Verifying data", are skipped;
     *             the first result line is taken).
     * @return the parsed line.
     * @throws ConduitException {@link ErrorCode#TOOL_FAILED} when there is none.
     */
    public static GdsioLine parse(final String text)
    {
        final Matcher m = LINE.matcher(text);
        if (!m.find())
        {
            throw new ConduitException(ErrorCode.TOOL_FAILED, "no gdsio result line in: " + text.strip());
        }
        return new GdsioLine(m.group(1), m.group(2), Integer.parseInt(m.group(3)), Long.parseLong(m.group(4)),
            Long.parseLong(m.group(5)), Long.parseLong(m.group(6)), Double.parseDouble(m.group(7)),
            Double.parseDouble(m.group(8)), Long.parseLong(m.group(9)), Double.parseDouble(m.group(10)));
    }
}
