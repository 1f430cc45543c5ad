package dev.conduit.gdspath;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Time intervals {start, end} in nanoseconds: union, total length and overlap, for the overlap proofs. */
final class Intervals
{
    private Intervals()
    {
    }

    static List<long[]> union(final List<long[]> intervals)
    {
        final List<long[]> sorted = new ArrayList<>(intervals);
        sorted.sort(Comparator.comparingLong(i -> i[0]));
        final List<long[]> out = new ArrayList<>();
        for (final long[] i : sorted)
        {
            if (!out.isEmpty() && i[0] <= out.getLast()[1])
            {
                out.getLast()[1] = Math.max(out.getLast()[1], i[1]);
            }
            else
            {
                out.add(new long[] {i[0], i[1]});
            }
        }
        return out;
    }

    static long length(final List<long[]> disjoint)
    {
        long total = 0;
        for (final long[] i : disjoint)
        {
            total += i[1] - i[0];
        }
        return total;
    }

    static long overlap(final List<long[]> a, final List<long[]> b)
    {
        long total = 0;
        for (final long[] x : a)
        {
            for (final long[] y : b)
            {
                total += Math.max(0, Math.min(x[1], y[1]) - Math.max(x[0], y[0]));
            }
        }
        return total;
    }
}
