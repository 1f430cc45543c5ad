package dev.conduit.bench;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

import org.HdrHistogram.Histogram;

/**
 * The percentiles every side of a benchmark reports (Conduit from its HdrHistogram, fio through
 * {@code --percentile_list}), so their spectra are drawn over the same points: 50 up to 99.999, denser
 * in the tail because the report plots them on a {@code 1/(1-p)} axis.
 */
public final class LatencySpectrum
{
    /** The percentiles, ascending; 50, 99 and 99.9 are among them (the table's columns). fio takes at most 20. */
    public static final double[] PERCENTILES = {50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.995, 99.999};

    private LatencySpectrum()
    {
    }

    /**
     * @param latencyNs one value per I/O, nanoseconds.
     * @return the latency at each of {@link #PERCENTILES}, microseconds; empty for an empty histogram.
     */
    public static List<LatencyPoint> of(final Histogram latencyNs)
    {
        final List<LatencyPoint> points = new ArrayList<>(PERCENTILES.length);
        if (latencyNs.getTotalCount() == 0)
        {
            return points;
        }
        for (final double p : PERCENTILES)
        {
            points.add(new LatencyPoint(p, latencyNs.getValueAtPercentile(p) / 1000.0));
        }
        return points;
    }

    /** @return fio's {@code --percentile_list} value for {@link #PERCENTILES}. */
    public static String fioList()
    {
        final StringJoiner list = new StringJoiner(":");
        for (final double p : PERCENTILES)
        {
            // Plain decimals, no exponent or trailing zeros: what fio's option parser takes.
            list.add(BigDecimal.valueOf(p).stripTrailingZeros().toPlainString());
        }
        return list.toString();
    }

    /**
     * @param percentile one of {@link #PERCENTILES}.
     * @return the key fio's JSON gives it, e.g. {@code 99.900000}.
     */
    public static String fioKey(final double percentile)
    {
        return String.format(Locale.ROOT, "%.6f", percentile);
    }
}
