package dev.conduit.gdspath;

import java.util.Locale;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * What the configuration asks for ({@code path.mode}): {@link #AUTO} lets the host decide, the others
 * force a path. Resolving a mode against the host's {@link PathChoice} either yields the path a
 * {@link DataPath} runs on or fails with the reason the host cannot serve the forced one.
 *
 * <p>A forced path the host cannot serve fails with {@link ErrorCode#PATH_UNAVAILABLE} and the
 * host's reason, unless the caller allows a fallback: then the host's best path runs and the
 * reason says what was asked for, why it could not run and what runs instead.
 */
public enum PathMode
{
    /** The best path this host serves (and this build implements). */
    AUTO,
    /** GPUDirect Storage only; an error where it cannot run. */
    GDS,
    /** Bounce through pinned host memory only; an error without CUDA. */
    BOUNCE,
    /** Host memory only; always available. */
    HOST;

    /**
     * @param text {@code auto}, {@code gds}, {@code bounce} or {@code host}, any case.
     * @return the mode.
     * @throws ConduitException {@link ErrorCode#CONFIG_INVALID} naming the accepted values.
     */
    public static PathMode parse(final String text)
    {
        try
        {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException e)
        {
            throw new ConduitException(ErrorCode.CONFIG_INVALID,
                "path.mode must be auto, gds, bounce or host: '" + text + "'", e);
        }
    }

    /**
     * @param host what this host can serve ({@link PathSelection#select}).
     * @return the path to run on, with the reason.
     * @throws ConduitException {@link ErrorCode#PATH_UNAVAILABLE}: a forced path the host cannot serve.
     */
    public PathChoice resolve(final PathChoice host)
    {
        return resolve(host, false);
    }

    /**
     * @param host          what this host can serve.
     * @param allowFallback run the host's best path instead of failing on a forced one it cannot serve.
     * @return the path to run on, with the reason (a fallback says so).
     * @throws ConduitException {@link ErrorCode#PATH_UNAVAILABLE} when forced, unservable and no fallback.
     */
    public PathChoice resolve(final PathChoice host, final boolean allowFallback)
    {
        return switch (this)
        {
            case HOST -> new PathChoice(PathKind.HOST, "path.mode=host");
            case AUTO -> host;
            case GDS -> forced(PathKind.GDS, host.path() == PathKind.GDS, host, allowFallback);
            case BOUNCE -> forced(PathKind.BOUNCE, host.path() != PathKind.HOST, host, allowFallback);
        };
    }

    private static PathChoice forced(final PathKind wanted, final boolean hostServesIt, final PathChoice host, final boolean allowFallback)
    {
        if (hostServesIt)
        {
            return new PathChoice(wanted, "path.mode=" + wanted.label() + ": " + host.reason());
        }
        final String why = "path.mode=" + wanted.label() + " but this host cannot serve the " + wanted.label() + " path: " + host.reason();
        if (!allowFallback)
        {
            throw new ConduitException(ErrorCode.PATH_UNAVAILABLE, why);
        }
        return new PathChoice(host.path(), why + "; fell back to " + host.path().label() + " (fallback allowed)");
    }
}
