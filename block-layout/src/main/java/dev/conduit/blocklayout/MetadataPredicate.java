package dev.conduit.blocklayout;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * One condition on an object's user metadata: equality or prefix on the text of an entry, a range
 * on its value read as a number, or the entry's presence. Values are numbers when they are written
 * as plain decimals ({@code 0.3}, {@code -12}, {@code 1e-4}); a numeric condition never matches an
 * entry whose value is not one.
 *
 * @param name  the user metadata name as the store keeps it.
 * @param op    the comparison.
 * @param value the operand (a number for the range operators; unused for {@link Op#EXISTS}).
 */
public record MetadataPredicate(String name, Op op, String value)
{
    /** The comparisons a metadata query can make. */
    public enum Op
    {
        /** The value is exactly the operand. */
        EQ,
        /** The value begins with the operand. */
        PREFIX,
        /** The entry is present, whatever its value. */
        EXISTS,
        /** The value is a number below the operand. */
        LT,
        /** At most the operand. */
        LE,
        /** Above the operand. */
        GT,
        /** At least the operand. */
        GE;

        /** @return whether this operator compares numbers. */
        public boolean numeric()
        {
            return this == LT || this == LE || this == GT || this == GE;
        }
    }

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /** Checks the operand against the operator. */
    public MetadataPredicate
    {
        if (name == null || name.isEmpty() || op == null)
        {
            throw new IllegalArgumentException("a metadata predicate needs a name and an operator");
        }
        value = value == null ? "" : value;
        if (op.numeric() && Double.isNaN(number(value)))
        {
            throw new IllegalArgumentException("not a number for " + name + " " + op + ": " + value);
        }
    }

    /**
     * @param userMetadata an object's user metadata.
     * @return whether it satisfies this condition.
     */
    public boolean test(final Map<String, String> userMetadata)
    {
        final String actual = userMetadata.get(name);
        if (actual == null)
        {
            return false;
        }
        return switch (op)
        {
            case EXISTS -> true;
            case EQ -> actual.equals(value);
            case PREFIX -> actual.startsWith(value);
            default -> compareNumber(actual);
        };
    }

    private boolean compareNumber(final String actual)
    {
        final double a = number(actual);
        if (Double.isNaN(a))
        {
            return false;
        }
        final int cmp = Double.compare(a, number(value));
        return switch (op)
        {
            case LT -> cmp < 0;
            case LE -> cmp <= 0;
            case GT -> cmp > 0;
            default -> cmp >= 0;
        };
    }

    /**
     * The one rule for what counts as a number, shared by the index and {@link #test}.
     *
     * @param text a metadata value.
     * @return its value, or NaN when it is not a plain finite decimal.
     */
    static double number(final String text)
    {
        if (text.length() > 64 || !DECIMAL.matcher(text).matches())
        {
            return Double.NaN;
        }
        final double d = Double.parseDouble(text);
        // -0.0 and 0.0 index alike, as they compare alike.
        return Double.isInfinite(d) ? Double.NaN : d + 0.0;
    }
}
