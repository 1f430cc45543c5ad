package dev.conduit.nativebindings.dynlib;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** NUL-terminated C strings that libraries return or fill in. */
public final class CStrings
{
    private CStrings()
    {
    }

    /**
     * Reads a string the library owns (a {@code const char *} it returned or stored).
     *
     * @param pointer the C pointer; may be {@code NULL}.
     * @return the string, or empty when the pointer is {@code NULL}.
     */
    public static String fromPointer(final MemorySegment pointer)
    {
        if (pointer.equals(MemorySegment.NULL))
        {
            return "";
        }
        return pointer.reinterpret(Long.MAX_VALUE).getString(0);
    }

    /**
     * Reads the string stored through a {@code const char **} out parameter.
     *
     * @param slot a pointer-sized segment the library wrote.
     * @return the string, or empty when it stored {@code NULL}.
     */
    public static String fromSlot(final MemorySegment slot)
    {
        return fromPointer(slot.get(ValueLayout.ADDRESS, 0));
    }

    /**
     * Reads a string the library wrote into a caller-owned buffer; stops at the first NUL or the
     * end of the buffer, whichever comes first.
     *
     * @param buffer the filled buffer.
     * @return the string.
     */
    public static String fromBuffer(final MemorySegment buffer)
    {
        final long length = buffer.byteSize();
        long end = 0;
        while (end < length && buffer.get(ValueLayout.JAVA_BYTE, end) != 0)
        {
            end++;
        }
        final byte[] bytes = buffer.asSlice(0, end).toArray(ValueLayout.JAVA_BYTE);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * @param arena owner of the copy.
     * @param text  the string.
     * @return a NUL-terminated UTF-8 copy.
     */
    public static MemorySegment allocate(final Arena arena, final String text)
    {
        return arena.allocateFrom(text);
    }
}
