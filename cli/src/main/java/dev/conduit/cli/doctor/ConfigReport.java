package dev.conduit.cli.doctor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.config.ConduitConfig;
import dev.conduit.core.config.Setting;
import dev.conduit.core.config.Settings;

/**
 * The {@code config} section: the configuration file, every setting's effective value and source,
 * and the library overrides in effect, each with a warning sentence. An override is also attached
 * to the library it replaces ({@code cuda.driver.override}, {@code cufile.override}, ...), so a
 * substitute library never passes for the installed one.
 */
final class ConfigReport
{
    /** What a set secret shows as. */
    static final String MASK = "********";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ConfigReport()
    {
    }

    static ObjectNode report(final ConduitConfig config)
    {
        final ObjectNode section = JSON.objectNode();
        section.put("file", config.file().map(Object::toString).orElse(null));
        final ObjectNode settings = section.putObject("settings");
        for (final ConduitConfig.Entry entry : config.entries())
        {
            final ObjectNode value = settings.putObject(entry.setting().key());
            value.put("value", shown(entry));
            value.put("source", entry.source().describe());
        }
        final ArrayNode overrides = section.putArray("overrides");
        for (final ConduitConfig.Entry entry : config.libraryOverrides())
        {
            overrides.add(override(entry));
        }
        return section;
    }

    /**
     * A report is pasted into tickets and chats, so a secret's value never appears in it: only
     * whether it is set.
     *
     * @param entry a setting's entry.
     * @return its value as the report shows it.
     */
    static String shown(final ConduitConfig.Entry entry)
    {
        return Settings.isSecret(entry.setting()) && entry.isSet() ? MASK : entry.text();
    }

    /**
     * @param config  the configuration.
     * @param setting a {@code lib.*} setting.
     * @return the override object for the library's own section, or {@code null} when the installed library is used.
     */
    static ObjectNode override(final ConduitConfig config, final Setting<String> setting)
    {
        final ConduitConfig.Entry entry = config.entry(setting);
        return entry.isLibraryOverride() ? override(entry) : null;
    }

    private static ObjectNode override(final ConduitConfig.Entry entry)
    {
        final ObjectNode node = JSON.objectNode();
        node.put("library", entry.libraryName());
        node.put("key", entry.setting().key());
        node.put("path", entry.text());
        node.put("source", entry.source().describe());
        node.put("warning", "OVERRIDE: " + entry.libraryName() + " from "
            + entry.source().assignment(entry.setting().key(), entry.text()) + ", not the installed library");
        return node;
    }
}
