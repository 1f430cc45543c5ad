package dev.conduit.core;

/**
 * Closes resources in a given order, all of them even after a failure, the way Agrona's
 * {@code CloseHelper.closeAll} does: the first failure is kept and later ones are added to it as
 * suppressed, so a shutdown never stops half way and never loses why it failed.
 *
 * <pre>{@code
 * final RuntimeException failure = Closeables.closeAll(null, List.of(store, scheduler, file));
 * if (failure != null) { throw failure; }
 * }</pre>
 */
public final class Closeables
{
    private Closeables()
    {
    }

    /**
     * @param primary   a failure that happened before closing, or null.
     * @param resources closed in iteration order; null entries are skipped.
     * @return {@code primary} with later failures suppressed into it, else the first failure
     *         (a checked one wrapped in {@link IllegalStateException}), else null.
     */
    public static RuntimeException closeAll(final RuntimeException primary, final Iterable<? extends AutoCloseable> resources)
    {
        RuntimeException failure = primary;
        for (final AutoCloseable resource : resources)
        {
            if (resource == null)
            {
                continue;
            }
            try
            {
                resource.close();
            }
            catch (final Exception e)
            {
                if (failure == null)
                {
                    failure = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                }
                else
                {
                    failure.addSuppressed(e);
                }
            }
        }
        return failure;
    }
}
