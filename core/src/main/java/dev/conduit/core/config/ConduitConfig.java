package dev.conduit.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The effective configuration of one Conduit process: a typed value for every {@link Settings}
 * key and where each came from. Built by {@link ConfigLoader} (defaults &lt; file &lt;
 * {@code CONDUIT_*} environment &lt; flags); immutable.
 *
 * <pre>{@code
 * final ConduitConfig config = new ConfigLoader(System.getenv(), Path.of("")).set("scheduler.queueDepth", "64").load();
 * final int queueDepth = config.get(Settings.QUEUE_DEPTH);              // 64
 * final String from = config.entry(Settings.QUEUE_DEPTH).source().describe(); // "flag --set"
 * }</pre>
 *
 * <p>Threading: immutable, any thread.
 */
public final class ConduitConfig
{
    private final Map<Setting<?>, Entry> entries;
    private final Optional<Path> file;

    ConduitConfig(final Map<Setting<?>, Entry> entries, final Optional<Path> file)
    {
        this.entries = Map.copyOf(entries);
        this.file = Objects.requireNonNull(file, "file");
    }

    /** @return every setting at its default (no file, no environment, no flags). */
    public static ConduitConfig defaults()
    {
        return new ConfigLoader(Map.of(), Path.of("")).withoutDefaultFile().load();
    }

    /**
     * One setting's effective value.
     *
     * @param setting the setting.
     * @param text    the value as written, or {@code null} when unset.
     * @param value   the typed value, or {@code null} when unset.
     * @param source  where it came from.
     */
    public record Entry(Setting<?> setting, String text, Object value, ConfigSource source)
    {
        /** @return whether it has a value. */
        public boolean isSet()
        {
            return value != null;
        }

        /** @return whether it names a substitute library and is set: a library that is not the installed one. */
        public boolean isLibraryOverride()
        {
            return setting.isLibraryOverride() && isSet();
        }

        /** @return the library it replaces, e.g. {@code libcufile} for {@code lib.cufile}. */
        public String libraryName()
        {
            return "lib" + setting.key().substring("lib.".length());
        }
    }

    /**
     * @param setting a setting with a default or a value.
     * @param <T>     its type.
     * @return the typed value.
     * @throws IllegalStateException when it is unset (only settings without a default can be).
     */
    public <T> T get(final Setting<T> setting)
    {
        return find(setting).orElseThrow(() -> new IllegalStateException(setting.key() + " is not set"));
    }

    /**
     * @param setting any setting.
     * @param <T>     its type.
     * @return the typed value, or empty when it is unset.
     */
    @SuppressWarnings("unchecked")
    public <T> Optional<T> find(final Setting<T> setting)
    {
        return Optional.ofNullable((T)entry(setting).value());
    }

    /**
     * @param setting any setting.
     * @return its value as written and where it came from.
     */
    public Entry entry(final Setting<?> setting)
    {
        return Objects.requireNonNull(entries.get(setting), () -> "unknown setting " + setting.key());
    }

    /** @return every entry, in {@link Settings#ALL} order. */
    public List<Entry> entries()
    {
        final List<Entry> out = new ArrayList<>(Settings.ALL.size());
        for (final Setting<?> setting : Settings.ALL)
        {
            out.add(entries.get(setting));
        }
        return out;
    }

    /** @return the library overrides in effect (substitutes for installed native libraries). */
    public List<Entry> libraryOverrides()
    {
        return entries().stream().filter(Entry::isLibraryOverride).toList();
    }

    /**
     * The library path set for an override variable, looked up by the variable's name because that
     * is how the native bindings name their override ({@code CudaDriverLibrary.OVERRIDE_ENV}).
     *
     * @param envName e.g. {@code CONDUIT_CUFILE_LIB}.
     * @return the path, or empty when unset or when no library setting has that variable.
     */
    public Optional<String> libraryOverride(final String envName)
    {
        return Settings.byEnvName(envName)
            .filter(Setting::isLibraryOverride)
            .map(this::entry)
            .filter(Entry::isSet)
            .map(Entry::text);
    }

    /** @return the configuration file that was read, if any. */
    public Optional<Path> file()
    {
        return file;
    }
}
