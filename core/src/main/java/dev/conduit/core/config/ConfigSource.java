package dev.conduit.core.config;

import java.util.Locale;
import java.util.Objects;

/**
 * Where a configuration value came from, so that {@code conduit doctor} can say it.
 *
 * @param kind   which layer.
 * @param origin the file path, the environment variable or the flag; empty for {@link Kind#DEFAULT}.
 */
public record ConfigSource(Kind kind, String origin)
{
    /** The layers, weakest first: each overrides the ones before it. */
    public enum Kind
    {
        /** The built-in default. */
        DEFAULT,
        /** A properties file. */
        FILE,
        /** A {@code CONDUIT_*} environment variable. */
        ENV,
        /** A command-line flag ({@code --set key=value}, {@code --data}). */
        FLAG
    }

    /** The built-in default. */
    public static final ConfigSource DEFAULT = new ConfigSource(Kind.DEFAULT, "");

    /**
     * @param kind   which layer.
     * @param origin the file path, the environment variable or the flag.
     */
    public ConfigSource
    {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(origin, "origin");
    }

    /** @return e.g. {@code default}, {@code file /etc/conduit.properties}, {@code env CONDUIT_DATA}, {@code flag --data}. */
    public String describe()
    {
        return kind == Kind.DEFAULT ? "default" : kind.name().toLowerCase(Locale.ROOT) + " " + origin;
    }

    /**
     * How the value was written where it came from, for people to find and undo it.
     *
     * @param key  the setting's key.
     * @param text the value as written.
     * @return e.g. {@code CONDUIT_CUFILE_LIB=/x/libcufile.so}, {@code lib.cufile=/x in /etc/conduit.properties},
     *         {@code --set lib.cufile=/x}.
     */
    public String assignment(final String key, final String text)
    {
        return switch (kind)
        {
            case DEFAULT -> key + "=" + text + " (default)";
            case FILE -> key + "=" + text + " in " + origin;
            case ENV -> origin + "=" + text;
            case FLAG -> origin.equals("--set") ? "--set " + key + "=" + text : origin + " " + text;
        };
    }
}
