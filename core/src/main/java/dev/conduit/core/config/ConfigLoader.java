package dev.conduit.core.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Builds a {@link ConduitConfig} from its layers, each overriding the ones before it:
 * <ol>
 *   <li>the defaults in {@link Settings};</li>
 *   <li>one properties file: the one given by {@link #file} ({@code --config FILE}), else
 *       {@code $CONDUIT_CONFIG}, else {@code ./conduit.properties} when it exists;</li>
 *   <li>the environment: each setting's {@link Setting#envName()} ({@code CONDUIT_*}; blank is unset);</li>
 *   <li>flags, in the order given ({@link #set} for {@code --set key=value}, {@link #flag} for
 *       dedicated options such as {@code --data}).</li>
 * </ol>
 * An unknown key in the file or in {@code --set} is refused, as is a value that does not parse;
 * the {@link IllegalArgumentException} names the key and where the value came from. Unknown
 * environment variables are ignored: the environment is shared with other programs.
 *
 * <p>The environment is a parameter so that tests pass their own; the process's is {@code System.getenv()}.
 *
 * <p>Threading: one thread builds; {@link #load()} may be called again and gives an equal result.
 */
public final class ConfigLoader
{
    /** Environment variable naming the configuration file when {@code --config} is not given. */
    public static final String CONFIG_ENV = "CONDUIT_CONFIG";
    /** File read from the working directory when neither {@code --config} nor {@link #CONFIG_ENV} names one. */
    public static final String DEFAULT_FILE_NAME = "conduit.properties";

    private final Map<String, String> env;
    private final Path workingDir;
    private final List<Flag> flags = new ArrayList<>();
    private Path explicitFile;
    private boolean defaultFile = true;

    private record Flag(Setting<?> setting, String text, String origin)
    {
    }

    /**
     * @param env        the environment, e.g. {@code System.getenv()}.
     * @param workingDir where relative file names and {@value #DEFAULT_FILE_NAME} are looked up.
     */
    public ConfigLoader(final Map<String, String> env, final Path workingDir)
    {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
        this.workingDir = Objects.requireNonNull(workingDir, "workingDir");
    }

    /**
     * @param file the configuration file ({@code --config FILE}); it must exist. {@code null} keeps the lookup.
     * @return this.
     */
    public ConfigLoader file(final Path file)
    {
        this.explicitFile = file;
        return this;
    }

    /**
     * A {@code --set key=value} flag.
     *
     * @param key   a key of {@link Settings}.
     * @param value its value as written.
     * @return this.
     * @throws IllegalArgumentException when the key is unknown.
     */
    public ConfigLoader set(final String key, final String value)
    {
        final Setting<?> setting = Settings.byKey(key)
            .orElseThrow(() -> new IllegalArgumentException(unknownKey(key, "--set")));
        flags.add(new Flag(setting, value, "--set"));
        return this;
    }

    /**
     * A dedicated flag for one setting, such as {@code --data DIR}; applied after earlier flags.
     *
     * @param setting  the setting.
     * @param value    its value as written.
     * @param flagName the option, e.g. {@code --data}, for {@code doctor}.
     * @return this.
     */
    public ConfigLoader flag(final Setting<?> setting, final String value, final String flagName)
    {
        flags.add(new Flag(Objects.requireNonNull(setting, "setting"), value, flagName));
        return this;
    }

    /** @return this, not looking for {@value #DEFAULT_FILE_NAME} in the working directory. */
    ConfigLoader withoutDefaultFile()
    {
        this.defaultFile = false;
        return this;
    }

    /**
     * @return the effective configuration.
     * @throws IllegalArgumentException for an unknown key, a bad value or an unreadable file, naming it.
     */
    public ConduitConfig load()
    {
        final Map<Setting<?>, ConduitConfig.Entry> entries = new HashMap<>();
        for (final Setting<?> setting : Settings.ALL)
        {
            final String text = setting.defaultText();
            entries.put(setting, new ConduitConfig.Entry(setting, text, text == null ? null : setting.parse(text), ConfigSource.DEFAULT));
        }
        final Optional<Path> file = configFile();
        file.ifPresent(path -> readFile(path, entries));
        for (final Setting<?> setting : Settings.ALL)
        {
            final String text = env.get(setting.envName());
            if (text != null && !text.isBlank())
            {
                put(entries, setting, text, new ConfigSource(ConfigSource.Kind.ENV, setting.envName()));
            }
        }
        for (final Flag flag : flags)
        {
            put(entries, flag.setting(), flag.text(), new ConfigSource(ConfigSource.Kind.FLAG, flag.origin()));
        }
        return new ConduitConfig(entries, file);
    }

    private Optional<Path> configFile()
    {
        if (explicitFile != null)
        {
            return Optional.of(existing(explicitFile, "--config"));
        }
        final String fromEnv = env.get(CONFIG_ENV);
        if (fromEnv != null && !fromEnv.isBlank())
        {
            return Optional.of(existing(Path.of(fromEnv), CONFIG_ENV));
        }
        final Path local = workingDir.resolve(DEFAULT_FILE_NAME).toAbsolutePath().normalize();
        return defaultFile && Files.isRegularFile(local) ? Optional.of(local) : Optional.empty();
    }

    private Path existing(final Path file, final String namedBy)
    {
        final Path path = workingDir.resolve(file).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path))
        {
            throw new IllegalArgumentException("config file " + path + " (from " + namedBy + ") does not exist");
        }
        return path;
    }

    private static void readFile(final Path path, final Map<Setting<?>, ConduitConfig.Entry> entries)
    {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        catch (final IOException | IllegalArgumentException e)
        {
            throw new IllegalArgumentException("cannot read config file " + path + ": " + e.getMessage(), e);
        }
        final ConfigSource source = new ConfigSource(ConfigSource.Kind.FILE, path.toString());
        // Sorted so that the first unknown key reported does not depend on hash order.
        for (final String key : new TreeSet<>(properties.stringPropertyNames()))
        {
            final Setting<?> setting = Settings.byKey(key)
                .orElseThrow(() -> new IllegalArgumentException(unknownKey(key, path.toString())));
            put(entries, setting, properties.getProperty(key), source);
        }
    }

    private static void put(
        final Map<Setting<?>, ConduitConfig.Entry> entries, final Setting<?> setting, final String text, final ConfigSource source)
    {
        final Object value;
        try
        {
            value = setting.parse(text);
        }
        catch (final IllegalArgumentException e)
        {
            throw new IllegalArgumentException(e.getMessage() + " (from " + source.describe() + ")", e);
        }
        entries.put(setting, new ConduitConfig.Entry(setting, text.strip(), value, source));
    }

    private static String unknownKey(final String key, final String where)
    {
        return "unknown configuration key '" + key + "' in " + where + "; known keys: "
            + String.join(", ", Settings.ALL.stream().map(Setting::key).toList());
    }
}
