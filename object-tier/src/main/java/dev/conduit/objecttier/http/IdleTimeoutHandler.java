package dev.conduit.objecttier.http;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Ticker;

/**
 * Fires an all-idle {@link IdleStateEvent} when nothing was read or written on the connection for
 * the timeout, as {@link IdleStateHandler} with only an all-idle time does (first event, then one
 * per further timeout; never while a read is in progress), but without a promise per write:
 * {@code IdleStateHandler} learns of writes from their completion, so it turns every void promise
 * into a real one and listens on every promise, the body pieces' and the HTTP encoder's included. A
 * write counts here when it passes this handler, and the channel turning writable again (queued
 * bytes drained below the low-water mark) counts as output progress; a response waiting on a client
 * that has stopped reading makes neither, so it still times out.
 *
 * <p>Threading: the channel's event loop only.
 */
final class IdleTimeoutHandler extends ChannelDuplexHandler
{
    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int STOPPED = 2;

    private final long timeoutNanos;
    private final Runnable check = this::check;
    private ChannelHandlerContext ctx;
    /** The event loop's clock, which its scheduled tasks follow. */
    private Ticker ticker;
    private ScheduledFuture<?> timer;
    private long lastActivityNanos;
    private boolean reading;
    private boolean firstEvent = true;
    private int state = NEW;

    /**
     * @param timeout how long the connection may be idle; 0 or less never times it out.
     * @param unit    its unit.
     */
    IdleTimeoutHandler(final long timeout, final TimeUnit unit)
    {
        this.timeoutNanos = unit.toNanos(timeout);
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext context)
    {
        this.ctx = context;
        this.ticker = context.executor().ticker();
        if (context.channel().isActive() && context.channel().isRegistered())
        {
            start();
        }
    }

    @Override
    public void handlerRemoved(final ChannelHandlerContext context)
    {
        stop();
    }

    @Override
    public void channelRegistered(final ChannelHandlerContext context)
    {
        if (context.channel().isActive())
        {
            start();
        }
        context.fireChannelRegistered();
    }

    @Override
    public void channelActive(final ChannelHandlerContext context)
    {
        start();
        context.fireChannelActive();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext context)
    {
        stop();
        context.fireChannelInactive();
    }

    @Override
    public void channelRead(final ChannelHandlerContext context, final Object msg)
    {
        reading = true;
        firstEvent = true;
        context.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext context)
    {
        if (reading)
        {
            lastActivityNanos = ticker.nanoTime();
            reading = false;
        }
        context.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext context)
    {
        if (context.channel().isWritable())
        {
            active();
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void write(final ChannelHandlerContext context, final Object msg, final ChannelPromise promise)
    {
        active();
        context.write(msg, promise);
    }

    private void active()
    {
        lastActivityNanos = ticker.nanoTime();
        firstEvent = true;
    }

    private void start()
    {
        if (state != NEW || timeoutNanos <= 0)
        {
            return;
        }
        state = RUNNING;
        lastActivityNanos = ticker.nanoTime();
        timer = ctx.executor().schedule(check, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void stop()
    {
        state = STOPPED;
        final ScheduledFuture<?> pending = timer;
        timer = null;
        if (pending != null)
        {
            pending.cancel(false);
        }
    }

    private void check()
    {
        if (state != RUNNING || !ctx.channel().isOpen())
        {
            return;
        }
        final long left = reading ? timeoutNanos : timeoutNanos - (ticker.nanoTime() - lastActivityNanos);
        if (left > 0)
        {
            timer = ctx.executor().schedule(check, left, TimeUnit.NANOSECONDS);
            return;
        }
        timer = ctx.executor().schedule(check, timeoutNanos, TimeUnit.NANOSECONDS);
        final boolean first = firstEvent;
        firstEvent = false;
        try
        {
            ctx.fireUserEventTriggered(first ? IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT
                : IdleStateEvent.ALL_IDLE_STATE_EVENT);
        }
        catch (final RuntimeException e)
        {
            ctx.fireExceptionCaught(e);
        }
    }
}
