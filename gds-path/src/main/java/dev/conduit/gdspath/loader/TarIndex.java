package dev.conduit.gdspath.loader;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.conduit.gdspath.loader.TarHeaderDescriptor.BLOCK_BYTES;

/**
 * The members of a WebDataset-style tar shard and its samples: consecutive members whose paths share
 * a {@link Sample#keyOf sample key} form one sample. Built once by scanning the headers
 * ({@link #scan}); the loader caches it as a sidecar object ({@link TarIndexCodec}).
 *
 * <p>Reads POSIX ustar (with {@code prefix}), GNU tar (long names in {@code ././@LongLink} members)
 * and pax ({@code path} and {@code size} records); only regular files become members. Headers are read
 * through a window of {@link #WINDOW_BYTES}, so a shard of small members costs about one read per
 * window, not one per member.
 */
public final class TarIndex
{
    /** Largest read the scanner asks of its source. */
    public static final int WINDOW_BYTES = 1 << 20;
    /** Largest GNU long name or pax header accepted (checked before reading it). */
    public static final int MAX_EXTENDED_HEADER_BYTES = 64 << 10;

    private final List<TarMember> members;
    private final List<Sample> samples;

    private TarIndex(final List<TarMember> members)
    {
        this.members = List.copyOf(members);
        this.samples = group(this.members);
    }

    /**
     * @param members regular files, in shard order.
     * @return their index.
     */
    public static TarIndex of(final List<TarMember> members)
    {
        return new TarIndex(members);
    }

    /**
     * @param source    the shard's bytes.
     * @param sizeBytes the shard's size.
     * @return its index.
     * @throws dev.conduit.core.ConduitException {@code BAD_FORMAT}: a bad checksum, a member past the end,
     *                                           an oversized extended header.
     */
    public static TarIndex scan(final RangeSource source, final long sizeBytes)
    {
        final Window window = new Window(source, sizeBytes);
        final List<TarMember> members = new ArrayList<>();
        String pendingName = null;
        long pendingSize = -1;
        long pos = 0;
        while (pos + BLOCK_BYTES <= sizeBytes)
        {
            final MemorySegment header = window.bytes(pos, BLOCK_BYTES);
            if (TarHeaderDescriptor.isZeroBlock(header))
            {
                break;
            }
            TarHeaderDescriptor.checkChecksum(header, pos);
            final byte type = TarHeaderDescriptor.typeflag(header);
            final String headerPath = TarHeaderDescriptor.path(header);
            long size = TarHeaderDescriptor.size(header, pos);
            final long dataStart = pos + BLOCK_BYTES;
            if (type == TarHeaderDescriptor.TYPE_GNU_LONG_NAME)
            {
                pendingName = TarHeaderDescriptor.text(window.bytes(dataStart, extendedLength(size, pos)), 0, size);
            }
            else if (type == TarHeaderDescriptor.TYPE_PAX)
            {
                final PaxRecords pax = PaxRecords.parse(window.bytes(dataStart, extendedLength(size, pos)), pos);
                pendingName = pax.path() != null ? pax.path() : pendingName;
                pendingSize = pax.sizeBytes();
            }
            else
            {
                size = pendingSize >= 0 ? pendingSize : size;
                if (isRegularFile(type))
                {
                    if (dataStart + size > sizeBytes)
                    {
                        throw TarHeaderDescriptor.bad(pos, "member of " + size + " bytes runs past the shard's end");
                    }
                    members.add(new TarMember(pendingName != null ? pendingName : headerPath, dataStart, size));
                }
                pendingName = null;
                pendingSize = -1;
            }
            pos = dataStart + TarHeaderDescriptor.roundUpToBlock(size);
        }
        return new TarIndex(members);
    }

    /** @return the regular files, in shard order. */
    public List<TarMember> members()
    {
        return members;
    }

    /** @return the samples, in shard order. */
    public List<Sample> samples()
    {
        return samples;
    }

    private static boolean isRegularFile(final byte type)
    {
        return type == TarHeaderDescriptor.TYPE_FILE || type == TarHeaderDescriptor.TYPE_FILE_OLD
            || type == TarHeaderDescriptor.TYPE_CONTIGUOUS;
    }

    private static long extendedLength(final long size, final long atBytes)
    {
        if (size > MAX_EXTENDED_HEADER_BYTES)
        {
            throw TarHeaderDescriptor.bad(atBytes, "extended header of " + size + " bytes exceeds "
                + MAX_EXTENDED_HEADER_BYTES);
        }
        return size;
    }

    private static List<Sample> group(final List<TarMember> members)
    {
        final List<Sample> out = new ArrayList<>();
        List<TarMember> current = new ArrayList<>();
        String currentKey = null;
        for (final TarMember member : members)
        {
            final String key = Sample.keyOf(member.name());
            if (!key.equals(currentKey) && !current.isEmpty())
            {
                out.add(new Sample(currentKey, current));
                current = new ArrayList<>();
            }
            currentKey = key;
            current.add(member);
        }
        if (!current.isEmpty())
        {
            out.add(new Sample(currentKey, current));
        }
        return out;
    }

    /** Serves header reads from one buffered window of the shard, refilling it from the source when a read falls outside. */
    private static final class Window
    {
        private final RangeSource source;
        private final long sizeBytes;
        private MemorySegment bytes = MemorySegment.NULL;
        private long startBytes = -1;

        Window(final RangeSource source, final long sizeBytes)
        {
            this.source = source;
            this.sizeBytes = sizeBytes;
        }

        MemorySegment bytes(final long offsetBytes, final long lengthBytes)
        {
            if (offsetBytes + lengthBytes > sizeBytes)
            {
                throw TarHeaderDescriptor.bad(offsetBytes, lengthBytes + " bytes run past the shard's end " + sizeBytes);
            }
            if (startBytes < 0 || offsetBytes < startBytes || offsetBytes + lengthBytes > startBytes + bytes.byteSize())
            {
                startBytes = offsetBytes;
                bytes = source.read(offsetBytes, Math.min(WINDOW_BYTES, sizeBytes - offsetBytes));
            }
            return bytes.asSlice(offsetBytes - startBytes, lengthBytes);
        }
    }

    /** The pax records a loader needs: {@code path} and {@code size}. Each record is {@code "<len> <key>=<value>\n"}. */
    private record PaxRecords(String path, long sizeBytes)
    {
        static PaxRecords parse(final MemorySegment data, final long atBytes)
        {
            final byte[] raw = data.toArray(ValueLayout.JAVA_BYTE);
            String path = null;
            long size = -1;
            int pos = 0;
            while (pos < raw.length && raw[pos] != 0)
            {
                final int space = indexOf(raw, (byte)' ', pos);
                if (space < 0)
                {
                    throw TarHeaderDescriptor.bad(atBytes, "pax record without a length at " + pos);
                }
                final int length = decimal(raw, pos, space, atBytes);
                if (length <= space - pos || pos + length > raw.length)
                {
                    throw TarHeaderDescriptor.bad(atBytes, "pax record length " + length + " out of range");
                }
                final String record = new String(raw, space + 1, pos + length - space - 2, StandardCharsets.UTF_8);
                final int eq = record.indexOf('=');
                if (eq > 0)
                {
                    final String key = record.substring(0, eq);
                    if (key.equals("path"))
                    {
                        path = record.substring(eq + 1);
                    }
                    else if (key.equals("size"))
                    {
                        size = sizeValue(record.substring(eq + 1), atBytes);
                    }
                }
                pos += length;
            }
            return new PaxRecords(path, size);
        }

        private static long sizeValue(final String text, final long atBytes)
        {
            try
            {
                final long size = Long.parseLong(text);
                if (size >= 0)
                {
                    return size;
                }
            }
            catch (final NumberFormatException e)
            {
                // Reported below with the position, like every other malformed header.
            }
            throw TarHeaderDescriptor.bad(atBytes, "pax size '" + text + "' is not a byte count");
        }

        private static int decimal(final byte[] raw, final int from, final int to, final long atBytes)
        {
            int value = 0;
            for (int i = from; i < to; i++)
            {
                if (raw[i] < '0' || raw[i] > '9' || value > MAX_EXTENDED_HEADER_BYTES)
                {
                    throw TarHeaderDescriptor.bad(atBytes, "pax record length is not a small decimal at " + from);
                }
                value = value * 10 + (raw[i] - '0');
            }
            return value;
        }

        private static int indexOf(final byte[] raw, final byte b, final int from)
        {
            for (int i = from; i < raw.length; i++)
            {
                if (raw[i] == b)
                {
                    return i;
                }
            }
            return -1;
        }
    }
}
