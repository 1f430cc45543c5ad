package dev.conduit.objecttier.http;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connection's idle timer: events as IdleStateHandler's all-idle ones, void promises left void. */
class HttpIdleTimeoutHandlerTest
{
    private final List<Object> events = new ArrayList<>();
    private final ChannelInboundHandlerAdapter sink = new ChannelInboundHandlerAdapter()
    {
        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
        {
            events.add(evt);
        }
    };

    /** Whether each write that passed the idle handler still had a void promise. */
    private final List<Boolean> voidPromises = new ArrayList<>();
    private final ChannelOutboundHandlerAdapter recorder = new ChannelOutboundHandlerAdapter()
    {
        @Override
        public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise)
        {
            voidPromises.add(promise.isVoid());
            ctx.write(msg, promise);
        }
    };

    private EmbeddedChannel channel(final long timeoutMs)
    {
        final EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(recorder, new IdleTimeoutHandler(timeoutMs, TimeUnit.MILLISECONDS), sink);
        return channel;
    }

    @Test
    void shouldFireFirstThenRepeatedAllIdleEventsWhenNothingHappens()
    {
        final EmbeddedChannel channel = channel(100);
        channel.advanceTimeBy(99, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(events.isEmpty());
        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertEquals(List.of(IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT), events);
        channel.advanceTimeBy(100, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertEquals(List.of(IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT, IdleStateEvent.ALL_IDLE_STATE_EVENT), events);
        assertFalse(channel.finish());
    }

    @Test
    void shouldCountReadsAndWritesAsActivityAndLeaveVoidPromisesVoid()
    {
        final EmbeddedChannel channel = channel(100);
        channel.advanceTimeBy(60, TimeUnit.MILLISECONDS);
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {1}));
        ((ByteBuf)channel.readInbound()).release();
        channel.advanceTimeBy(60, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(events.isEmpty(), "a read 60 ms ago");
        channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {2}), channel.voidPromise());
        assertEquals(List.of(true), voidPromises);
        ((ByteBuf)channel.readOutbound()).release();
        channel.advanceTimeBy(60, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(events.isEmpty(), "a write 60 ms ago");
        channel.advanceTimeBy(40, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertEquals(List.of(IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT), events);
        assertFalse(channel.finish());
    }

    @Test
    void shouldNeverFireWithoutATimeout()
    {
        final EmbeddedChannel channel = channel(0);
        channel.advanceTimeBy(1, TimeUnit.DAYS);
        channel.runScheduledPendingTasks();
        assertTrue(events.isEmpty());
        assertFalse(channel.finish());
    }
}
