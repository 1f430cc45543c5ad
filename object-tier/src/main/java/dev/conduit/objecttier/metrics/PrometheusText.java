package dev.conduit.objecttier.metrics;

/**
 * Appends samples in the Prometheus text exposition format 0.0.4: {@code # HELP}/{@code # TYPE}
 * lines once per family, then {@code name{label="value",...} number} lines. Label values are
 * escaped (backslash, quote, newline) as the format requires.
 */
public final class PrometheusText
{
    /** The Content-Type of a scrape answer. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out;

    /**
     * @param out where the text goes.
     */
    public PrometheusText(final StringBuilder out)
    {
        this.out = out;
    }

    /**
     * Starts a metric family.
     *
     * @param name family name.
     * @param type counter, gauge or histogram.
     * @param help one line of help.
     * @return this.
     */
    public PrometheusText family(final String name, final String type, final String help)
    {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /**
     * Appends one sample.
     *
     * @param name        sample name.
     * @param value       its value.
     * @param labelsKv    label names and values, alternating.
     * @return this.
     */
    public PrometheusText sample(final String name, final double value, final String... labelsKv)
    {
        out.append(name);
        if (labelsKv.length > 0)
        {
            out.append('{');
            for (int i = 0; i < labelsKv.length; i += 2)
            {
                if (i > 0)
                {
                    out.append(',');
                }
                out.append(labelsKv[i]).append("=\"");
                escape(labelsKv[i + 1]);
                out.append('"');
            }
            out.append('}');
        }
        out.append(' ');
        if (value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15)
        {
            out.append((long)value);
        }
        else
        {
            out.append(value);
        }
        out.append('\n');
        return this;
    }

    private void escape(final String value)
    {
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }
}
