package dev.conduit.objecttier.bucket;

import java.util.Locale;

import dev.conduit.blocklayout.MetadataPredicate;
import dev.conduit.blocklayout.MetadataPredicate.Op;
import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;

/**
 * One condition of a metadata search as users write it ({@code conduit find --where}, the
 * {@code x-conduit-where} query parameter), turned into the store's {@link MetadataPredicate}:
 *
 * <pre>
 * tag.stage=tested        tag equals          meta.model^=resnet   user metadata begins with
 * meta.loss&lt;0.3           number below        meta.loss&lt;=0.3       at most (also &gt;, &gt;=)
 * tag.stage               tag present         meta.owner           user metadata present
 * </pre>
 *
 * <p>User metadata names are case-insensitive in S3 and kept in lower case, so {@code meta.} names
 * are lowered; tag keys are case-sensitive and kept as written ({@code tag.}/{@code meta.} themselves
 * are not). A tag key containing one of
 * {@code = < > ^} cannot be searched.
 */
public final class WhereClause
{
    private static final String TAG = "tag.";
    private static final String META = "meta.";
    private static final String[] OPERATORS = {"^=", "<=", ">=", "=", "<", ">"};
    private static final Op[] OPS = {Op.PREFIX, Op.LE, Op.GE, Op.EQ, Op.LT, Op.GT};

    private WhereClause()
    {
    }

    /**
     * @param clause e.g. {@code meta.loss<0.3}.
     * @return the store predicate.
     * @throws S3Exception {@code InvalidArgument} when the clause is malformed, naming what is wrong.
     */
    public static MetadataPredicate parse(final String clause)
    {
        final String text = clause == null ? "" : clause.strip();
        int at = -1;
        int which = -1;
        for (int i = 0; i < text.length() && at < 0; i++)
        {
            for (int o = 0; o < OPERATORS.length; o++)
            {
                if (text.startsWith(OPERATORS[o], i))
                {
                    at = i;
                    which = o;
                    break;
                }
            }
        }
        final String field = (at < 0 ? text : text.substring(0, at)).strip();
        final String storeName = storeName(field, clause);
        if (at < 0)
        {
            return new MetadataPredicate(storeName, Op.EXISTS, "");
        }
        final String value = text.substring(at + OPERATORS[which].length()).strip();
        try
        {
            return new MetadataPredicate(storeName, OPS[which], value);
        }
        catch (final IllegalArgumentException e)
        {
            throw invalid(clause, "the value of " + OPERATORS[which] + " must be a number");
        }
    }

    private static String storeName(final String field, final String clause)
    {
        if (field.regionMatches(true, 0, TAG, 0, TAG.length()) && field.length() > TAG.length())
        {
            return MetadataCodec.tagName(field.substring(TAG.length()));
        }
        if (field.regionMatches(true, 0, META, 0, META.length()) && field.length() > META.length())
        {
            return MetadataCodec.userName(field.substring(META.length()).toLowerCase(Locale.ROOT));
        }
        throw invalid(clause, "a condition starts with tag.NAME or meta.NAME");
    }

    private static S3Exception invalid(final String clause, final String why)
    {
        return new S3Exception(S3Error.InvalidArgument, "Invalid x-conduit-where condition '" + clause + "': " + why,
            "x-conduit-where");
    }
}
