package dev.conduit.core.config;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongPredicate;

/**
 * One known configuration key: its name in a file and in {@code --set} ({@code scheduler.queueDepth}),
 * its environment variable ({@code CONDUIT_SCHEDULER_QUEUE_DEPTH}), its default as text, and how its
 * text becomes a typed value. {@link Settings} lists every one.
 *
 * <p>Parsing validates: a value that does not parse or is out of range throws
 * {@link IllegalArgumentException} whose message starts with the key.
 *
 * @param <T> the type of the value.
 */
public final class Setting<T>
{
    private final String key;
    private final String envName;
    private final String defaultText;
    private final String kind;
    private final String description;
    private final Function<String, T> parser;

    private Setting(
        final String key, final String envName, final String defaultText, final String kind, final String description,
        final Function<String, T> parser)
    {
        this.key = Objects.requireNonNull(key, "key");
        this.envName = Objects.requireNonNull(envName, "envName");
        this.defaultText = defaultText;
        this.kind = kind;
        this.description = description;
        this.parser = parser;
        if (defaultText != null)
        {
            parse(defaultText);
        }
    }

    /**
     * An integer setting with a lower bound.
     *
     * @param key          the key.
     * @param defaultValue the default.
     * @param min          smallest accepted value.
     * @param description  one line for people.
     * @return the setting, its environment variable derived from the key.
     */
    static Setting<Integer> integer(final String key, final int defaultValue, final int min, final String description)
    {
        return new Setting<>(key, envNameOf(key), Integer.toString(defaultValue), "integer >= " + min, description, text ->
        {
            final int value = Units.parseInt(text);
            require(value >= min, "must be >= " + min + ": " + value);
            return value;
        });
    }

    /**
     * A power-of-two integer setting.
     *
     * @param key          the key.
     * @param defaultValue the default.
     * @param description  one line for people.
     * @return the setting.
     */
    static Setting<Integer> powerOfTwo(final String key, final int defaultValue, final String description)
    {
        return new Setting<>(key, envNameOf(key), Integer.toString(defaultValue), "power of two >= 2", description, text ->
        {
            final int value = Units.parseInt(text);
            require(value >= 2 && Integer.bitCount(value) == 1, "must be a power of two >= 2: " + value);
            return value;
        });
    }

    /**
     * A byte-size setting.
     *
     * @param key         the key.
     * @param defaultText the default, e.g. {@code "4m"}.
     * @param rule        what a valid value satisfies.
     * @param ruleText    the rule in words, for messages and docs.
     * @param description one line for people.
     * @return the setting.
     */
    static Setting<Long> bytes(
        final String key, final String defaultText, final LongPredicate rule, final String ruleText, final String description)
    {
        return new Setting<>(key, envNameOf(key), defaultText, "size, " + ruleText, description, text ->
        {
            final long value = Units.parseBytes(text);
            require(rule.test(value), "must be " + ruleText + ": " + value);
            return value;
        });
    }

    /**
     * A duration setting, in nanoseconds.
     *
     * @param key         the key.
     * @param defaultText the default, e.g. {@code "30s"}.
     * @param description one line for people.
     * @return the setting.
     */
    static Setting<Long> duration(final String key, final String defaultText, final String description)
    {
        return new Setting<>(key, envNameOf(key), defaultText, "duration", description, Units::parseDurationNs);
    }

    /**
     * A free-text setting (a path or a library name), possibly unset.
     *
     * @param key         the key.
     * @param envName     its environment variable (kept as already published, e.g. {@code CONDUIT_CUDA_LIB}).
     * @param defaultText the default, or {@code null} for unset.
     * @param description one line for people.
     * @return the setting.
     */
    static Setting<String> text(final String key, final String envName, final String defaultText, final String description)
    {
        return new Setting<>(key, envName, defaultText, "path", description, text ->
        {
            require(!text.isBlank(), "must not be blank");
            return text.strip();
        });
    }

    /**
     * An on/off setting: {@code true}/{@code false} (also {@code on}/{@code off}, {@code yes}/{@code no}).
     *
     * @param key          the key.
     * @param defaultValue the default.
     * @param description  one line for people.
     * @return the setting.
     */
    static Setting<Boolean> flag(final String key, final boolean defaultValue, final String description)
    {
        return new Setting<>(key, envNameOf(key), Boolean.toString(defaultValue), "true or false", description, text ->
        {
            final String value = text.strip().toLowerCase(Locale.ROOT);
            return switch (value)
            {
                case "true", "on", "yes" -> true;
                case "false", "off", "no" -> false;
                default -> throw new IllegalArgumentException("must be true or false: " + text);
            };
        });
    }

    /** @return the key, as written in a file or after {@code --set}. */
    public String key()
    {
        return key;
    }

    /** @return the environment variable that sets it. */
    public String envName()
    {
        return envName;
    }

    /** @return the default as text, or {@code null} when it is unset by default. */
    public String defaultText()
    {
        return defaultText;
    }

    /** @return what kind of value it takes, in words (for docs and {@code doctor}). */
    public String kind()
    {
        return kind;
    }

    /** @return one line saying what it controls. */
    public String description()
    {
        return description;
    }

    /** @return whether this setting names a substitute for an installed native library. */
    public boolean isLibraryOverride()
    {
        return key.startsWith("lib.");
    }

    /**
     * @param text the value as written.
     * @return the typed value.
     * @throws IllegalArgumentException starting with the key, when it does not parse or is out of range.
     */
    public T parse(final String text)
    {
        try
        {
            return parser.apply(text);
        }
        catch (final IllegalArgumentException e)
        {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString()
    {
        return key;
    }

    /**
     * {@code scheduler.queueDepth} becomes {@code CONDUIT_SCHEDULER_QUEUE_DEPTH}.
     *
     * @param key a key.
     * @return its environment variable.
     */
    static String envNameOf(final String key)
    {
        return "CONDUIT_" + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').toUpperCase(Locale.ROOT);
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(message);
        }
    }
}
