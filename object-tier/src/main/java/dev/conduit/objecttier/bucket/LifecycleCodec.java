package dev.conduit.objecttier.bucket;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import dev.conduit.core.ErrorCode;
import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;

/**
 * A bucket's lifecycle rules as the content of its {@code .l/<bucket>} store object: a version
 * byte (1), a rule count (u16), then per rule its ID and prefix (modified UTF-8 with a u16 length),
 * Status (1 = Enabled), NoncurrentDays (i32) and NewerNoncurrentVersions (i32), big-endian.
 */
final class LifecycleCodec
{
    /** Most rules in one configuration (S3's limit). */
    static final int MAX_RULES = 1000;
    private static final int VERSION = 1;

    private LifecycleCodec()
    {
    }

    static byte[] encode(final List<LifecycleRule> rules)
    {
        if (rules.isEmpty() || rules.size() > MAX_RULES)
        {
            throw new S3Exception(S3Error.MalformedXML, "A lifecycle configuration needs 1.." + MAX_RULES + " rules", "");
        }
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            out.writeByte(VERSION);
            out.writeShort(rules.size());
            for (final LifecycleRule rule : rules)
            {
                out.writeUTF(rule.id());
                out.writeUTF(rule.prefix());
                out.writeBoolean(rule.enabled());
                out.writeInt(rule.noncurrentDays());
                out.writeInt(rule.newerNoncurrentVersions());
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static List<LifecycleRule> decode(final byte[] content)
    {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(content)))
        {
            final int version = in.readUnsignedByte();
            if (version != VERSION)
            {
                throw new IOException("lifecycle configuration version " + version);
            }
            final int count = in.readUnsignedShort();
            final List<LifecycleRule> rules = new ArrayList<>(count);
            for (int i = 0; i < count; i++)
            {
                rules.add(new LifecycleRule(in.readUTF(), in.readUTF(), in.readBoolean(), in.readInt(), in.readInt()));
            }
            return rules;
        }
        catch (final IOException | IllegalArgumentException e)
        {
            throw new S3Exception(S3Error.InternalError, "The stored lifecycle configuration is unreadable (" + ErrorCode.CORRUPT + ")", "", e);
        }
    }
}
