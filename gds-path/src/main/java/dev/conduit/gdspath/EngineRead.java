package dev.conduit.gdspath;

/**
 * What the GPU engines' reads share: the first failure of any of their pieces, later ones
 * suppressed into it, so a read that fails reports every cause once all its pieces are back.
 *
 * <p>Threading: the owning engine's agent.
 */
abstract class EngineRead
{
    Throwable failure;

    final void fail(final Throwable t)
    {
        if (failure == null)
        {
            failure = t;
        }
        else if (failure != t)
        {
            failure.addSuppressed(t);
        }
    }
}
