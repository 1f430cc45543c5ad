package dev.conduit.gdspath.loader;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * The sidecar object {@code <shard>.idx} caching a {@link TarIndex}, tied to the shard version it
 * describes (size and ETag), so a replaced shard is re-indexed instead of read with stale offsets.
 *
 * <pre>
 * int  magic 0x43544958 ("CTIX")   int version (1)
 * long shardSizeBytes              UTF shardEtag
 * int  memberCount                 memberCount x { UTF name, long dataOffsetBytes, long lengthBytes }
 * </pre>
 *
 * Big-endian ({@link DataOutputStream}); names as modified UTF-8, at most 65535 bytes each.
 */
final class TarIndexCodec
{
    static final String SUFFIX = ".idx";
    static final int MAGIC = 0x43544958;
    static final int VERSION = 1;

    private TarIndexCodec()
    {
    }

    static byte[] encode(final TarIndex index, final long shardSizeBytes, final String shardEtag)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(shardSizeBytes);
            out.writeUTF(shardEtag);
            out.writeInt(index.members().size());
            for (final TarMember member : index.members())
            {
                out.writeUTF(member.name());
                out.writeLong(member.dataOffsetBytes());
                out.writeLong(member.lengthBytes());
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * @return the index, or {@code null} when the sidecar describes another shard version.
     * @throws ConduitException {@code BAD_FORMAT} when the bytes are not a sidecar of this version.
     */
    static TarIndex decode(final byte[] sidecar, final long shardSizeBytes, final String shardEtag)
    {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(sidecar)))
        {
            final int magic = in.readInt();
            final int version = in.readInt();
            if (magic != MAGIC || version != VERSION)
            {
                throw new ConduitException(ErrorCode.BAD_FORMAT,
                    "not a tar index sidecar (magic " + Integer.toHexString(magic) + ", version " + version + ")");
            }
            if (in.readLong() != shardSizeBytes || !in.readUTF().equals(shardEtag))
            {
                return null;
            }
            final int count = in.readInt();
            if (count < 0 || count > sidecar.length / 18)
            {
                throw new ConduitException(ErrorCode.BAD_FORMAT, "tar index sidecar claims " + count + " members");
            }
            final List<TarMember> members = new ArrayList<>(count);
            for (int i = 0; i < count; i++)
            {
                members.add(new TarMember(in.readUTF(), in.readLong(), in.readLong()));
            }
            return TarIndex.of(members);
        }
        catch (final IOException e)
        {
            throw new ConduitException(ErrorCode.BAD_FORMAT, "truncated tar index sidecar", e);
        }
    }
}
