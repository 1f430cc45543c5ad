package dev.conduit.cli.store;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.blocklayout.Column;
import dev.conduit.blocklayout.Extent;
import dev.conduit.blocklayout.ObjectRecord;

/** JSON shapes of the store commands' output (stable field names; scripts parse them). */
public final class RecordJson
{
    static final ObjectMapper MAPPER = new ObjectMapper();

    private RecordJson()
    {
    }

    /**
     * @param r      a record.
     * @param layout include chunking and extents (stat) or not (ls, put).
     * @return {@code {key, size, etag, version, created, createdMs, contentType, metadata[, chunkSize, chunks, stripeUnit, extents]}}.
     */
    public static ObjectNode of(final ObjectRecord r, final boolean layout)
    {
        final ObjectNode o = MAPPER.createObjectNode();
        o.put("key", r.key());
        o.put("size", r.sizeBytes());
        o.put("etag", r.etag());
        o.put("version", r.version());
        o.put("created", Instant.ofEpochMilli(r.createdMs()).toString());
        o.put("createdMs", r.createdMs());
        o.put("contentType", r.contentType());
        final ObjectNode meta = o.putObject("metadata");
        for (final Map.Entry<String, String> e : r.userMetadata().entrySet())
        {
            meta.put(e.getKey(), e.getValue());
        }
        if (layout)
        {
            o.put("chunkSize", r.chunkSizeBytes());
            o.put("chunks", r.chunkCount());
            o.put("stripeUnit", r.layout().stripeUnitBytes());
            final ArrayNode extents = o.putArray("extents");
            for (final Column c : r.layout().columns())
            {
                for (final Extent e : c.extents())
                {
                    extents.addObject().put("namespace", e.namespaceIndex()).put("offset", e.offsetBytes()).put("length", e.lengthBytes());
                }
            }
        }
        return o;
    }

    /**
     * @param node any JSON value.
     * @return it pretty-printed.
     */
    public static String render(final Object node)
    {
        try
        {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        }
        catch (final JsonProcessingException e)
        {
            throw new IllegalStateException("not serialisable", e);
        }
    }
}
