package dev.conduit.cli.store;

import java.util.Locale;

import picocli.CommandLine;

/** Parses sizes such as {@code 2g}, {@code 256m}, {@code 64k}, {@code 1t} or plain bytes (binary units). */
public final class SizeConverter implements CommandLine.ITypeConverter<Long>
{
    @Override
    public Long convert(final String value)
    {
        return parse(value);
    }

    /**
     * @param value text such as {@code 2g} or {@code 1048576}.
     * @return bytes.
     * @throws CommandLine.TypeConversionException for anything else.
     */
    public static long parse(final String value)
    {
        final String v = value.strip().toLowerCase(Locale.ROOT).replaceAll("i?b$", "");
        if (v.isEmpty())
        {
            throw new CommandLine.TypeConversionException("empty size");
        }
        final char unit = v.charAt(v.length() - 1);
        final int shift = switch (unit)
        {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        final String digits = shift == 0 ? v : v.substring(0, v.length() - 1);
        try
        {
            final long n = Long.parseLong(digits);
            if (n < 0 || (shift > 0 && n > (Long.MAX_VALUE >> shift)))
            {
                throw new CommandLine.TypeConversionException("size out of range: " + value);
            }
            return n << shift;
        }
        catch (final NumberFormatException e)
        {
            throw new CommandLine.TypeConversionException("not a size (use e.g. 2g, 256m, 64k or bytes): " + value);
        }
    }
}
