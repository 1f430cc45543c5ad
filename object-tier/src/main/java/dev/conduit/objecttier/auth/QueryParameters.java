package dev.conduit.objecttier.auth;

import java.util.ArrayList;
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

    private static final Comparator<String[]> BY_NAME_THEN_VALUE =
        Comparator.<String[], String>comparing(pair -> pair[0]).thenComparing(pair -> pair[1]);
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
        for (final Parameter p : parameters)
        {
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
        final List<String[]> pairs = new ArrayList<>(parameters.size());
        final StringBuilder sb = new StringBuilder();
        for (final Parameter p : parameters)
        {
            if (excluded != null && p.nameEquals(raw, excluded))
            {
                continue;
            }
            sb.setLength(0);
            UriEncoding.appendCanonical(sb, raw, p.nameStart, p.nameEnd, false);
            final String name = sb.toString();
            sb.setLength(0);
            UriEncoding.appendCanonical(sb, raw, p.valueStart, p.valueEnd, false);
            pairs.add(new String[] {name, sb.toString()});
        }
        pairs.sort(BY_NAME_THEN_VALUE);
        for (int i = 0; i < pairs.size(); i++)
        {
            if (i > 0)
            {
                out.append('&');
            }
            out.append(pairs.get(i)[0]).append('=').append(pairs.get(i)[1]);
        }
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
