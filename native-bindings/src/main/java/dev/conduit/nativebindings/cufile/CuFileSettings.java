package dev.conduit.nativebindings.cufile;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;

import dev.conduit.nativebindings.dynlib.CStrings;

import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * cuFile configuration from code: the driver limits ({@code cuFileDriverSet*}) and the parameter
 * API ({@code cuFileGet/SetParameter*}). Setters work only before {@link CuFileDriver#open}
 * (afterwards the library answers {@code CU_FILE_DRIVER_ALREADY_OPEN}); precedence is API, then
 * environment, then {@code cufile.json}. Getters return the staged value before open and the
 * running value after.
 *
 * <p>Threading: any thread; set everything before the first open.
 */
public final class CuFileSettings
{
    private static final int STRING_BYTES = 4096;

    private final CuFileLibrary library;

    private CuFileSettings(final CuFileLibrary library)
    {
        this.library = library;
    }

    /**
     * @param library a loaded libcufile.
     * @return its settings.
     */
    public static CuFileSettings of(final CuFileLibrary library)
    {
        return new CuFileSettings(library);
    }

    /**
     * @param poll            poll for IO up to the threshold.
     * @param thresholdKb     threshold in KiB (4 KiB multiple).
     */
    public void setPollMode(final boolean poll, final long thresholdKb)
    {
        check(library.driverSetPollMode(poll, thresholdKb), "cuFileDriverSetPollMode(" + poll + ", " + thresholdKb + " KiB)");
    }

    /** @param sizeKb largest IO chunk, KiB (4 KiB multiple). */
    public void setMaxDirectIoSizeKb(final long sizeKb)
    {
        check(library.driverSetMaxDirectIoSize(sizeKb), "cuFileDriverSetMaxDirectIOSize(" + sizeKb + " KiB)");
    }

    /** @param sizeKb GPU bounce-buffer pool per device, KiB (4 KiB multiple). */
    public void setMaxCacheSizeKb(final long sizeKb)
    {
        check(library.driverSetMaxCacheSize(sizeKb), "cuFileDriverSetMaxCacheSize(" + sizeKb + " KiB)");
    }

    /** @param sizeKb budget for registered buffers, KiB (4 KiB multiple). */
    public void setMaxPinnedMemorySizeKb(final long sizeKb)
    {
        check(library.driverSetMaxPinnedMemSize(sizeKb), "cuFileDriverSetMaxPinnedMemSize(" + sizeKb + " KiB)");
    }

    /**
     * @param parameter which.
     * @return its value.
     */
    public long get(final CuFileSizeParameter parameter)
    {
        try (Arena arena = Arena.ofConfined())
        {
            return query(arena, JAVA_LONG, out -> library.getParameterSizeT(parameter.value(), out),
                "cuFileGetParameterSizeT(" + parameter.cName() + ")").get(JAVA_LONG, 0);
        }
    }

    /**
     * @param parameter which.
     * @param value     new value, within {@link #range}.
     */
    public void set(final CuFileSizeParameter parameter, final long value)
    {
        check(library.setParameterSizeT(parameter.value(), value), "cuFileSetParameterSizeT(" + parameter.cName() + ", " + value + ")");
    }

    /**
     * @param parameter which.
     * @return its value.
     */
    public boolean get(final CuFileBoolParameter parameter)
    {
        try (Arena arena = Arena.ofConfined())
        {
            return query(arena, JAVA_BOOLEAN, out -> library.getParameterBool(parameter.value(), out),
                "cuFileGetParameterBool(" + parameter.cName() + ")").get(JAVA_BOOLEAN, 0);
        }
    }

    /**
     * @param parameter which.
     * @param value     new value.
     */
    public void set(final CuFileBoolParameter parameter, final boolean value)
    {
        check(library.setParameterBool(parameter.value(), value), "cuFileSetParameterBool(" + parameter.cName() + ", " + value + ")");
    }

    /**
     * @param parameter which.
     * @return its value.
     */
    public String get(final CuFileStringParameter parameter)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment buffer = query(arena, MemoryLayout.sequenceLayout(STRING_BYTES, JAVA_BYTE),
                out -> library.getParameterString(parameter.value(), out, STRING_BYTES),
                "cuFileGetParameterString(" + parameter.cName() + ")");
            return CStrings.fromBuffer(buffer);
        }
    }

    /**
     * @param parameter which.
     * @param value     new value.
     */
    public void set(final CuFileStringParameter parameter, final String value)
    {
        try (Arena arena = Arena.ofConfined())
        {
            check(library.setParameterString(parameter.value(), CStrings.allocate(arena, value)),
                "cuFileSetParameterString(" + parameter.cName() + ", \"" + value + "\")");
        }
    }

    /**
     * @param parameter which.
     * @return the settable range.
     */
    public Range range(final CuFileSizeParameter parameter)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment min = arena.allocate(JAVA_LONG);
            final MemorySegment max = arena.allocate(JAVA_LONG);
            check(library.getParameterMinMaxValue(parameter.value(), min, max),
                "cuFileGetParameterMinMaxValue(" + parameter.cName() + ")");
            return new Range(min.get(JAVA_LONG, 0), max.get(JAVA_LONG, 0));
        }
    }

    private void check(final long status, final String operation)
    {
        CuFileResults.check(library, status, operation);
    }

    /** Allocates the out-parameter, makes the call, and fails with the operation's name. */
    private MemorySegment query(final Arena arena, final MemoryLayout layout, final Getter getter, final String operation)
    {
        final MemorySegment out = arena.allocate(layout);
        check(getter.call(out), operation);
        return out;
    }

    /** One {@code cuFileGetParameter*} call writing into {@code out}; returns the packed status. */
    @FunctionalInterface
    private interface Getter
    {
        long call(MemorySegment out);
    }

    /**
     * A settable range, inclusive.
     *
     * @param min smallest value.
     * @param max largest value.
     */
    public record Range(long min, long max)
    {
    }
}
