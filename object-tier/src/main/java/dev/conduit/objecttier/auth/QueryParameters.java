package dev.conduit.objecttier.auth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The query string of a request as SigV4 needs it: each parameter's canonical (re-encoded) name and
 * value, to build the sorted canonical query string, and the decoded value of named parameters.
 */
final class QueryParameters
{
    /** Presigned URLs sign everything in the query but the signature itself. */
    static final String SIGNATURE = "X-Amz-Signature";

    private static final QueryParameters EMPTY = new QueryParameters("", List.of());

    private final String raw;
    private final List<Parameter> parameters;

    private QueryParameters(final String raw, final List<Parameter> parameters)
    {
        this.raw = raw;
        this.parameters = parameters;
    }

    /**
     * @param uri the request-target; only what follows '?' is read.
     * @return its parameters.
     */
    static QueryParameters of(final String uri)
    {
        final int question = uri.indexOf('?');
        if (question < 0 || question == uri.length() - 1)
        {
            return EMPTY;
        }
        final List<Parameter> parameters = new ArrayList<>();
        int start = question + 1;
        while (start <= uri.length())
        {
            int end = uri.indexOf('&', start);
            if (end < 0)
            {
                end = uri.length();
            }
            if (end > start)
            {
                parameters.add(Parameter.parse(uri, start, end));
            }
            start = end + 1;
        }
        return new QueryParameters(uri, parameters);
    }

    /**
     * @param name a parameter name, compared exactly (SigV4 names are case-sensitive).
     * @return its decoded value, "" when it has none, or null when absent.
     */
    String get(final String name)
    {
        // Indexed: every request asks (even one without a query), and an iterator per call is garbage.
        for (int i = 0; i < parameters.size(); i++)
        {
            final Parameter p = parameters.get(i);
            if (p.nameEquals(raw, name))
            {
                return UriEncoding.decode(raw, p.valueStart, p.valueEnd);
            }
        }
        return null;
    }

    /** Appends the canonical query string: encoded pairs sorted by name then value, less {@code excluded}. */
    void appendCanonical(final StringBuilder out, final String excluded)
    {
        // Every pair is encoded into one builder and sorted as offsets into it: no String per name
        // and value, no array per pair (presigned GETs carry seven or more parameters).
        final int count = parameters.size();
        final StringBuilder encoded = new StringBuilder(raw.length() + 32);
        final int[] bounds = new int[count * 3];
        final Integer[] order = new Integer[count];
        int n = 0;
        for (final Parameter p : parameters)
        {
            if (excluded != null && p.nameEquals(raw, excluded))
            {
                continue;
            }
            bounds[n * 3] = encoded.length();
            UriEncoding.appendCanonical(encoded, raw, p.nameStart, p.nameEnd, false);
            bounds[n * 3 + 1] = encoded.length();
            UriEncoding.appendCanonical(encoded, raw, p.valueStart, p.valueEnd, false);
            bounds[n * 3 + 2] = encoded.length();
            order[n] = n;
            n++;
        }
        final Comparator<Integer> byNameThenValue = (x, y) -> compare(encoded, bounds, x, y);
        Arrays.sort(order, 0, n, byNameThenValue);
        for (int i = 0; i < n; i++)
        {
            if (i > 0)
            {
                out.append('&');
            }
            final int at = order[i] * 3;
            out.append(encoded, bounds[at], bounds[at + 1]).append('=').append(encoded, bounds[at + 1], bounds[at + 2]);
        }
    }

    private static int compare(final CharSequence encoded, final int[] bounds, final int x, final int y)
    {
        final int byName = compareRegions(encoded, bounds[x * 3], bounds[x * 3 + 1], bounds[y * 3], bounds[y * 3 + 1]);
        return byName != 0 ? byName
            : compareRegions(encoded, bounds[x * 3 + 1], bounds[x * 3 + 2], bounds[y * 3 + 1], bounds[y * 3 + 2]);
    }

    /** String.compareTo over two regions of one text. */
    private static int compareRegions(
        final CharSequence text, final int aStart, final int aEnd, final int bStart, final int bEnd)
    {
        final int common = Math.min(aEnd - aStart, bEnd - bStart);
        for (int i = 0; i < common; i++)
        {
            final char a = text.charAt(aStart + i);
            final char b = text.charAt(bStart + i);
            if (a != b)
            {
                return a - b;
            }
        }
        return (aEnd - aStart) - (bEnd - bStart);
    }

    private record Parameter(int nameStart, int nameEnd, int valueStart, int valueEnd)
    {
        static Parameter parse(final String uri, final int start, final int end)
        {
            final int equals = uri.indexOf('=', start);
            return equals < 0 || equals >= end ?
                new Parameter(start, end, end, end) : new Parameter(start, equals, equals + 1, end);
        }

        boolean nameEquals(final String raw, final String name)
        {
            if (nameEnd - nameStart == name.length() && raw.regionMatches(nameStart, name, 0, name.length()))
            {
                return true;
            }
            return raw.indexOf('%', nameStart) >= 0 && raw.indexOf('%', nameStart) < nameEnd &&
                UriEncoding.decode(raw, nameStart, nameEnd).equals(name);
        }
    }
}
