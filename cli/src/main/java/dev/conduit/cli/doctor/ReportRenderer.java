package dev.conduit.cli.doctor;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Renders a doctor report as one JSON object or as indented text for people. The text starts with
 * one {@code OVERRIDE:} line per substituted library, so that it is the first thing read.
 */
public final class ReportRenderer
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ReportRenderer()
    {
    }

    /**
     * @param report the report.
     * @return pretty-printed JSON.
     */
    public static String json(final ObjectNode report)
    {
        try
        {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report);
        }
        catch (final JsonProcessingException e)
        {
            throw new IllegalStateException("doctor report is not serialisable", e);
        }
    }

    /**
     * @param report the report.
     * @return the override warnings, then one {@code key: value} line per leaf, nested objects
     *         indented; a configuration setting is one {@code key: value (source)} line.
     */
    public static String text(final ObjectNode report)
    {
        final StringBuilder out = new StringBuilder();
        for (final JsonNode override : report.path("config").path("overrides"))
        {
            out.append(override.path("warning").asText()).append('\n');
        }
        append(out, report, 0);
        return out.toString().stripTrailing();
    }

    private static void append(final StringBuilder out, final JsonNode node, final int depth)
    {
        final Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
        while (fields.hasNext())
        {
            final Map.Entry<String, JsonNode> field = fields.next();
            out.append("  ".repeat(depth)).append(field.getKey()).append(':');
            final JsonNode value = field.getValue();
            if (isSetting(value))
            {
                out.append(' ').append(leaf(value.get("value"))).append(" (").append(value.get("source").asText()).append(")\n");
            }
            else if (value.isObject())
            {
                out.append('\n');
                append(out, value, depth + 1);
            }
            else if (value.isArray())
            {
                out.append(' ');
                for (int i = 0; i < value.size(); i++)
                {
                    out.append(i == 0 ? "" : ", ").append(value.get(i).isValueNode() ? value.get(i).asText() : value.get(i).toString());
                }
                out.append('\n');
            }
            else
            {
                out.append(' ').append(leaf(value)).append('\n');
            }
        }
    }

    private static boolean isSetting(final JsonNode node)
    {
        return node.isObject() && node.size() == 2 && node.has("value") && node.has("source");
    }

    private static String leaf(final JsonNode value)
    {
        return value.isNull() ? "-" : value.asText();
    }
}
