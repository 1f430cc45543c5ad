package dev.conduit.objecttier.http;

import io.netty.buffer.ByteBuf;

/**
 * A recycled body buffer whose last release can stand for its write's completion: Netty releases a
 * written buffer once its bytes went out or the write failed, so an exchange that writes it with the
 * void promise learns the end of its response from the release instead of from a promise.
 */
interface EndsOnRelease
{
    /**
     * @param task run once, on whichever thread releases the buffer last, after it was recycled.
     * @return the buffer, to write.
     */
    ByteBuf onReleased(Runnable task);
}
