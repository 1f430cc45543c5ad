package dev.conduit.objecttier.audit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * The stored form of a batch: one JSON object per entry, one entry per line, in chain order. JSON
 * so that an operator can read a batch with the tools they have; the hash does not depend on the
 * JSON form ({@link AuditEntry#computeHash()}).
 */
public final class AuditCodec
{
    private static final ObjectMapper JSON = new ObjectMapper()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    private AuditCodec()
    {
    }

    /**
     * @param entry one entry.
     * @return its JSON line, without the newline.
     */
    public static String line(final AuditEntry entry)
    {
        try
        {
            return JSON.writeValueAsString(entry);
        }
        catch (final JsonProcessingException e)
        {
            throw new IllegalStateException("an audit entry always serialises", e);
        }
    }

    /**
     * @param entries a batch, in chain order.
     * @return its bytes.
     */
    static byte[] encode(final List<AuditEntry> entries)
    {
        final StringBuilder sb = new StringBuilder(entries.size() * 320);
        for (final AuditEntry entry : entries)
        {
            sb.append(line(entry)).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param storeKey where the batch was read from, for messages.
     * @param bytes    a stored batch.
     * @return its entries in stored order.
     * @throws ConduitException {@code CORRUPT} when a line is not an entry.
     */
    static List<AuditEntry> decode(final String storeKey, final byte[] bytes)
    {
        final String text = new String(bytes, StandardCharsets.UTF_8);
        final List<AuditEntry> entries = new ArrayList<>();
        int lineNo = 0;
        for (final String line : text.split("\n"))
        {
            lineNo++;
            if (line.isEmpty())
            {
                continue;
            }
            try
            {
                entries.add(JSON.readValue(line, AuditEntry.class));
            }
            catch (final JsonProcessingException e)
            {
                throw new ConduitException(ErrorCode.CORRUPT, "audit batch " + storeKey + " line " + lineNo
                    + " is not an audit entry: " + e.getOriginalMessage(), e);
            }
        }
        return entries;
    }
}
