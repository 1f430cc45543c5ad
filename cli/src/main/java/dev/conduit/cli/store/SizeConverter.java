package dev.conduit.cli.store;

import dev.conduit.core.config.Units;
import picocli.CommandLine;

/** Parses sizes such as {@code 2g}, {@code 256m}, {@code 64k}, {@code 1t} or plain bytes (binary units, as configuration does). */
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
        try
        {
            return Units.parseBytes(value);
        }
        catch (final IllegalArgumentException e)
        {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
