package dev.conduit.blocklayout.namespace;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongPredicate;

/**
 * Power cuts without ending the run: after each chosen write or flush (counted over all drives
 * together, from 1) it takes the image every {@link VolatileCacheNamespace} would leave on its media
 * if power failed right then, and queues it. A test drains the queue after each operation and
 * reopens each image; the run itself continues, so one pass of a workload yields a cut after every
 * write and flush of it.
 *
 * <pre>{@code
 * PowerCutRecorder cuts = new PowerCutRecorder(event -> true, seed);
 * List<Namespace> seen = caches.stream().map(cuts::wrap).toList();   // the store runs on these
 * store.put(...);
 * for (PowerCutRecorder.Image image : cuts.drain()) { ... reopen image.media() ... }
 * }</pre>
 *
 * <p>Threading: synchronized; tests only.
 */
public final class PowerCutRecorder
{
    /**
     * The media after one cut.
     *
     * @param event the write or flush after which power failed (1-based).
     * @param media one image per drive, in {@link #wrap} order; the receiver closes them.
     * @param unflushedSectors sectors the caches held at the cut (a random quarter of them reached the media).
     */
    public record Image(long event, List<MemoryNamespace> media, int unflushedSectors)
    {
        /** Frees the images. */
        public void close()
        {
            media.forEach(MemoryNamespace::close);
        }
    }

    private final LongPredicate cutAfter;
    private final long seed;
    private final List<VolatileCacheNamespace> caches = new ArrayList<>();
    private final List<Image> images = new ArrayList<>();
    private long events;

    /**
     * @param cutAfter chooses the writes and flushes to cut after, by 1-based index.
     * @param seed     with the event index, decides which unflushed sectors survive a cut, so one
     *                 cut replays the same whether or not others were taken before it.
     */
    public PowerCutRecorder(final LongPredicate cutAfter, final long seed)
    {
        this.cutAfter = cutAfter;
        this.seed = seed;
    }

    /**
     * @param cache one drive of the machine that loses power.
     * @return the namespace the store should use for it.
     */
    public synchronized Namespace wrap(final VolatileCacheNamespace cache)
    {
        caches.add(cache);
        return new ForwardingNamespace(cache)
        {
            @Override
            public void write(final MemorySegment src, final long offsetBytes)
            {
                synchronized (PowerCutRecorder.this)
                {
                    delegate.write(src, offsetBytes);
                    event();
                }
            }

            @Override
            public void flush()
            {
                synchronized (PowerCutRecorder.this)
                {
                    delegate.flush();
                    event();
                }
            }

            @Override
            public void close()
            {
                // The caches and the memory behind them belong to the test.
            }
        };
    }

    /** @return writes and flushes seen so far. */
    public synchronized long events()
    {
        return events;
    }

    /** @return the images taken since the last call, oldest first. */
    public synchronized List<Image> drain()
    {
        final List<Image> taken = List.copyOf(images);
        images.clear();
        return taken;
    }

    private void event()
    {
        events++;
        if (cutAfter.test(events))
        {
            final SplittableRandom random = new SplittableRandom(seed * 1_000_003L + events);
            final List<MemoryNamespace> media = new ArrayList<>(caches.size());
            int unflushed = 0;
            for (final VolatileCacheNamespace cache : caches)
            {
                unflushed += cache.unflushedSectors();
                media.add(cache.imageAfterPowerLoss(cache.id() + "@" + events, random));
            }
            images.add(new Image(events, List.copyOf(media), unflushed));
        }
    }
}
