package dev.conduit.gdspath;

import java.util.Locale;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * What the configuration asks for ({@code path.mode}): {@link #AUTO} lets the host decide, the others
 * force a path. Resolving a mode against the host's {@link PathChoice} either yields the path a
 * {@link DataPath} runs on or fails with the reason the host cannot serve the forced one.
 *
 * <p>Only {@link PathKind#HOST} is built today: {@code auto} on a GPU host resolves to {@code host} and
 * says so in its reason; forcing {@code gds} or {@code bounce} on a host that could serve them fails
 * with {@link ErrorCode#NOT_SUPPORTED} instead of pretending.
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
     * @throws ConduitException {@link ErrorCode#NOT_SUPPORTED}: a forced path the host cannot serve
     *                          (carrying the host's reason), or one this build does not implement yet.
     */
    public PathChoice resolve(final PathChoice host)
    {
        return switch (this)
        {
            case HOST -> new PathChoice(PathKind.HOST, "path.mode=host");
            case AUTO -> host.path() == PathKind.HOST
                ? host
                : new PathChoice(PathKind.HOST, "path.mode=auto: this host could serve " + host.path().label()
                    + " (" + host.reason() + ") but only the host path is built yet");
            case GDS -> refuse(PathKind.GDS, host.path() == PathKind.GDS, host);
            case BOUNCE -> refuse(PathKind.BOUNCE, host.path() != PathKind.HOST, host);
        };
    }

    private static PathChoice refuse(final PathKind forced, final boolean hostServesIt, final PathChoice host)
    {
        if (!hostServesIt)
        {
            throw new ConduitException(ErrorCode.NOT_SUPPORTED, "path.mode=" + forced.label()
                + " but this host cannot serve the " + forced.label() + " path: " + host.reason());
        }
        throw new ConduitException(ErrorCode.NOT_SUPPORTED, "path.mode=" + forced.label()
            + ": this host could serve it (" + host.reason() + ") but the " + forced.label()
            + " path is not built yet; use auto or host");
    }
}
