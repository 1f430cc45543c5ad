package dev.conduit.gdspath;

import java.util.Objects;

/**
 * The data path chosen for this host and why.
 *
 * @param path   the path.
 * @param reason one sentence, carrying the probe's own reason.
 */
public record PathChoice(PathKind path, String reason)
{
    /**
     * @param path   the path.
     * @param reason one sentence, carrying the probe's own reason.
     */
    public PathChoice
    {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(reason, "reason");
    }
}
