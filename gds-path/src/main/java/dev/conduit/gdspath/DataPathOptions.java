package dev.conduit.gdspath;

import java.util.Objects;

import dev.conduit.core.config.ConduitConfig;
import dev.conduit.core.config.Settings;

/**
 * How a {@link DataPath} opens.
 *
 * @param mode   which path: {@code auto} or a forced one ({@code path.mode}).
 * @param verify check the store's CRC-32C of every chunk a read touches (on by default; a loader
 *               feeding training must not pass on silently corrupt bytes).
 */
public record DataPathOptions(PathMode mode, boolean verify)
{
    /** {@code auto}, verified. */
    public static final DataPathOptions DEFAULT = new DataPathOptions(PathMode.AUTO, true);

    /**
     * @param mode   which path.
     * @param verify check CRC-32C on every read.
     */
    public DataPathOptions
    {
        Objects.requireNonNull(mode, "mode");
    }

    /**
     * @param config the process configuration.
     * @return its {@code path.mode}, verified reads.
     * @throws dev.conduit.core.ConduitException {@code CONFIG_INVALID} for an unknown mode.
     */
    public static DataPathOptions from(final ConduitConfig config)
    {
        return new DataPathOptions(PathMode.parse(config.get(Settings.PATH_MODE)), true);
    }

    /**
     * @param mode the mode wanted.
     * @return these options with that mode.
     */
    public DataPathOptions withMode(final PathMode mode)
    {
        return new DataPathOptions(mode, verify);
    }
}
